import { createHash } from 'node:crypto';
import type { SealedAuditRecord } from './audit-record';

/** prev_hash of record 1. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted (by UTF-16 code units), no whitespace, numbers and strings as
 * JSON.stringify writes them; `undefined` members are left out as JSON.stringify does. For the
 * values Postgres jsonb returns this is RFC 8785 (JCS) output, so another implementation can
 * recompute a hash.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} has no JSON form`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

type HashedFields = Omit<SealedAuditRecord, 'prevHash' | 'hash'>;

/** hash = sha256(prev_hash ‖ canonical JSON of {seq, recordedAt, actor, action, subject, reason, details}), hex. */
export function auditRecordHash(prevHash: string, r: HashedFields): string {
  const body = canonicalJson({ seq: r.seq, recordedAt: r.recordedAt, actor: r.actor, action: r.action, subject: r.subject, reason: r.reason, details: r.details });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}
