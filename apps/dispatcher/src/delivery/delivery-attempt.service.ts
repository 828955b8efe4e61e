import { Injectable } from '@nestjs/common';
import { formatDuration } from '@rabt/config';
import { SSRF_REFUSAL_PREFIX, SUSPENDED_SUBSCRIBER_PREFIX, type SubscriptionEntity } from '@rabt/persistence';
import { DispatcherConfig } from '../config/dispatcher.config';
import { endpointOf, SubscriptionsCache } from '../subscriptions/subscriptions.cache';
import { DeliveryClaimsRepository, type ClaimedDelivery } from './delivery-claims.repository';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveryOutcomesRepository, type AttemptRecord } from './delivery-outcomes.repository';
import { EndpointGuard, verdictOf, type EndpointVerdict } from './endpoint.guard';
import { decide, describeFailure, isExpired, isSuccess, parseRetryAfter, type RetryPolicy } from './retry.schedule';
import { WebhookClient } from './webhook.client';

/**
 * Takes one claimed delivery to its next state: checks the subscription, the subscriber agency
 * (a suspended agency receives nothing: its deliveries are dead-lettered at once, to be replayed
 * if it is activated again) and the maximum age,
 * asks the endpoint for a slot and a closed circuit (else gives the claim back untouched),
 * attempts it, and records the attempt with what follows (delivered, retry at, dead, gone).
 */
@Injectable()
export class DeliveryAttemptService {
  private readonly policy: RetryPolicy;

  constructor(
    private readonly subscriptions: SubscriptionsCache,
    private readonly claims: DeliveryClaimsRepository,
    private readonly outcomes: DeliveryOutcomesRepository,
    private readonly endpoints: EndpointGuard,
    private readonly client: WebhookClient,
    private readonly metrics: DeliveryMetrics,
    private readonly config: DispatcherConfig,
  ) {
    this.policy = { schedule: config.retrySchedule, jitter: config.retryJitter, maxAgeMs: config.maxAgeMs };
  }

  /**
   * The endpoint a claimed delivery would be attempted at (its subscription's webhook origin), or
   * null when it cannot be attempted: `run` ends it without an attempt.
   */
  async endpointFor(d: ClaimedDelivery): Promise<string | null> {
    const subscription = await this.subscriptions.get(d.subscriptionId);
    return subscription?.state === 'active' && subscription.webhookUrl ? endpointOf(subscription.webhookUrl) : null;
  }

  /**
   * Takes the claim to its next state. `slot` is an endpoint slot the worker already took for it
   * (a prefetched claim started when a slot freed); without one, the slot is taken here. Either
   * way the slot is left as soon as the endpoint has answered (or did not), before the outcome
   * is written: the endpoint limit is about requests at the endpoint, and holding the slot for
   * the write would idle it for a database commit per attempt. `slotLeft` is then called, so the
   * worker can start the next waiting claim at once.
   */
  async run(d: ClaimedDelivery, slot?: EndpointSlot, slotLeft?: () => void): Promise<void> {
    let held = slot;
    const leave = (verdict: EndpointVerdict) => {
      if (!held) return;
      this.endpoints.leave(held.endpoint, held.probe, verdict, Date.now());
      held = undefined;
      slotLeft?.();
    };
    try {
      const subscription = await this.subscriptions.get(d.subscriptionId);
      const url = subscription?.state === 'active' ? subscription.webhookUrl : null;
      if (!subscription || !url) {
        this.metrics.ended.inc({ state: 'gone' });
        return await this.outcomes.gone(d, null, whyNotAttempted(subscription));
      }
      if (!(await this.subscriptions.isAgencyActive(d.agencyCode))) {
        this.metrics.ended.inc({ state: 'dead' });
        this.metrics.deadLettered.inc({ agency: d.agencyCode, type: d.eventType });
        return await this.outcomes.dead(d, null, `${SUSPENDED_SUBSCRIBER_PREFIX}: agency '${d.agencyCode}' is suspended; replay the dead letter once it is active again`);
      }
      if (isExpired(d.ageFrom, Date.now(), this.config.maxAgeMs)) {
        this.metrics.ended.inc({ state: 'dead' });
        this.metrics.deadLettered.inc({ agency: d.agencyCode, type: d.eventType });
        return await this.outcomes.dead(d, null, `maximum age ${formatDuration(this.config.maxAgeMs)} reached before another attempt; last error: ${d.lastError ?? 'none (never attempted)'}`);
      }

      const endpoint = endpointOf(url);
      if (held && held.endpoint !== endpoint) {
        // The webhook moved to another endpoint while the claim waited: that endpoint's slot was not taken.
        this.metrics.deferred.inc({ reason: 'endpoint-busy' });
        return await this.claims.release(d, new Date());
      }
      if (!held) {
        const entry = this.endpoints.enter(endpoint, Date.now());
        if (!entry.entered) {
          this.metrics.deferred.inc({ reason: entry.reason });
          return await this.claims.release(d, new Date(entry.retryAt));
        }
        held = { endpoint, probe: entry.probe };
      }
      const startedAt = new Date();
      const result = await this.client.send(d, subscription, url);
      leave(result.kind === 'refused' ? 'neutral' : verdictOf(result.status, result.local));
      if (result.kind === 'refused') {
        this.metrics.attempts.inc({ outcome: 'refused' });
        this.metrics.deadLettered.inc({ agency: d.agencyCode, type: d.eventType });
        const refusal = `${SSRF_REFUSAL_PREFIX}: ${result.reason}`;
        await this.outcomes.dead(d, { startedAt, status: null, latencyMs: 0, error: refusal }, refusal);
        return;
      }
      const now = Date.now();
      const outcome = { status: result.status, error: result.error, ...withRetryAfter(parseRetryAfter(result.retryAfter, now)) };
      const attempt: AttemptRecord = { startedAt, status: result.status, latencyMs: result.latencyMs, error: isSuccess(result.status) ? null : describeFailure(outcome) };
      const decision = decide(outcome, d.attempts - d.attemptsBeforeReplay + 1, d.ageFrom, now, this.policy);
      this.metrics.attempts.inc({ outcome: decision.kind });
      this.metrics.attemptSeconds.observe({ outcome: decision.kind }, result.latencyMs / 1000);
      const labels = { agency: d.agencyCode, type: d.eventType };
      this.metrics.latency.observe(labels, result.latencyMs / 1000);
      if (decision.kind === 'delivered') this.metrics.delivered.inc(labels);
      else this.metrics.failed.inc(labels);
      if (decision.kind === 'dead') this.metrics.deadLettered.inc(labels);
      switch (decision.kind) {
        case 'delivered':
          return await this.outcomes.delivered(d, attempt);
        case 'gone':
          await this.outcomes.gone(d, attempt, decision.reason);
          this.subscriptions.invalidate(d.subscriptionId);
          return;
        case 'retry':
          return await this.outcomes.retry(d, attempt, decision.at, decision.error);
        case 'dead':
          return await this.outcomes.dead(d, attempt, decision.error);
      }
    } finally {
      leave('neutral'); // not attempted, or the send itself threw: the attempt tells nothing about the endpoint
    }
  }
}

/** A slot taken at an endpoint (EndpointGuard.enter) for one attempt. */
export interface EndpointSlot {
  readonly endpoint: string;
  /** The half-open circuit's one probe. */
  readonly probe: boolean;
}

function whyNotAttempted(subscription: SubscriptionEntity | null): string {
  if (!subscription) return 'not attempted: the subscription was removed';
  if (subscription.state !== 'active') return `not attempted: the subscription is disabled${subscription.disabledReason ? ` (${subscription.disabledReason})` : ''}`;
  return 'not attempted: the subscription has no webhook any more';
}

const withRetryAfter = (ms: number | undefined) => (ms === undefined ? {} : { retryAfterMs: ms });
