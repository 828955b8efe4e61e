import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One entry of the append-only, hash-chained audit log (see docs/audit.md and @rabt/audit).
 * Writers insert it unsealed (seq, prev_hash and hash null); the sealer later gives it the next
 * `seq` and chains it: hash = sha256(prev_hash ‖ canonical JSON of the record with seq and
 * recorded_at). A trigger refuses every UPDATE but that sealing, and every DELETE and TRUNCATE.
 */
@Entity({ name: 'audit_record' })
@Index('UQ_audit_record_seq', ['seq'], { unique: true })
@Index('IDX_audit_record_unsealed', ['id'], { where: `"seq" IS NULL` })
@Check('CHK_audit_record_seal', `("seq" IS NULL AND "prev_hash" IS NULL AND "hash" IS NULL) OR ("seq" >= 1 AND "prev_hash" IS NOT NULL AND "hash" IS NOT NULL)`)
export class AuditRecordEntity {
  /** Insert order (not gap-free: a rolled-back insert burns its id); the sealer seals in this order. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** Position in the chain, 1, 2, 3, … without gaps; null until sealed. bigint, so a string in JS. */
  @Column({ type: 'bigint', nullable: true })
  seq!: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;

  /** 'agency:mom', 'operator:alice', 'service:dispatcher', 'cli:<os user>'. */
  @Column({ type: 'varchar', length: 200 })
  actor!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  /** What it was done to, e.g. 'event:<source>/<id>', 'dead-letter:<uuid>'. */
  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  /** The hash of record seq - 1 (64 zeros for seq 1); null until sealed. */
  @Column({ name: 'prev_hash', type: 'char', length: 64, nullable: true })
  prevHash!: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  hash!: string | null;
}
