import { Injectable } from '@nestjs/common';
import { DispatcherConfig } from '../config/dispatcher.config';
import { CircuitBreakers } from './circuit.breaker';
import { DeliveryMetrics } from './delivery.metrics';
import { EndpointLimiter } from './endpoint.limiter';

/** How an attempt's answer counts for its endpoint's circuit. */
export type EndpointVerdict = 'success' | 'failure' | 'neutral';

export type Entry = { readonly entered: true; readonly probe: boolean } | { readonly entered: false; readonly reason: 'circuit-open' | 'endpoint-busy'; readonly retryAt: number };

/** Before an attempt, per endpoint: a free slot (concurrency limit) and a closed (or probing) circuit. */
@Injectable()
export class EndpointGuard {
  private readonly limiter: EndpointLimiter;
  private readonly breakers: CircuitBreakers;
  private readonly concurrency: number;

  constructor(config: DispatcherConfig, metrics: DeliveryMetrics) {
    this.concurrency = config.endpointConcurrency;
    this.limiter = new EndpointLimiter(config.endpointConcurrency);
    this.breakers = new CircuitBreakers(
      { failures: config.breakerFailures, windowMs: config.breakerWindowMs, cooldownMs: config.breakerCooldownMs },
      (endpoint, state) => metrics.breakerChanged(endpoint, state),
    );
  }

  enter(endpoint: string, now: number): Entry {
    if (!this.limiter.tryAcquire(endpoint)) return { entered: false, reason: 'endpoint-busy', retryAt: now };
    const permit = this.breakers.for(endpoint).permit(now);
    if (!permit.allowed) {
      this.limiter.release(endpoint);
      return { entered: false, reason: 'circuit-open', retryAt: permit.retryAt };
    }
    return { entered: true, probe: permit.probe };
  }

  leave(endpoint: string, probe: boolean, verdict: EndpointVerdict, now: number): void {
    this.limiter.release(endpoint);
    const breaker = this.breakers.for(endpoint);
    switch (verdict) {
      case 'success':
        breaker.succeeded();
        break;
      case 'failure':
        breaker.failed(now);
        break;
      case 'neutral':
        breaker.released(probe);
        break;
    }
  }

  /**
   * How many more deliveries of each endpoint the worker should claim now, for the endpoints that
   * would not take the default (an idle endpoint's `endpointConcurrency` + `room`): its free slots
   * (attempts in flight) plus `room(endpoint)` (its prefetch queue's room), or 0 while its circuit
   * is open. `waiting` are endpoints with claims waiting (idle ones among them are listed too). The
   * worker claims no more of an endpoint than this, so claims are rarely given back unattempted.
   */
  capacities(now: number, room: (endpoint: string) => number = () => 0, waiting: Iterable<string> = []): Map<string, number> {
    const capacities = new Map<string, number>();
    for (const [endpoint, free] of this.limiter.partlyBusy()) capacities.set(endpoint, free + room(endpoint));
    for (const endpoint of waiting) if (!capacities.has(endpoint)) capacities.set(endpoint, this.concurrency + room(endpoint));
    for (const endpoint of this.breakers.blocked(now)) capacities.set(endpoint, 0);
    return capacities;
  }
}

/** Timeouts, connection errors, 5xx and 429 count against an endpoint; any other answer shows it is up. */
export function verdictOf(status: number | null, local: boolean): EndpointVerdict {
  if (local) return 'neutral';
  if (status === null || status >= 500 || status === 429) return 'failure';
  return 'success';
}
