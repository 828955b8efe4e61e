import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { SecretKeyConfig } from '@rabt/auth';
import { WebhookPolicyConfig, webhookSecretsOf } from '@rabt/routing';
import type { SubscriptionEntity } from '@rabt/persistence';
import { DispatcherConfig } from '../config/dispatcher.config';
import { webhookBody } from '../intake/inbox-record';
import type { ClaimedDelivery } from './delivery-claims.repository';
import { WebhookSender } from './webhook.sender';
import { WebhookSigner } from './webhook.signer';
import { webhookTlsOptions } from './webhook.tls';
import { resolveWebhookTarget, WebhookDnsError, WebhookUrlRefusedError } from './webhook.target';

export type SendResult =
  | { readonly kind: 'refused'; readonly reason: string }
  | {
      readonly kind: 'answer';
      readonly status: number | null;
      readonly error: string | null;
      readonly retryAfter: string | null;
      readonly latencyMs: number;
      /** The failure was Rabt's own (e.g. a secret it cannot open), not the endpoint's. */
      readonly local: boolean;
    };

export const CLOUDEVENTS_JSON = 'application/cloudevents+json';

/**
 * One webhook attempt: the SSRF guard (resolve, check, pin), Standard Webhooks signatures with
 * every valid secret of the subscription (webhook-id = delivery id, a fresh timestamp), and the
 * POST of the structured CloudEvent.
 */
@Injectable()
export class WebhookClient implements OnApplicationShutdown {
  private readonly sender: WebhookSender;
  /**
   * Each subscription's opened secrets, for as long as the subscriptions cache holds that row (a
   * changed or rotated subscription is a new row) and, with a previous secret, until its overlap
   * ends. Opening the sealed secrets took an AES-GCM decryption per attempt.
   */
  private readonly signers = new WeakMap<SubscriptionEntity, { readonly signer: WebhookSigner; readonly until: number }>();

  constructor(
    private readonly config: DispatcherConfig,
    private readonly policy: WebhookPolicyConfig,
    private readonly secrets: SecretKeyConfig,
  ) {
    this.sender = new WebhookSender(config.endpointConcurrency, config.keepAliveMs, webhookTlsOptions(config.tls));
  }

  async send(d: ClaimedDelivery, subscription: SubscriptionEntity, url: string): Promise<SendResult> {
    const started = performance.now();
    const failed = (error: string, local: boolean): SendResult => ({ kind: 'answer', status: null, error, retryAfter: null, latencyMs: Math.round(performance.now() - started), local });
    let target;
    try {
      target = await resolveWebhookTarget(url, this.policy.allowHosts);
    } catch (e) {
      if (e instanceof WebhookUrlRefusedError) return { kind: 'refused', reason: e.message };
      if (e instanceof WebhookDnsError) return failed(e.message, false);
      throw e;
    }
    const body = webhookBody(d.payload);
    let signature;
    try {
      signature = this.signerFor(subscription).sign(d.id, new Date(), body);
    } catch (e) {
      return failed(`cannot sign the webhook: ${(e as Error).message}`, true);
    }
    const answer = await this.sender.post(target, { 'content-type': CLOUDEVENTS_JSON, 'user-agent': 'rabt-dispatcher/1', ...signature }, body, this.config.timeoutMs);
    return { kind: 'answer', ...answer, local: false };
  }

  private signerFor(subscription: SubscriptionEntity): WebhookSigner {
    const now = new Date();
    const kept = this.signers.get(subscription);
    if (kept && now.getTime() < kept.until) return kept.signer;
    const signer = new WebhookSigner(webhookSecretsOf(subscription, this.secrets.box, now));
    const overlapEnds = subscription.previousSecretExpiresAt;
    this.signers.set(subscription, { signer, until: overlapEnds && overlapEnds > now ? overlapEnds.getTime() : Number.POSITIVE_INFINITY });
    return signer;
  }

  onApplicationShutdown(): void {
    this.sender.close();
  }
}
