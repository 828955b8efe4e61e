/** A claimed item waiting for a slot at its endpoint, and the last moment it may still start. */
interface Waiting<T> {
  readonly item: T;
  /** performance.now() after which the item must not start: its lease would not cover an attempt. */
  readonly startBy: number;
}

/** What the worker answered when offered an endpoint's next item. */
export type StartAnswer = 'started' | 'refused';

/**
 * Claimed deliveries waiting in this process for a slot at their endpoint (DISPATCHER_PREFETCH),
 * so a freed slot starts the next attempt at once instead of after a claim round trip.
 *
 * Each endpoint's queue is first in, first out, and the only way out is its head. It never
 * reorders, and per-key order does not rest on it anyway: the claim query takes no delivery
 * while an earlier one of its key is open, and a queued one is open ('delivering'), so one key
 * has at most one delivery here. Each item carries a deadline after which it must not start
 * (its lease would no longer cover a whole attempt); the worker gives such items back.
 */
export class PrefetchQueues<T> {
  private readonly byEndpoint = new Map<string, Waiting<T>[]>();
  private count = 0;

  /**
   * @param prefetch how many claims an endpoint may hold waiting (0: none beyond its free slots)
   * @param lowWater claim more for an endpoint only once its queue is at or below this, so a
   *   busy endpoint is topped up in batches, not one claim query per finished attempt
   */
  constructor(
    private readonly prefetch: number,
    private readonly lowWater: number,
  ) {}

  get total(): number {
    return this.count;
  }

  size(endpoint: string): number {
    return this.byEndpoint.get(endpoint)?.length ?? 0;
  }

  endpoints(): string[] {
    return [...this.byEndpoint.keys()];
  }

  add(endpoint: string, item: T, startBy: number): void {
    let queue = this.byEndpoint.get(endpoint);
    if (!queue) this.byEndpoint.set(endpoint, (queue = []));
    queue.push({ item, startBy });
    this.count++;
  }

  /** How many more claims the endpoint's queue would take now (0 above the low-water mark). */
  room(endpoint: string): number {
    const queued = this.size(endpoint);
    return queued <= this.lowWater ? Math.max(0, this.prefetch - queued) : 0;
  }

  /**
   * Offers each endpoint's head to `start`, one endpoint after the other (round robin, so no
   * endpoint's queue takes all of `budget`), until `budget` items started or every endpoint
   * refused or ran empty. A refused endpoint is not offered again in this pass. Answers how many
   * started. `start` may drain the endpoint it was offered (its circuit opened).
   */
  pump(budget: number, start: (endpoint: string, item: T) => StartAnswer): number {
    let started = 0;
    const refused = new Set<string>();
    let progress = true;
    while (started < budget && progress) {
      progress = false;
      for (const endpoint of this.endpoints()) {
        if (started >= budget) break;
        if (refused.has(endpoint)) continue;
        const head = this.byEndpoint.get(endpoint)?.[0];
        if (!head) continue;
        if (start(endpoint, head.item) === 'refused') {
          refused.add(endpoint);
          continue;
        }
        this.shiftHead(endpoint, head);
        started++;
        progress = true;
      }
    }
    return started;
  }

  /** Removes and answers the items whose deadline passed (`now` > startBy). */
  stale(now: number): T[] {
    const out: T[] = [];
    for (const [endpoint, queue] of this.byEndpoint) {
      const kept = queue.filter((w) => w.startBy >= now);
      if (kept.length === queue.length) continue;
      for (const w of queue) if (w.startBy < now) out.push(w.item);
      this.set(endpoint, kept);
    }
    return out;
  }

  /** Removes and answers every item of the endpoint. */
  drain(endpoint: string): T[] {
    const queue = this.byEndpoint.get(endpoint) ?? [];
    this.set(endpoint, []);
    return queue.map((w) => w.item);
  }

  /** Removes and answers every item. */
  drainAll(): T[] {
    return this.endpoints().flatMap((e) => this.drain(e));
  }

  private shiftHead(endpoint: string, head: Waiting<T>): void {
    const queue = this.byEndpoint.get(endpoint);
    // `start` may have drained or refilled the queue; take out exactly the head it accepted.
    if (queue?.[0] !== head) throw new Error(`prefetch queue of ${endpoint} changed under an accepted start`);
    this.set(endpoint, queue.slice(1));
  }

  private set(endpoint: string, queue: Waiting<T>[]): void {
    this.count += queue.length - this.size(endpoint);
    if (queue.length === 0) this.byEndpoint.delete(endpoint);
    else this.byEndpoint.set(endpoint, queue);
  }
}
