/**
 * Fixed-window counters of sign-in attempts per key (a username, a client address), kept in this
 * process's memory: each ops instance limits on its own, so N instances behind a balancer allow
 * up to N times the limit. An attempt is counted before its password is checked, so a flood is
 * refused before it costs an argon2 verification.
 */
export class AttemptLimiter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    /** Keys tracked at most; past it, finished windows are dropped, then the oldest ones. */
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one attempt for `key`; answers 0 when allowed, else the seconds until it may try again. */
  take(key: string): number {
    const at = this.now();
    const current = this.windows.get(key);
    if (!current || current.endsAt <= at) {
      this.makeRoom(at);
      this.windows.set(key, { count: 1, endsAt: at + this.windowMs });
      return 0;
    }
    if (current.count >= this.limit) return Math.max(1, Math.ceil((current.endsAt - at) / 1000));
    current.count++;
    return 0;
  }

  get size(): number {
    return this.windows.size;
  }

  private makeRoom(at: number): void {
    if (this.windows.size < this.maxKeys) return;
    for (const [key, w] of this.windows) if (w.endsAt <= at) this.windows.delete(key);
    // Maps iterate in insertion order: the first keys are the oldest windows.
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
