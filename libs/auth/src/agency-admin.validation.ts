// Pure validation of every input to the agency registry: no database, no Nest. Each function
// takes what a caller sent (an HTTP body, CLI arguments) as `unknown` and returns it typed and
// normalised, or throws AgencyAdminException naming every bad field.
import { z } from 'zod';
import { parseDuration } from '@rabt/config';
import { findCatalogueEntry } from '@rabt/contracts';
import { AGENCY_STATUSES, API_KEY_ROLES, GRANT_PERMISSIONS, type AgencyStatus, type ApiKeyRole, type GrantPermission } from '@rabt/persistence';
import { AgencyAdminExceptionCode as Code, agencyAdminError } from './agency-admin.exception';
import { DEFAULT_API_KEY_MAX_TTL_DAYS } from './auth.config';

/** Same rule as the CHK_agency_code constraint of the agency table. */
export const AGENCY_CODE = /^[a-z][a-z0-9]{1,15}$/;
const ARABIC_LETTER = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
const KEY_ID = /^([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$/i;
export const MAX_RATE = 1_000_000;

export interface NewAgency {
  readonly code: string;
  readonly nameEn: string;
  readonly nameAr: string;
}

/** A change to an agency; a rate of null goes back to the gateway's configured default. */
export interface AgencyChanges {
  readonly nameEn?: string;
  readonly nameAr?: string;
  readonly status?: AgencyStatus;
  readonly ratePerSecond?: number | null;
  readonly rateBurst?: number | null;
}

export interface NewKey {
  readonly label: string;
  readonly roles?: readonly ApiKeyRole[];
  /** When the key stops working: an ISO-8601 time (`2027-01-31T00:00:00Z`, `2027-01-31`) or a duration from now (`90d`, `12h`). */
  readonly expires?: string;
}

/** What bounds a new key's expiry: now, and the longest lifetime allowed (RABT_API_KEY_MAX_TTL_DAYS). */
export interface KeyExpiryPolicy {
  readonly maxTtlDays: number;
  readonly now?: Date;
}

const DAY_MS = 86_400_000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;

/**
 * The instant an `expires` value names: an ISO-8601 time with a zone (a bare date is midnight
 * UTC), or a duration (`90d`) from `now`. Undefined when it is neither.
 */
export function expiryInstant(text: string, now: Date): Date | undefined {
  const t = text.trim();
  if (ISO_TIME.test(t)) {
    const ms = Date.parse(t.length === 10 ? `${t}T00:00:00Z` : t);
    return Number.isNaN(ms) ? undefined : new Date(ms);
  }
  try {
    const at = new Date(now.getTime() + parseDuration(t));
    return Number.isNaN(at.getTime()) ? undefined : at;
  } catch {
    return undefined;
  }
}

export interface GrantInput {
  readonly agency: string;
  readonly eventType: string;
  readonly permission: GrantPermission;
}

/** A valid grant, with the owner of its event type (from the catalogue). */
export interface ValidGrant extends GrantInput {
  readonly owner: string;
}

export interface GrantFilter {
  readonly agency?: string;
  readonly eventType?: string;
}

const required = (type: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${type}`) });
const object = { error: (issue: { code?: string; keys?: string[] }) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys!.map((k) => `'${k}'`).join(', ')}` : 'must be a JSON object') };

const agencyCode = z.string(required('a string')).regex(AGENCY_CODE, 'must be 2 to 16 characters: a lower-case letter, then lower-case letters or digits (e.g. mom, moci)');
const text = (max: number) => z.string(required('a string')).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const nameEn = text(200);
const nameAr = text(200).regex(ARABIC_LETTER, 'must be written in Arabic script');
const rate = z.number(required('a whole number or null')).int('must be a whole number').min(1, 'must be at least 1').max(MAX_RATE, `must be at most ${MAX_RATE}`).nullable();
const status = z.enum(AGENCY_STATUSES, { error: `must be ${AGENCY_STATUSES.map((s) => `'${s}'`).join(' or ')}` });
const role = z.enum(API_KEY_ROLES, { error: `must be ${API_KEY_ROLES.map((r) => `'${r}'`).join(' or ')}` });
const permission = z.enum(GRANT_PERMISSIONS, { error: `must be ${GRANT_PERMISSIONS.map((p) => `'${p}'`).join(' or ')}` });

const newAgencySchema = z.strictObject({ code: agencyCode, nameEn, nameAr }, object);
const changesSchema = z
  .strictObject({ nameEn: nameEn.optional(), nameAr: nameAr.optional(), status: status.optional(), ratePerSecond: rate.optional(), rateBurst: rate.optional() }, object)
  .refine((o) => Object.values(o).some((v) => v !== undefined), 'nothing to change: give at least one of nameEn, nameAr, status, ratePerSecond, rateBurst');
const newKeySchema = z.strictObject(
  {
    label: text(100),
    roles: z.array(role, required('an array of roles')).max(API_KEY_ROLES.length * 2, 'has too many entries').optional(),
    expires: z.string(required('a string')).max(64, 'must be at most 64 characters').optional(),
  },
  object,
);
const grantSchema = z.strictObject({ agency: agencyCode, eventType: text(200), permission }, object);
const grantFilterSchema = z.strictObject({ agency: agencyCode.optional(), eventType: text(200).optional() }, object);

function parse<T>(schema: z.ZodType<T>, input: unknown, code: Code, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  throw agencyAdminError(code, `${what}: ${errors.map((e) => (e.path ? `${e.path} ${e.message}` : e.message)).join('; ')}`, { errors });
}

/** An agency code as given in a path or an argument. */
export function validateAgencyCode(code: unknown, errorCode: Code = Code.INVALID_AGENCY): string {
  return parse(agencyCode, code, errorCode, `'${String(code)}' is not an agency code`);
}

export function validateNewAgency(input: unknown): NewAgency {
  return parse(newAgencySchema, input, Code.INVALID_AGENCY, 'invalid agency');
}

export function validateAgencyChanges(input: unknown): AgencyChanges {
  const changes = parse(changesSchema, input, Code.INVALID_AGENCY, 'invalid change to an agency');
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as AgencyChanges;
}

/**
 * Label, roles and expiry of a key to issue; roles are de-duplicated and default to none. The
 * expiry (none when not given) must lie in the future and at most `policy.maxTtlDays` ahead.
 */
export function validateNewKey(input: unknown, policy: KeyExpiryPolicy = { maxTtlDays: DEFAULT_API_KEY_MAX_TTL_DAYS }): { label: string; roles: ApiKeyRole[]; expiresAt: Date | null } {
  const key = parse(newKeySchema, input, Code.INVALID_KEY, 'invalid API key request');
  let expiresAt: Date | null = null;
  if (key.expires !== undefined) {
    const now = policy.now ?? new Date();
    const at = expiryInstant(key.expires, now);
    const problem = !at
      ? 'must be an ISO-8601 time with a zone (2027-01-31T00:00:00Z, or a date 2027-01-31) or a duration such as 90d'
      : at.getTime() <= now.getTime()
        ? 'must be in the future'
        : at.getTime() - now.getTime() > policy.maxTtlDays * DAY_MS
          ? `must be at most ${policy.maxTtlDays} days from now`
          : undefined;
    if (problem) throw agencyAdminError(Code.INVALID_KEY, `invalid API key request: expires ${problem}`, { errors: [{ path: 'expires', message: problem }] });
    expiresAt = at!;
  }
  return { label: key.label, roles: [...new Set(key.roles ?? [])], expiresAt };
}

/** A key id as a UUID (as listed) or as the 32 hex digits inside a token; returns the UUID. */
export function normalizeKeyId(input: unknown): string {
  const m = typeof input === 'string' ? KEY_ID.exec(input.trim()) : null;
  if (!m) {
    throw agencyAdminError(Code.INVALID_KEY, `'${String(input)}' is not a key id: give the UUID shown when the key was issued or listed (or the 32 hex digits after rabt_ in the token)`, {
      errors: [{ path: 'keyId', message: 'must be a UUID' }],
    });
  }
  return m.slice(1, 6).join('-').toLowerCase();
}

/** A grant: the agency exists in form, the type in the catalogue, the permission is known. */
export function validateGrant(input: unknown): ValidGrant {
  const grant = parse(grantSchema, input, Code.INVALID_GRANT, 'invalid grant');
  return { ...grant, owner: ownerOf(grant.eventType) };
}

export function validateGrantFilter(input: unknown): GrantFilter {
  const filter = parse(grantFilterSchema, input ?? {}, Code.INVALID_GRANT, 'invalid grant filter');
  if (filter.eventType !== undefined) ownerOf(filter.eventType);
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as GrantFilter;
}

/** The catalogue owner of `eventType`; UNKNOWN_EVENT_TYPE for a type not in the catalogue. */
export function ownerOf(eventType: string): string {
  const entry = findCatalogueEntry(eventType);
  if (!entry) throw agencyAdminError(Code.UNKNOWN_EVENT_TYPE, `'${eventType}' is not an event type of the catalogue (schemas/catalogue.json)`);
  return entry.owner;
}
