import { GENESIS_HASH, auditRecordHash } from './audit-hash';
import type { AuditAnchor } from './audit-record';
import { chainHead, readSealed, type AuditQueryable } from './audit-records';

/** The first place where the chain is not what was sealed. */
export interface AuditBreak {
  /** The first seq that is wrong (or missing). */
  readonly seq: number;
  readonly problem: string;
}

export interface AuditVerification {
  /** True when no break was found (unsealed records do not make it false). */
  readonly ok: boolean;
  /** Sealed records checked (up to the first break). */
  readonly checked: number;
  readonly firstBreak: AuditBreak | null;
  /** The newest anchor checked against the chain, null when there was none. */
  readonly anchor: AuditAnchor | null;
  /** Anchors of this chain that were checked. */
  readonly anchors: number;
  /** The last sealed record as stored (not necessarily intact). */
  readonly head: { seq: number; hash: string } | null;
  /** Records written but not sealed yet (the seal window; see docs/audit.md). */
  readonly unsealed: number;
}

/**
 * Walks the sealed records in seq order and checks each: seq follows the previous one without a
 * gap, prev_hash is the previous record's hash (64 zeros for seq 1), and hash is sha256(prev_hash
 * ‖ canonical record). Then every anchor: its seq must still be in the chain (else the tail was
 * cut off) with the same hash (else the chain was rewritten up to it). Reports the smallest seq
 * where anything is wrong. Reads in pages, so a long chain costs memory for one page only.
 */
export async function verifyAuditChain(db: AuditQueryable, anchors: readonly AuditAnchor[], options: { pageSize?: number } = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 5000;
  const anchorSeqs = new Set(anchors.map((a) => a.seq));
  const hashAt = new Map<number, string>();
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let walkBreak: AuditBreak | null = null;
  walk: for (;;) {
    const page = await readSealed(db, expected - 1, pageSize);
    for (const r of page) {
      if (r.seq < expected) {
        walkBreak = { seq: r.seq, problem: `seq ${r.seq} appears more than once` };
        break walk;
      }
      if (r.seq !== expected) {
        const missing = r.seq - 1 === expected ? `record ${expected} is missing` : `records ${expected} to ${r.seq - 1} are missing`;
        walkBreak = { seq: expected, problem: `${missing} (deleted, or its seq changed): the next record is ${r.seq}` };
        break walk;
      }
      if (r.prevHash !== prevHash) {
        walkBreak = {
          seq: r.seq,
          problem: r.seq === 1 ? 'prev_hash of the first record is not the genesis hash' : `prev_hash is not the hash of record ${r.seq - 1}: record ${r.seq - 1} or ${r.seq} was changed, removed or moved`,
        };
        break walk;
      }
      if (auditRecordHash(r.prevHash, r) !== r.hash) {
        walkBreak = { seq: r.seq, problem: 'hash does not match the record: its content (or seq, or time) was changed' };
        break walk;
      }
      if (anchorSeqs.has(r.seq)) hashAt.set(r.seq, r.hash);
      prevHash = r.hash;
      expected++;
    }
    if (page.length < pageSize) break;
  }
  const checked = expected - 1;
  const lastIntact = checked;
  let firstBreak = walkBreak;
  const sorted = [...anchors].sort((a, b) => a.seq - b.seq);
  for (const a of sorted) {
    if (firstBreak && a.seq >= firstBreak.seq) break;
    if (a.seq > lastIntact) {
      firstBreak = {
        seq: lastIntact + 1,
        problem: `the chain ends at ${lastIntact} but the anchor of ${a.at} saw it reach ${a.seq} (hash ${a.hash}): records from ${lastIntact + 1} were removed`,
      };
      break;
    }
    if (hashAt.get(a.seq) !== a.hash) {
      firstBreak = { seq: a.seq, problem: `hash differs from the anchor of ${a.at} (${a.hash}): the chain was rewritten up to here` };
      break;
    }
  }
  const [unsealed] = (await db.query(`SELECT count(*)::int AS n FROM audit_record WHERE "seq" IS NULL`)) as { n: number }[];
  return {
    ok: firstBreak === null,
    checked: firstBreak ? Math.min(checked, firstBreak.seq - 1) : checked,
    firstBreak,
    anchor: sorted.at(-1) ?? null,
    anchors: sorted.length,
    head: await chainHead(db),
    unsealed: unsealed?.n ?? 0,
  };
}
