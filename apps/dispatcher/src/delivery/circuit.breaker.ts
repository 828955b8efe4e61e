// One circuit breaker per endpoint (URL origin), in this process: a failing agency's endpoint is
// left alone for a while instead of tying up attempts, and other endpoints never notice.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures (within `windowMs` of each other's start) that open the circuit. */
  readonly failures: number;
  readonly windowMs: number;
  /** How long it stays open before one probe is let through. */
  readonly cooldownMs: number;
}

/** May an attempt go now? `probe`: it is the one attempt of a half-open circuit. */
export type Permit = { readonly allowed: true; readonly probe: boolean } | { readonly allowed: false; readonly retryAt: number };

/** While a probe is out, others wait this long before asking again. */
const HALF_OPEN_WAIT_MS = 1_000;

/**
 * closed → (N consecutive failures within the window) → open → (cooldown) → half-open: one probe
 * goes through; its success closes the circuit, its failure opens it again for another cooldown.
 * A success (or any answer that is not a failure) while closed clears the failure streak.
 */
export class CircuitBreaker {
  private streak: number[] = [];
  private openedAt = 0;
  private probing = false;
  private current: BreakerState = 'closed';

  constructor(
    private readonly options: BreakerOptions,
    private readonly onChange: (state: BreakerState) => void = () => undefined,
  ) {}

  state(now: number): BreakerState {
    if (this.current === 'open' && now - this.openedAt >= this.options.cooldownMs) this.move('half-open');
    return this.current;
  }

  /** Whether `permit` would allow an attempt now (without taking the probe). */
  wouldAllow(now: number): boolean {
    const state = this.state(now);
    return state === 'closed' || (state === 'half-open' && !this.probing);
  }

  permit(now: number): Permit {
    switch (this.state(now)) {
      case 'closed':
        return { allowed: true, probe: false };
      case 'open':
        return { allowed: false, retryAt: this.openedAt + this.options.cooldownMs };
      case 'half-open':
        if (this.probing) return { allowed: false, retryAt: now + Math.min(HALF_OPEN_WAIT_MS, this.options.cooldownMs) };
        this.probing = true;
        return { allowed: true, probe: true };
    }
  }

  succeeded(): void {
    this.streak = [];
    this.probing = false;
    if (this.current !== 'closed') this.move('closed');
  }

  failed(now: number): void {
    if (this.current === 'half-open' || this.current === 'open') {
      this.probing = false;
      this.open(now);
      return;
    }
    this.streak = [...this.streak.filter((t) => now - t < this.options.windowMs), now];
    if (this.streak.length >= this.options.failures) this.open(now);
  }

  /** An attempt that had a permit ended without telling anything about the endpoint (e.g. refused locally). */
  released(probe: boolean): void {
    if (probe) this.probing = false;
  }

  private open(now: number): void {
    this.openedAt = now;
    this.streak = [];
    this.move('open');
  }

  private move(state: BreakerState): void {
    if (this.current === state) return;
    this.current = state;
    this.onChange(state);
  }
}

/** Breakers by endpoint, created on first use. */
export class CircuitBreakers {
  private readonly byEndpoint = new Map<string, CircuitBreaker>();

  constructor(
    private readonly options: BreakerOptions,
    private readonly onChange: (endpoint: string, state: BreakerState) => void = () => undefined,
  ) {}

  for(endpoint: string): CircuitBreaker {
    let breaker = this.byEndpoint.get(endpoint);
    if (!breaker) {
      breaker = new CircuitBreaker(this.options, (state) => this.onChange(endpoint, state));
      this.byEndpoint.set(endpoint, breaker);
    }
    return breaker;
  }

  /** Endpoints that would refuse an attempt now. */
  blocked(now: number): string[] {
    return [...this.byEndpoint].filter(([, b]) => !b.wouldAllow(now)).map(([endpoint]) => endpoint);
  }
}
