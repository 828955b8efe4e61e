import type { AuditRecordItem } from '@rabt/ops-contracts';
import { AUDIT_ACTIONS, type AuditRecordInput, type SealedAuditRecord } from './audit-record';

/** What the audit functions need of a connection: a DataSource, an EntityManager (in a transaction or not). */
export interface AuditQueryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);

function checked(input: AuditRecordInput): AuditRecordInput {
  if (!KNOWN_ACTIONS.has(input.action)) throw new TypeError(`audit: unknown action ${JSON.stringify(input.action)}`);
  if (!input.actor || input.actor.length > 200) throw new TypeError(`audit: an actor is 1 to 200 characters (got ${JSON.stringify(input.actor)})`);
  if (!input.subject) throw new TypeError('audit: a record needs a subject');
  return input;
}

/**
 * The INSERT of unsealed records as SQL with parameters numbered from `firstParam`: five array
 * parameters whatever the number of records, so it can also run as one more data-modifying CTE
 * of a caller's statement (no extra round trip). recorded_at is the transaction's time, now().
 *
 * With `only`, record i is written only if `only.keys[i]` is among the values `only.kept` (a
 * subquery of the caller's statement, say the ids a sibling CTE inserted) answers: for records
 * about rows the statement may or may not write. One more array parameter.
 */
export function auditInsert(
  inputs: readonly AuditRecordInput[],
  firstParam = 1,
  only?: { readonly keys: readonly string[]; readonly kept: string },
): { sql: string; params: unknown[] } {
  const rows = inputs.map(checked);
  if (only && only.keys.length !== rows.length) throw new TypeError(`audit: ${rows.length} records but ${only.keys.length} keys`);
  const p = (i: number) => `$${firstParam + i}`;
  const params = [
    rows.map((r) => r.actor),
    rows.map((r) => r.action),
    rows.map((r) => r.subject),
    rows.map((r) => r.reason ?? null),
    rows.map((r) => JSON.stringify(r.details ?? {})),
  ];
  return {
    sql: `INSERT INTO audit_record (actor, action, subject, reason, details)
          SELECT a.actor, a.action, a.subject, a.reason, a.details
            FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::jsonb[]${only ? `, ${p(5)}::text[]` : ''})
                 AS a(actor, action, subject, reason, details${only ? ', key' : ''})${only ? `
           WHERE a.key IN (${only.kept})` : ''}`,
    params: only ? [...params, [...only.keys]] : params,
  };
}

/** Appends unsealed records with one statement, in `db`'s transaction when it is in one. */
export async function appendAuditRecords(db: AuditQueryable, inputs: readonly AuditRecordInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const { sql, params } = auditInsert(inputs);
  await db.query(sql, params);
}

/** recorded_at exactly as hashed: UTC, microseconds. */
export const RECORDED_AT_TEXT = `to_char("recorded_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface RecordRow {
  id: string;
  seq: string | null;
  recorded_at: string;
  actor: string;
  action: string;
  subject: string;
  reason: string | null;
  details: Record<string, unknown>;
  prev_hash: string | null;
  hash: string | null;
}

const COLUMNS = `"id", "seq", ${RECORDED_AT_TEXT} AS "recorded_at", "actor", "action", "subject", "reason", "details", "prev_hash", "hash"`;

/** Sealed records with seq > `after`, in seq order. */
export async function readSealed(db: AuditQueryable, after: number, limit: number): Promise<SealedAuditRecord[]> {
  const rows = (await db.query(`SELECT ${COLUMNS} FROM audit_record WHERE "seq" > $1 ORDER BY "seq" LIMIT $2`, [after, limit])) as RecordRow[];
  return rows.map((r) => ({
    seq: Number(r.seq),
    recordedAt: r.recorded_at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    reason: r.reason,
    details: r.details,
    prevHash: r.prev_hash ?? '',
    hash: r.hash ?? '',
  }));
}

/** Unsealed records, oldest insert first. */
export async function readUnsealed(db: AuditQueryable, limit: number): Promise<(Omit<SealedAuditRecord, 'seq' | 'prevHash' | 'hash'> & { id: string })[]> {
  const rows = (await db.query(`SELECT ${COLUMNS} FROM audit_record WHERE "seq" IS NULL ORDER BY "id" LIMIT $1`, [limit])) as RecordRow[];
  return rows.map((r) => ({ id: r.id, recordedAt: r.recorded_at, actor: r.actor, action: r.action, subject: r.subject, reason: r.reason, details: r.details }));
}

/** The last sealed record's seq and hash, or null while nothing is sealed. */
export async function chainHead(db: AuditQueryable): Promise<{ seq: number; hash: string } | null> {
  const rows = (await db.query(`SELECT "seq", "hash" FROM audit_record WHERE "seq" IS NOT NULL ORDER BY "seq" DESC LIMIT 1`)) as { seq: string; hash: string }[];
  const head = rows[0];
  return head ? { seq: Number(head.seq), hash: head.hash } : null;
}

/** The chain's name in anchors: the database's. */
export async function chainName(db: AuditQueryable): Promise<string> {
  const rows = (await db.query(`SELECT current_database() AS name`)) as { name: string }[];
  return rows[0]!.name;
}

/** One record as GET /v1/audit lists it (the ops API's `AuditRecordItem`); seq and hash are null until sealed. */
export type AuditListItem = AuditRecordItem;

/**
 * The newest records first, unsealed ones (the last moments) on top; `before` (a seq) pages back
 * through the sealed ones; `parties` keeps only the records whose actor or subject is one of them
 * (an agency's view). For the ops API and tools; the chain itself is checked by verifyAuditChain.
 */
export async function listAuditRecords(db: AuditQueryable, options: { limit?: number; before?: number; parties?: readonly string[] } = {}): Promise<AuditListItem[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const params: unknown[] = [limit];
  const where: string[] = [];
  if (options.before !== undefined) where.push(`"seq" < $${params.push(options.before)}`);
  if (options.parties !== undefined) {
    const at = params.push([...options.parties]);
    where.push(`("actor" = ANY($${at}::text[]) OR "subject" = ANY($${at}::text[]))`);
  }
  const order = options.before === undefined ? `"seq" DESC NULLS FIRST, "id" DESC` : `"seq" DESC`;
  const rows = (await db.query(`SELECT ${COLUMNS} FROM audit_record${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT $1`, params)) as RecordRow[];
  return rows.map((r) => ({
    seq: r.seq === null ? null : Number(r.seq),
    at: r.recorded_at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    reason: r.reason,
    details: r.details,
    hash: r.hash,
  }));
}
