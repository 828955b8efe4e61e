import { createHash } from 'node:crypto';

/**
 * The CloudEvents id of a rabt.transaction.* event: a UUID-shaped SHA-256 of what happened
 * (transaction, type, step). The same fact always gets the same id, so an outbox row published
 * twice (a relay killed between produce and mark) is one event to every deduplicating reader.
 */
export function emissionId(transactionId: string, type: string, step: string | null): string {
  const h = createHash('sha256').update(`${transactionId}\n${type}\n${step ?? ''}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
