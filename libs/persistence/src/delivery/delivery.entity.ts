import { Check, Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

/**
 * pending → delivering → delivered | retrying | dead | gone; retrying → delivering; a
 * `delivering` row whose lease ran out (its dispatcher died) is claimed again. See docs/delivery.md.
 */
export const DELIVERY_STATES = ['pending', 'delivering', 'delivered', 'retrying', 'dead', 'gone'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** States in which a delivery still has work to do (and holds back later ones of its key). */
export const OPEN_DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'delivering', 'retrying'];

/**
 * One event to one webhook subscription. The id is the `webhook-id` the receiver sees: derived
 * from (subscription, event source, event id), so a duplicate inbox record or a replayed
 * partition never makes a second delivery. `seq` orders deliveries of one subscription and key.
 */
@Entity({ name: 'delivery' })
@Index('IDX_delivery_due_claim', ['subscriptionId', 'nextAttemptAt'], { where: `"state" IN ('pending', 'delivering', 'retrying') AND "next_attempt_at" IS NOT NULL` })
@Index('IDX_delivery_open_key', ['subscriptionId', 'orderingKey', 'seq'], { where: `"state" IN ('pending', 'delivering', 'retrying')` })
@Index('IDX_delivery_event', ['eventSource', 'eventId'])
@Check('CHK_delivery_state', `"state" IN ('pending', 'delivering', 'delivered', 'retrying', 'dead', 'gone')`)
@Check('CHK_delivery_attempts', `"attempts" >= 0`)
export class DeliveryEntity {
  /** The webhook-id: `msg_` + base64url of a SHA-256 prefix. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  /** Arrival order; bigint, so a string in JS. */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq!: string;

  /** No foreign key: deliveries (and dead letters) outlive a removed subscription. */
  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId!: string;

  /** The subscriber. */
  @Column({ name: 'agency_code', type: 'varchar', length: 16 })
  agencyCode!: string;

  @Column({ name: 'event_source', type: 'varchar', length: 200 })
  eventSource!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 200 })
  eventId!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 200 })
  eventType!: string;

  @Column({ name: 'transaction_id', type: 'varchar', length: 64, nullable: true })
  transactionId!: string | null;

  /** The inbox record's key (the type's partition key); null keys are not ordered. */
  @Column({ name: 'ordering_key', type: 'text', nullable: true })
  orderingKey!: string | null;

  /** The structured CloudEvent (JSON) that is POSTed. */
  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  state!: DeliveryState;

  /** Attempts made (a circuit-breaker deferral is not an attempt). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** When it is due; for a `delivering` row, when its lease runs out. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  /** Fences the outcome of an attempt to the claim that made it. */
  @Column({ name: 'lease_token', type: 'uuid', nullable: true })
  leaseToken!: string | null;

  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus!: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  /** When an operator last replayed it (from a dead letter): its maximum age counts from here. */
  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt!: Date | null;

  /** Attempts made before the last replay: the retry schedule starts over after a replay. */
  @Column({ name: 'attempts_before_replay', type: 'integer', default: 0 })
  attemptsBeforeReplay!: number;

  /** Where the inbox record was (rabt.inbox.<agency>). */
  @Column({ name: 'inbox_topic', type: 'varchar', length: 249 })
  inboxTopic!: string;

  @Column({ name: 'inbox_partition', type: 'integer' })
  inboxPartition!: number;

  @Column({ name: 'inbox_offset', type: 'bigint' })
  inboxOffset!: string;
}
