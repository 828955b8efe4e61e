import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { AgencyEntity } from '../agency/agency.entity';

export const SUBSCRIPTION_STATES = ['active', 'disabled'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

/**
 * An agency's subscription to one event type: which events (a CEL filter), how much of each
 * (a projection of top-level data fields) and where to (a webhook and/or the agency's Kafka
 * inbox `rabt.inbox.<agency>`). Webhook signing secrets are kept only sealed (AES-256-GCM under
 * RABT_SECRET_KEY, see @rabt/auth SecretBox); during a rotation the previous secret stays valid
 * until `previous_secret_expires_at`.
 *
 * At most one subscription per agency, type and webhook URL, and one per agency and type that
 * delivers to the inbox: a second one would only deliver the same events twice to the same place.
 */
@Entity({ name: 'subscription' })
@Index('UQ_subscription_webhook', ['agencyCode', 'eventType', 'webhookUrl'], { unique: true, where: `"webhook_url" IS NOT NULL` })
@Index('UQ_subscription_inbox', ['agencyCode', 'eventType'], { unique: true, where: `"inbox"` })
@Check('CHK_subscription_delivery', `"webhook_url" IS NOT NULL OR "inbox"`)
@Check('CHK_subscription_webhook_secret', `("webhook_url" IS NULL) = ("webhook_secret_ciphertext" IS NULL)`)
@Check('CHK_subscription_previous_secret', `("previous_webhook_secret_ciphertext" IS NULL) = ("previous_secret_expires_at" IS NULL)`)
@Check('CHK_subscription_state', `"state" IN ('active', 'disabled')`)
@Check('CHK_subscription_projection', `"projection" IS NULL OR cardinality("projection") > 0`)
export class SubscriptionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The subscriber. */
  @Index('IDX_subscription_agency')
  @Column({ name: 'agency_code', type: 'varchar', length: 16 })
  agencyCode!: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agency_code', foreignKeyConstraintName: 'FK_subscription_agency' })
  agency?: AgencyEntity;

  @Index('IDX_subscription_event_type')
  @Column({ name: 'event_type', type: 'varchar', length: 200 })
  eventType!: string;

  /** CEL source over `event` and `data`; null = every event of the type. */
  @Column({ type: 'text', nullable: true })
  filter!: string | null;

  /** Top-level data fields delivered, in schema order, always with the partition key; null = all. */
  @Column({ type: 'text', array: true, nullable: true })
  projection!: string[] | null;

  @Column({ name: 'webhook_url', type: 'varchar', length: 2048, nullable: true })
  webhookUrl!: string | null;

  /** The Standard Webhooks secret `whsec_…`, sealed: `v1:<iv>:<tag>:<data>`. */
  @Column({ name: 'webhook_secret_ciphertext', type: 'text', nullable: true })
  webhookSecretCiphertext!: string | null;

  @Column({ name: 'previous_webhook_secret_ciphertext', type: 'text', nullable: true })
  previousWebhookSecretCiphertext!: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt!: Date | null;

  /** Deliver to the agency's Kafka inbox topic `rabt.inbox.<agency>`. */
  @Column({ type: 'boolean', default: false })
  inbox!: boolean;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  state!: SubscriptionState;

  /** Why it was disabled (e.g. the webhook answered 410 Gone); null while active. */
  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
