import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DispatcherConfig } from '../config/dispatcher.config';
import { SubscriptionsCache } from '../subscriptions/subscriptions.cache';
import { DeliveryAttemptService } from './delivery-attempt.service';
import { DeliveryClaimsRepository, type ClaimedDelivery, type ClaimTerms } from './delivery-claims.repository';
import { DeliveryMetrics } from './delivery.metrics';
import { EndpointGuard } from './endpoint.guard';
import { PrefetchQueues } from './prefetch.queues';

/**
 * The delivery loop: claims due deliveries, runs each attempt without waiting for it, and sleeps
 * until woken (a new delivery, a finished attempt) or until DISPATCHER_POLL_MS passed (retries
 * coming due). No subscription gets more deliveries claimed than its endpoint would take now
 * (free slots; none while its circuit is open) plus what its prefetch queue has room for.
 *
 * Prefetch (DISPATCHER_PREFETCH): claims beyond an endpoint's free slots wait here, per endpoint,
 * and a slot freed by a finished attempt starts the next one at once — without them the slot
 * idles for a claim round trip, and the loop is claim → attempts → endings → claim, serially.
 * A claim waiting here holds a lease, so:
 * - claims are made with a lease longer by `holdMs` (one timeout), and a waiting claim that could
 *   not start within `holdMs` of its claim is given back (it would not have a full attempt's
 *   lease left). So a started attempt always has timeout + grace of lease, as without prefetch;
 * - an endpoint whose circuit is open gets its waiting claims given back, due when it half-opens;
 * - shutdown gives every waiting claim back;
 * - per-key order is the claim query's: a waiting claim is 'delivering', which holds its key.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('delivery');
  private readonly inFlight = new Set<Promise<void>>();
  /** Intake claims being taken over (adopt): shutdown waits for them before it gives waiting claims back. */
  private readonly adopting = new Set<Promise<void>>();
  private readonly queues: PrefetchQueues<ClaimedDelivery>;
  /** How long a claim may wait for a slot here: its lease is longer by as much. */
  private readonly holdMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private woken = false;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly claims: DeliveryClaimsRepository,
    private readonly attempts: DeliveryAttemptService,
    private readonly endpoints: EndpointGuard,
    private readonly subscriptions: SubscriptionsCache,
    private readonly metrics: DeliveryMetrics,
    private readonly config: DispatcherConfig,
  ) {
    this.queues = new PrefetchQueues(config.prefetch, Math.floor(config.prefetch / 2));
    this.holdMs = config.prefetch > 0 ? config.timeoutMs : 0;
  }

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

  /** Stops claiming, gives the waiting claims back, then waits for the attempts in flight (each ends within the timeout). */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    clearInterval(this.sweeper);
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.adopting]);
    await this.giveBack(this.queues.drainAll(), () => new Date(), 'shutdown');
    await Promise.allSettled([...this.inFlight]);
  }

  /** Look for due deliveries now. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private get leaseMs(): number {
    return this.config.timeoutMs + this.config.leaseGraceMs + this.holdMs;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.pump();
      const room = this.room();
      let full = false;
      if (room > 0) {
        try {
          const limit = Math.min(room, this.config.claimBatch);
          const deadline = this.startDeadline();
          const claimed = await this.claims.claim(limit, this.leaseMs, this.defaultCapacity, this.capacities());
          if (claimed.length > 0) this.metrics.claimed.inc({ by: 'worker' }, claimed.length);
          await this.take(claimed, deadline);
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

  /**
   * What the intake may insert already claimed for this worker (InboxRepository.insert), or
   * undefined: only with prefetch (DISPATCHER_PREFETCH=0 keeps the intake out of claiming) and
   * while running. `deadline` is to be handed back to `adopt` with the claims: taken before the
   * insert, so its lease started after it.
   */
  intakeClaim(): (ClaimTerms & { readonly deadline: number }) | undefined {
    if (!this.running || this.holdMs === 0) return undefined;
    const limit = Math.min(this.room(), this.config.claimBatch);
    if (limit <= 0) return undefined;
    return { limit, leaseMs: this.leaseMs, capacities: this.capacities(), defaultCapacity: this.defaultCapacity, deadline: this.startDeadline() };
  }

  /** Takes over deliveries the intake inserted claimed (see intakeClaim): attempted like the worker's own claims. */
  adopt(claimed: readonly ClaimedDelivery[], deadline: number): void {
    if (claimed.length === 0) return;
    this.metrics.claimed.inc({ by: 'intake' }, claimed.length);
    if (!this.running) {
      void this.giveBack(claimed, () => new Date(), 'shutdown');
      return;
    }
    const taking: Promise<void> = this.take(claimed, deadline)
      .catch((e: unknown) => this.log.warn({ err: e }, 'could not take over the intake\'s claims; they are claimed again when their leases run out'))
      .finally(() => this.adopting.delete(taking));
    this.adopting.add(taking);
  }

  /** Claims held here, waiting or in flight, stay within the in-flight limit plus (with prefetch) as many waiting. */
  private room(): number {
    return this.config.maxInFlight + (this.config.prefetch > 0 ? this.config.maxInFlight : 0) - this.inFlight.size - this.queues.total;
  }

  /** An idle endpoint's claim: its slots and its prefetch. */
  private get defaultCapacity(): number {
    return this.config.endpointConcurrency + this.config.prefetch;
  }

  /**
   * Until when a claim about to be made may start (performance.now()): holdMs from now, taken
   * before the claim is sent, so the lease (leaseMs from the claim statement) has at least
   * timeout + grace left at the start. Without prefetch, no limit: it starts now or is given back.
   */
  private startDeadline(): number {
    return this.holdMs > 0 ? performance.now() + this.holdMs : Number.POSITIVE_INFINITY;
  }

  /** Fresh claims: into their endpoints' queues, started as far as slots allow; without prefetch the rest given back. */
  private async take(claimed: readonly ClaimedDelivery[], deadline: number): Promise<void> {
    await this.enqueue(claimed, deadline);
    this.pump();
    if (this.holdMs === 0) await this.giveBack(this.queues.drainAll(), () => new Date(), 'endpoint-busy'); // no prefetch: as before, a claim is never kept
  }

  /**
   * What each subscription may have claimed now: its endpoint's free slots (none while its circuit
   * is open) plus the room in the endpoint's prefetch queue. Subscriptions not listed take the
   * default (an idle endpoint: endpoint concurrency + prefetch).
   */
  private capacities(): Map<string, number> {
    return this.subscriptions.capacitiesOf(this.endpoints.capacities(Date.now(), (endpoint) => this.queues.room(endpoint), this.queues.endpoints()));
  }

  /** Puts fresh claims in their endpoints' queues (in claim order); those that cannot be attempted are ended now. */
  private async enqueue(claimed: readonly ClaimedDelivery[], startBy: number): Promise<void> {
    const endpoints = await Promise.all(claimed.map((d) => this.attempts.endpointFor(d)));
    claimed.forEach((d, i) => {
      const endpoint = endpoints[i];
      if (endpoint) this.queues.add(endpoint, d, startBy);
      else this.track(d.id, this.attempts.run(d)); // gone (the subscription went away): ended without a slot
    });
  }

  /**
   * Starts waiting claims while their endpoints have free slots and the in-flight limit allows;
   * gives back those past their deadline, and all of an endpoint whose circuit is open.
   */
  private pump(): void {
    if (!this.running) return;
    const stale = this.queues.stale(performance.now());
    if (stale.length > 0) void this.giveBack(stale, () => new Date(), 'endpoint-busy');
    this.queues.pump(this.config.maxInFlight - this.inFlight.size, (endpoint, d) => {
      const entry = this.endpoints.enter(endpoint, Date.now());
      if (entry.entered) {
        this.track(d.id, this.attempts.run(d, { endpoint, probe: entry.probe }, () => this.pump()));
        return 'started';
      }
      if (entry.reason === 'circuit-open') void this.giveBack(this.queues.drain(endpoint), () => new Date(entry.retryAt), 'circuit-open');
      return 'refused';
    });
  }

  /** Gives claims back unattempted (no retry budget used), due at `at()`. */
  private async giveBack(ds: readonly ClaimedDelivery[], at: () => Date, reason: 'circuit-open' | 'endpoint-busy' | 'shutdown'): Promise<void> {
    if (ds.length === 0) return;
    if (reason !== 'shutdown') this.metrics.deferred.inc({ reason }, ds.length);
    await Promise.all(
      ds.map((d) => this.claims.release(d, at()).catch((e: unknown) => this.log.warn({ err: e, delivery: d.id }, 'could not give a claim back; it is claimed again when its lease runs out'))),
    );
  }

  private track(id: string, attempt: Promise<void>): void {
    const tracked = attempt
      .catch((e: unknown) => this.log.error({ err: e, delivery: id }, 'delivery attempt could not be recorded; it is retried when its lease runs out'))
      .finally(() => {
        this.inFlight.delete(tracked);
        this.pump(); // its slot is free: the next waiting claim starts now, not after a claim
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
