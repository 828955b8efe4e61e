import type { DataSource } from 'typeorm';
import { GENESIS_HASH, auditRecordHash } from './audit-hash';
import { chainHead, readUnsealed } from './audit-records';

/** The key of the transaction-level advisory lock sealers take: one sealer at a time, any number may try. */
export const AUDIT_SEAL_LOCK = 0x52414254_0a0d; // 'RABT' + audit

export interface SealResult {
  /** Records sealed by this call. */
  readonly sealed: number;
  /** False when another sealer held the lock (it is sealing meanwhile). */
  readonly locked: boolean;
  readonly head: { seq: number; hash: string } | null;
}

/**
 * Seals the unsealed records (committed ones only: others are invisible here) in id order, in
 * transactions of at most `batch` records, each under pg_try_advisory_xact_lock so that several
 * sealers never interleave: record after record gets seq = head + 1, prev_hash = the head's hash,
 * hash = sha256(prev_hash ‖ canonical record). Stops when none is left, or at `maxBatches`.
 */
export async function sealAuditRecords(dataSource: DataSource, options: { batch?: number; maxBatches?: number } = {}): Promise<SealResult> {
  const batch = options.batch ?? 1000;
  const maxBatches = options.maxBatches ?? 100;
  let sealed = 0;
  let head: { seq: number; hash: string } | null = null;
  for (let round = 0; round < maxBatches; round++) {
    const outcome = await dataSource.transaction(async (m) => {
      const [lock] = (await m.query(`SELECT pg_try_advisory_xact_lock($1) AS ok`, [AUDIT_SEAL_LOCK])) as { ok: boolean }[];
      if (!lock?.ok) return { locked: false, count: 0, head: null };
      let current = await chainHead(m);
      const rows = await readUnsealed(m, batch);
      if (rows.length === 0) return { locked: true, count: 0, head: current };
      const ids: string[] = [];
      const seqs: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const r of rows) {
        const seq = (current?.seq ?? 0) + 1;
        const prevHash = current?.hash ?? GENESIS_HASH;
        const hash = auditRecordHash(prevHash, { ...r, seq });
        ids.push(r.id);
        seqs.push(seq);
        prevs.push(prevHash);
        hashes.push(hash);
        current = { seq, hash };
      }
      await m.query(
        `UPDATE audit_record a SET "seq" = v.seq, "prev_hash" = v.prev_hash, "hash" = v.hash
           FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS v(id, seq, prev_hash, hash)
          WHERE a."id" = v.id`,
        [ids, seqs, prevs, hashes],
      );
      return { locked: true, count: rows.length, head: current };
    });
    if (!outcome.locked) return { sealed, locked: false, head };
    sealed += outcome.count;
    head = outcome.head;
    if (outcome.count < batch) break;
  }
  return { sealed, locked: true, head };
}
