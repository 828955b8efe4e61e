import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DEAD_LETTER_STATES, type DeadLetterErrorCode, type DeadLetterState } from '@rabt/ops-contracts';
import { sqlInList } from '../sql-list';
import { DeliveryEntity } from './delivery.entity';

/**
 * A delivery that will not be attempted again (its schedule or maximum age ran out, or its URL
 * was refused): the original event, the subscription, the last error; every attempt is in
 * delivery_attempt. Operators replay or discard it (the operations API).
 */
@Entity({ name: 'dead_letter' })
@Index('UQ_dead_letter_delivery', ['deliveryId'], { unique: true })
@Index('IDX_dead_letter_agency', ['agencyCode', 'createdAt'])
@Index('IDX_dead_letter_state_created', ['state', 'createdAt', 'id'])
@Check('CHK_dead_letter_state', `"state" IN (${sqlInList(DEAD_LETTER_STATES)})`)
export class DeadLetterEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'delivery_id', type: 'text' })
  deliveryId!: string;

  @ManyToOne(() => DeliveryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'FK_dead_letter_delivery' })
  delivery?: DeliveryEntity;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId!: string;

  /** The subscriber. */
  @Column({ name: 'agency_code', type: 'varchar', length: 16 })
  agencyCode!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 200 })
  eventType!: string;

  @Column({ name: 'event_source', type: 'varchar', length: 200 })
  eventSource!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 200 })
  eventId!: string;

  /** The structured CloudEvent as it was (to be) delivered. */
  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus!: number | null;

  @Column({ name: 'last_error', type: 'text' })
  lastError!: string;

  @Column({ type: 'integer' })
  attempts!: number;

  /** Classified by the dispatcher when it dead-letters (classifyDeadLetterError). */
  @Column({ name: 'error_code', type: 'varchar', length: 32, default: 'OTHER' })
  errorCode!: DeadLetterErrorCode;

  /** open → replaying (put back to pending) → replayed (delivered) | open again (dead again); open → discarded. */
  @Column({ type: 'varchar', length: 16, default: 'open' })
  state!: DeadLetterState;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt!: Date | null;

  @Column({ name: 'discarded_at', type: 'timestamptz', nullable: true })
  discardedAt!: Date | null;

  @Column({ name: 'discard_reason', type: 'text', nullable: true })
  discardReason!: string | null;
}
