import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DispatcherConfig } from '../config/dispatcher.config';
import { SubscriptionsCache } from '../subscriptions/subscriptions.cache';
import { DeliveryAttemptService } from './delivery-attempt.service';
import { DeliveryClaimsRepository } from './delivery-claims.repository';
import { EndpointGuard } from './endpoint.guard';

/**
 * The delivery loop: claims due deliveries (up to the free in-flight slots), runs each attempt
 * without waiting for it, and sleeps until woken (a new delivery, a finished attempt) or until
 * DISPATCHER_POLL_MS passed (retries coming due). No subscription gets more deliveries claimed
 * than its endpoint would take now (free slots; none while its circuit is open).
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('delivery');
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private loop: Promise<void> | undefined;
  private woken = false;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly claims: DeliveryClaimsRepository,
    private readonly attempts: DeliveryAttemptService,
    private readonly endpoints: EndpointGuard,
    private readonly subscriptions: SubscriptionsCache,
    private readonly config: DispatcherConfig,
  ) {}

  private sweeper: NodeJS.Timeout | undefined;

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
    this.sweeper = setInterval(() => void this.sweep(), this.config.orphanSweepMs);
    this.sweeper.unref();
  }

  /** Ends the deliveries of removed subscriptions (see DeliveryClaimsRepository.endOrphans). */
  private async sweep(): Promise<void> {
    try {
      const ended = await this.claims.endOrphans();
      if (ended > 0) this.log.log(`${ended} waiting deliveries of removed subscriptions ended as gone`);
    } catch (e) {
      this.log.warn({ err: e }, 'could not end the deliveries of removed subscriptions; trying again later');
    }
  }

  /** Stops claiming, then waits for the attempts in flight (each ends within the timeout). */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    clearInterval(this.sweeper);
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Look for due deliveries now. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private get leaseMs(): number {
    return this.config.timeoutMs + this.config.leaseGraceMs;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const free = this.config.maxInFlight - this.inFlight.size;
      let full = false;
      if (free > 0) {
        try {
          const limit = Math.min(free, this.config.claimBatch);
          const capacities = this.subscriptions.capacitiesOf(this.endpoints.capacities(Date.now()));
          const claimed = await this.claims.claim(limit, this.leaseMs, this.config.endpointConcurrency, capacities);
          for (const d of claimed) this.track(d.id, this.attempts.run(d));
          full = claimed.length === limit;
          failures = 0;
        } catch (e) {
          failures++;
          this.log.warn({ err: e }, 'claiming deliveries failed; trying again');
          await sleep(Math.min(100 * 2 ** failures, 5_000));
          continue;
        }
      }
      if (!full || this.inFlight.size >= this.config.maxInFlight) await this.idle();
    }
  }

  private track(id: string, attempt: Promise<void>): void {
    const tracked = attempt
      .catch((e: unknown) => this.log.error({ err: e, delivery: id }, 'delivery attempt could not be recorded; it is retried when its lease runs out'))
      .finally(() => {
        this.inFlight.delete(tracked);
        this.wake();
      });
    this.inFlight.add(tracked);
  }

  private async idle(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.config.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
    this.wakeUp = undefined;
    this.woken = false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
