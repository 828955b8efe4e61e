import type { SubscriptionEntity, SubscriptionState } from '@rabt/persistence';

/** The Kafka topic of an agency's inbox. */
export const inboxTopic = (agency: string): string => `rabt.inbox.${agency}`;

/** Kafka header (a CloudEvents extension) naming the subscription an inbox record was routed for. */
export const SUBSCRIPTION_HEADER = 'ce_rabtsubscription';

/** A subscription as shown to its agency and to admins: never a secret, sealed or not. */
export interface SubscriptionView {
  readonly id: string;
  /** The subscriber. */
  readonly agency: string;
  readonly eventType: string;
  readonly filter: string | null;
  /** Data fields delivered, in schema order, with the partition key; null = all. */
  readonly projection: readonly string[] | null;
  /** Where webhooks go; `previousSecretExpiresAt` is set while a rotated-out secret still verifies. */
  readonly webhook: { readonly url: string; readonly previousSecretExpiresAt: Date | null } | null;
  /** The inbox topic (rabt.inbox.<agency>) when it delivers there, else null. */
  readonly inboxTopic: string | null;
  readonly state: SubscriptionState;
  readonly disabledReason: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A subscription just created: the only time its webhook signing secret is shown. */
export interface CreatedSubscriptionView extends SubscriptionView {
  /** `whsec_…`; null without a webhook. */
  readonly webhookSecret: string | null;
}

/** After a rotation: the new secret, shown this once, and until when the previous one verifies. */
export interface RotatedSecretView extends SubscriptionView {
  readonly webhookSecret: string;
}

export function subscriptionView(s: SubscriptionEntity, now: Date = new Date()): SubscriptionView {
  const previousValid = s.previousSecretExpiresAt && s.previousSecretExpiresAt > now ? s.previousSecretExpiresAt : null;
  return {
    id: s.id,
    agency: s.agencyCode,
    eventType: s.eventType,
    filter: s.filter,
    projection: s.projection,
    webhook: s.webhookUrl ? { url: s.webhookUrl, previousSecretExpiresAt: previousValid } : null,
    inboxTopic: s.inbox ? inboxTopic(s.agencyCode) : null,
    state: s.state,
    disabledReason: s.disabledReason,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}
