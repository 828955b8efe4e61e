import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '@rabt/observability';
import type { BreakerState } from './circuit.breaker';

/** The dispatcher's Prometheus metrics (on GET /metrics). */
@Injectable()
export class DeliveryMetrics {
  readonly attempts: Counter<'outcome'>;
  readonly attemptSeconds: Histogram<'outcome'>;
  readonly deferred: Counter<'reason'>;
  readonly claimed: Counter<'by'>;
  readonly ended: Counter<'state'>;
  readonly breakerTransitions: Counter<'state'>;
  /** Per subscriber agency and event type (the Grafana dashboard's panels). */
  readonly delivered: Counter<'agency' | 'type'>;
  readonly failed: Counter<'agency' | 'type'>;
  readonly deadLettered: Counter<'agency' | 'type'>;
  readonly latency: Histogram<'agency' | 'type'>;
  private readonly breakerOpen: Gauge<'endpoint'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.attempts = new Counter({ name: 'rabt_dispatcher_attempts_total', help: 'Webhook attempts, by outcome (delivered, retry, dead, gone, refused)', labelNames: ['outcome'], registers });
    this.attemptSeconds = new Histogram({
      name: 'rabt_dispatcher_attempt_duration_seconds',
      help: 'Webhook attempt latency, by outcome',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.deferred = new Counter({ name: 'rabt_dispatcher_deferred_total', help: 'Claims given back without an attempt, by reason (circuit-open, endpoint-busy)', labelNames: ['reason'], registers });
    this.claimed = new Counter({ name: 'rabt_dispatcher_claimed_total', help: 'Deliveries claimed, by who claimed them (worker: the claim query; intake: inserted claimed)', labelNames: ['by'], registers });
    this.ended = new Counter({ name: 'rabt_dispatcher_deliveries_ended_total', help: 'Deliveries that reached a final state without an attempt, by state', labelNames: ['state'], registers });
    this.breakerTransitions = new Counter({ name: 'rabt_dispatcher_breaker_transitions_total', help: 'Circuit breaker state changes, by new state', labelNames: ['state'], registers });
    this.delivered = new Counter({ name: 'rabt_delivered_total', help: 'Webhook deliveries that succeeded, by subscriber agency and type', labelNames: ['agency', 'type'], registers });
    this.failed = new Counter({ name: 'rabt_delivery_failed_total', help: 'Webhook attempts that failed (retried, dead or gone), by subscriber agency and type', labelNames: ['agency', 'type'], registers });
    this.deadLettered = new Counter({ name: 'rabt_dead_lettered_total', help: 'Deliveries dead-lettered, by subscriber agency and type', labelNames: ['agency', 'type'], registers });
    this.latency = new Histogram({
      name: 'rabt_delivery_latency_seconds',
      help: 'Webhook attempt latency, by subscriber agency and type',
      labelNames: ['agency', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.breakerOpen = new Gauge({ name: 'rabt_dispatcher_breaker_open', help: '1 while the endpoint\'s circuit is open or half-open', labelNames: ['endpoint'], registers });
  }

  breakerChanged(endpoint: string, state: BreakerState): void {
    this.breakerTransitions.inc({ state });
    this.breakerOpen.set({ endpoint }, state === 'closed' ? 0 : 1);
  }
}
