// OpenAPI shapes of the admin and grants API (the rules themselves are in @rabt/auth).
import { API_KEY_ROLES, AGENCY_STATUSES, GRANT_PERMISSIONS } from '@rabt/persistence';

export const PROBLEM = { description: 'application/problem+json with a stable `code`' };

const agencyCode = { type: 'string', pattern: '^[a-z][a-z0-9]{1,15}$', example: 'mom' };
const rate = { type: 'integer', minimum: 1, maximum: 1_000_000, nullable: true, description: 'null = the gateway default' };
const timestamp = { type: 'string', format: 'date-time' };
const roles = { type: 'array', items: { type: 'string', enum: [...API_KEY_ROLES] } };

export const AGENCY = {
  type: 'object',
  properties: {
    code: agencyCode,
    nameEn: { type: 'string' },
    nameAr: { type: 'string' },
    status: { type: 'string', enum: [...AGENCY_STATUSES] },
    ratePerSecond: rate,
    rateBurst: rate,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
};

export const NEW_AGENCY = {
  type: 'object',
  required: ['code', 'nameEn', 'nameAr'],
  additionalProperties: false,
  properties: { code: agencyCode, nameEn: { type: 'string', maxLength: 200 }, nameAr: { type: 'string', maxLength: 200, description: 'in Arabic script' } },
  example: { code: 'mol', nameEn: 'Ministry of Labour', nameAr: 'وزارة العمل' },
};

export const AGENCY_CHANGES = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: { nameEn: { type: 'string', maxLength: 200 }, nameAr: { type: 'string', maxLength: 200 }, status: { type: 'string', enum: [...AGENCY_STATUSES] }, ratePerSecond: rate, rateBurst: rate },
  example: { status: 'suspended' },
};

export const NEW_KEY = {
  type: 'object',
  required: ['label'],
  additionalProperties: false,
  properties: {
    label: { type: 'string', maxLength: 100 },
    roles,
    expires: {
      type: 'string',
      maxLength: 64,
      description: 'When the key stops working: an ISO-8601 time with a zone (2027-01-31T00:00:00Z) or a duration from now (90d); in the future and at most RABT_API_KEY_MAX_TTL_DAYS (397) ahead. Default: never.',
    },
  },
  example: { label: 'back office 2026', roles: [], expires: '90d' },
};

export const ISSUED_KEY = {
  type: 'object',
  description: 'The token is shown this once: only a peppered hash of its secret is stored.',
  properties: { keyId: { type: 'string', format: 'uuid' }, token: { type: 'string', example: 'rabt_<32 hex>_<43 base64url>' }, agency: agencyCode, label: { type: 'string' }, roles, createdAt: timestamp, expiresAt: { ...timestamp, nullable: true } },
};

export const KEY = {
  type: 'object',
  description: 'Never the secret, never its hash.',
  properties: { id: { type: 'string', format: 'uuid' }, agency: agencyCode, label: { type: 'string' }, roles, createdAt: timestamp, revokedAt: { ...timestamp, nullable: true }, expiresAt: { ...timestamp, nullable: true, description: 'after it, the key is refused like a revoked one' } },
};

export const GRANT_INPUT = {
  type: 'object',
  required: ['agency', 'eventType', 'permission'],
  additionalProperties: false,
  properties: { agency: agencyCode, eventType: { type: 'string', example: 'mom.employee.left-work-reported' }, permission: { type: 'string', enum: [...GRANT_PERMISSIONS] } },
  example: { agency: 'rop', eventType: 'mom.employee.left-work-reported', permission: 'subscribe' },
};

export const GRANT = {
  type: 'object',
  properties: { ...GRANT_INPUT.properties, grantedBy: agencyCode, createdAt: timestamp },
};

export const listOf = (name: string, item: object) => ({ type: 'object', properties: { [name]: { type: 'array', items: item } } });
