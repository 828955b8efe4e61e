import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type AcceptedEventState = 'pending' | 'accepted';

/**
 * One row per (source, id) the gateway took: the idempotency record and the answer to
 * GET /v1/events/{id}. `pending` while the broker has not acknowledged yet.
 */
@Entity({ name: 'gateway_event' })
@Index('IDX_gateway_event_transaction', ['transactionId'])
export class AcceptedEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  source!: string;

  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 200 })
  eventId!: string;

  /** sha256 of the event as received (attributes that matter + data): same id, other content = 409. */
  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: AcceptedEventState;

  @Column({ type: 'varchar', length: 200 })
  type!: string;

  @Column({ name: 'transaction_id', type: 'varchar', length: 64, nullable: true })
  transactionId!: string | null;

  @Column({ type: 'varchar', length: 249 })
  topic!: string;

  @Column({ type: 'integer', nullable: true })
  partition!: number | null;

  @Column({ name: 'kafka_offset', type: 'bigint', nullable: true })
  offset!: string | null;

  @Column({ name: 'schema_id', type: 'integer' })
  schemaId!: number;

  /** CloudEvents attributes as produced (with partitionkey, transactionid, traceparent). */
  @Column({ type: 'jsonb' })
  attributes!: Record<string, string>;

  @Column({ type: 'jsonb' })
  data!: unknown;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;
}
