import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DeliveryEntity } from './delivery.entity';

/** One HTTP attempt of a delivery (or a refusal before connecting, e.g. by the SSRF guard). */
@Entity({ name: 'delivery_attempt' })
@Index('IDX_delivery_attempt_delivery', ['deliveryId', 'attemptNo'])
export class DeliveryAttemptEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'delivery_id', type: 'text' })
  deliveryId!: string;

  @ManyToOne(() => DeliveryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'FK_delivery_attempt_delivery' })
  delivery?: DeliveryEntity;

  /** 1 for the first attempt. */
  @Column({ name: 'attempt_no', type: 'integer' })
  attemptNo!: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  /** The HTTP status; null when there was no answer (timeout, connection error, refused URL). */
  @Column({ type: 'integer', nullable: true })
  status!: number | null;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
