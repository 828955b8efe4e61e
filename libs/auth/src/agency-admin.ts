// The agency registry's operations on agencies and their API keys, as plain functions over a
// TypeORM EntityManager: the gateway's admin API and the rabt CLI both call these, so there is
// one implementation of every rule. Grants are in agency-grants.ts.
import { IsNull, type EntityManager } from 'typeorm';
import { appendAuditRecords } from '@rabt/audit';
import { AgencyApiKeyEntity, AgencyEntity, DEMO_AGENCIES, seedAgencies, type AgencyStatus, type ApiKeyRole } from '@rabt/persistence';
import { AgencyAdminExceptionCode as Code, agencyAdminError } from './agency-admin.exception';
import {
  normalizeKeyId,
  validateAgencyChanges,
  validateAgencyCode,
  validateNewAgency,
  validateNewKey,
  type AgencyChanges,
  type KeyExpiryPolicy,
  type NewAgency,
  type NewKey,
} from './agency-admin.validation';
import { newApiKey } from './api-key';
import { LEGACY_PEPPER_VERSION, type ApiKeyPepper } from './auth.config';

export interface AgencyView {
  readonly code: string;
  readonly nameEn: string;
  readonly nameAr: string;
  readonly status: AgencyStatus;
  /** Publish token bucket; null = the gateway's configured default. */
  readonly ratePerSecond: number | null;
  readonly rateBurst: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A key as listed: never its secret, never its hash. */
export interface KeyView {
  readonly id: string;
  readonly agency: string;
  readonly label: string;
  readonly roles: readonly ApiKeyRole[];
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  /** When it stops authenticating; null = never (until revoked). */
  readonly expiresAt: Date | null;
}

/** A key just issued: the only time its token exists in clear. */
export interface IssuedKeyView {
  readonly keyId: string;
  readonly token: string;
  readonly agency: string;
  readonly label: string;
  readonly roles: readonly ApiKeyRole[];
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
}

export interface RevokedKeyView extends KeyView {
  readonly revokedAt: Date;
  /** True when the key had been revoked before: nothing changed. */
  readonly alreadyRevoked: boolean;
}

const KEY_COLUMNS = { id: true, agencyCode: true, label: true, roles: true, createdAt: true, revokedAt: true, expiresAt: true } as const;

const agencyView = (a: AgencyEntity): AgencyView => ({
  code: a.code,
  nameEn: a.nameEn,
  nameAr: a.nameAr,
  status: a.status,
  ratePerSecond: a.ratePerSecond,
  rateBurst: a.rateBurst,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
});

const keyView = (k: AgencyApiKeyEntity): KeyView => ({ id: k.id, agency: k.agencyCode, label: k.label, roles: k.roles, createdAt: k.createdAt, revokedAt: k.revokedAt, expiresAt: k.expiresAt });

/** Throws AGENCY_NOT_FOUND unless `code` (already validated) is a registered agency. */
export async function requireAgency(manager: EntityManager, code: string): Promise<AgencyEntity> {
  const agency = await manager.findOneBy(AgencyEntity, { code });
  if (!agency) throw agencyAdminError(Code.AGENCY_NOT_FOUND, `agency '${code}' does not exist`);
  return agency;
}

/** Registers an agency, active, with the gateway's default rate limits. */
export async function createAgency(manager: EntityManager, input: NewAgency): Promise<AgencyView> {
  const agency = validateNewAgency(input);
  const result = await manager.createQueryBuilder().insert().into(AgencyEntity).values({ ...agency, status: 'active' }).orIgnore().returning(['code']).execute();
  if ((result.raw as unknown[]).length === 0) throw agencyAdminError(Code.AGENCY_EXISTS, `agency '${agency.code}' already exists`);
  return agencyView(await manager.findOneByOrFail(AgencyEntity, { code: agency.code }));
}

export async function listAgencies(manager: EntityManager): Promise<AgencyView[]> {
  return (await manager.find(AgencyEntity, { order: { code: 'ASC' } })).map(agencyView);
}

export async function getAgency(manager: EntityManager, code: string): Promise<AgencyView> {
  return agencyView(await requireAgency(manager, validateAgencyCode(code)));
}

/**
 * Renames, suspends or re-activates an agency, or sets its publish rate limits. A suspended
 * agency's keys stop authenticating (services cache a check for a few seconds).
 */
export async function updateAgency(manager: EntityManager, code: string, changes: AgencyChanges): Promise<AgencyView> {
  const agencyCode = validateAgencyCode(code);
  const valid = validateAgencyChanges(changes);
  const result = await manager.update(AgencyEntity, { code: agencyCode }, valid);
  if (!result.affected) throw agencyAdminError(Code.AGENCY_NOT_FOUND, `agency '${agencyCode}' does not exist`);
  return agencyView(await manager.findOneByOrFail(AgencyEntity, { code: agencyCode }));
}

/** Inserts the demo agencies that are missing (never changes existing ones). */
export async function seedDemoAgencies(manager: EntityManager): Promise<{ added: string[]; existing: string[] }> {
  const added = await seedAgencies(manager.dataSource);
  return { added, existing: DEMO_AGENCIES.map((a) => a.code).filter((c) => !added.includes(c)) };
}

/**
 * Issues a key for an agency and returns its token, the only time it exists in clear: only a
 * peppered HMAC of the secret is stored, with the pepper's version (a bare string is version 1,
 * RABT_API_KEY_PEPPER). An agency may hold several active keys, so a key is rotated by issuing
 * its replacement (hashed under the current pepper, with a fresh expiry) and revoking it. The
 * audit log records it (by `actor`) in the same transaction. `policy` bounds the expiry.
 */
export async function issueKey(manager: EntityManager, pepper: string | ApiKeyPepper, agencyCode: string, input: NewKey, actor: string, policy?: KeyExpiryPolicy): Promise<IssuedKeyView> {
  const code = validateAgencyCode(agencyCode);
  const { label, roles, expiresAt } = validateNewKey(input, policy);
  const { version, pepper: secret } = typeof pepper === 'string' ? { version: LEGACY_PEPPER_VERSION, pepper } : pepper;
  return manager.transaction(async (m) => {
    await requireAgency(m, code);
    const key = newApiKey(secret);
    const result = await m.insert(AgencyApiKeyEntity, { id: key.keyId, agencyCode: code, label, secretHash: key.secretHash, pepperVersion: version, roles, revokedAt: null, expiresAt });
    const createdAt = (result.generatedMaps[0] as { createdAt?: Date } | undefined)?.createdAt ?? new Date();
    await appendAuditRecords(m, [{ actor, action: 'agency.key-issued', subject: `key:${key.keyId}`, details: { agency: code, label, roles, pepperVersion: version, expiresAt: expiresAt?.toISOString() ?? null } }]);
    return { keyId: key.keyId, token: key.token, agency: code, label, roles, createdAt, expiresAt };
  });
}

/** The agency's keys, revoked ones included, oldest first. */
export async function listKeys(manager: EntityManager, agencyCode: string): Promise<KeyView[]> {
  const code = validateAgencyCode(agencyCode);
  await requireAgency(manager, code);
  const keys = await manager.find(AgencyApiKeyEntity, { where: { agencyCode: code }, select: KEY_COLUMNS, order: { createdAt: 'ASC', id: 'ASC' } });
  return keys.map(keyView);
}

/**
 * Revokes a key for good (it stays listed, for the audit trail). Revoking twice changes nothing.
 * `actor` is recorded in the audit log with the change, in the same transaction. With
 * `ofAgency`, a key of any other agency is answered KEY_NOT_FOUND exactly like a key that does
 * not exist, so a caller scoped to one agency learns nothing about other agencies' keys.
 */
export async function revokeKey(manager: EntityManager, keyId: string, actor: string, ofAgency?: string): Promise<RevokedKeyView> {
  const id = normalizeKeyId(keyId);
  return manager.transaction(async (m) => {
    const find = () => m.findOne(AgencyApiKeyEntity, { where: { id }, select: KEY_COLUMNS });
    const key = await find();
    if (!key || (ofAgency !== undefined && key.agencyCode !== ofAgency)) throw agencyAdminError(Code.KEY_NOT_FOUND, `no API key ${id}`);
    if (!key.revokedAt) {
      const result = await m.update(AgencyApiKeyEntity, { id, revokedAt: IsNull() }, { revokedAt: new Date() });
      const now = (await find())!;
      if (result.affected) await appendAuditRecords(m, [{ actor, action: 'agency.key-revoked', subject: `key:${id}`, details: { agency: now.agencyCode, label: now.label } }]);
      return { ...keyView(now), revokedAt: now.revokedAt!, alreadyRevoked: !result.affected };
    }
    return { ...keyView(key), revokedAt: key.revokedAt, alreadyRevoked: true };
  });
}

/** Live keys (neither revoked nor expired) per pepper version, and whether that version is configured. */
export interface PepperVersionStatus {
  readonly version: number;
  readonly liveKeys: number;
  readonly configured: boolean;
  readonly primary: boolean;
}

/**
 * How many live keys each pepper version holds: the configured versions (even with no keys) and
 * any version keys still use. A version may leave RABT_API_KEY_PEPPERS once it holds no live key.
 */
export async function pepperStatus(manager: EntityManager, configured: readonly number[], primary: number, now: Date = new Date()): Promise<PepperVersionStatus[]> {
  const rows = (await manager.query(
    `SELECT pepper_version AS version, count(*)::int AS n FROM "agency_api_key"
      WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1) GROUP BY pepper_version`,
    [now],
  )) as { version: number; n: number }[];
  const counts = new Map(rows.map((r) => [Number(r.version), r.n]));
  const versions = [...new Set([...configured, ...counts.keys()])].sort((a, b) => a - b);
  return versions.map((version) => ({ version, liveKeys: counts.get(version) ?? 0, configured: configured.includes(version), primary: version === primary }));
}

/** A live key with an expiry: never its secret, never its hash. */
export interface ExpiringKeyView {
  readonly id: string;
  readonly agency: string;
  readonly label: string;
  readonly expiresAt: Date;
}

/**
 * Live keys that expire before `until` (and after `now`), soonest first; only `agency`'s when
 * given. Keys that already expired are not listed: they authenticate no more than revoked ones.
 */
export async function listExpiringKeys(manager: EntityManager, until: Date, options: { agency?: string; now?: Date; limit?: number } = {}): Promise<ExpiringKeyView[]> {
  const params: unknown[] = [options.now ?? new Date(), until, options.limit ?? 500];
  const agencyFilter = options.agency === undefined ? '' : ` AND agency_code = $${params.push(options.agency)}`;
  const rows = (await manager.query(
    `SELECT id, agency_code, label, expires_at FROM "agency_api_key"
      WHERE revoked_at IS NULL AND expires_at > $1 AND expires_at <= $2${agencyFilter}
      ORDER BY expires_at, id LIMIT $3`,
    params,
  )) as { id: string; agency_code: string; label: string; expires_at: Date }[];
  return rows.map((r) => ({ id: r.id, agency: r.agency_code, label: r.label, expiresAt: new Date(r.expires_at) }));
}
