/** At most `limit` attempts in flight per endpoint (URL origin). */
export class EndpointLimiter {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly limit: number) {}

  tryAcquire(endpoint: string): boolean {
    const n = this.inFlight.get(endpoint) ?? 0;
    if (n >= this.limit) return false;
    this.inFlight.set(endpoint, n + 1);
    return true;
  }

  release(endpoint: string): void {
    const n = (this.inFlight.get(endpoint) ?? 0) - 1;
    if (n <= 0) this.inFlight.delete(endpoint);
    else this.inFlight.set(endpoint, n);
  }

  /** Free slots of every endpoint with an attempt in flight (the others have all `limit`). */
  partlyBusy(): Map<string, number> {
    return new Map([...this.inFlight].map(([endpoint, n]) => [endpoint, Math.max(0, this.limit - n)]));
  }
}
