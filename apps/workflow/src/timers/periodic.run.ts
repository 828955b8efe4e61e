/**
 * A piece of work run every `intervalMs` and once at start, never two runs at a time: a tick that
 * comes while the last run is still going is skipped. A failed run is reported to `onError` and
 * tried again on the next tick. `stop()` ends the ticks and waits for a run in progress; the work
 * reads `stopped` to end a long run early.
 */
export class PeriodicRun {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private ended = false;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  get stopped(): boolean {
    return this.ended;
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.tick();
  }

  async stop(): Promise<void> {
    this.ended = true;
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running || this.ended) return;
    this.running = this.work()
      .then(() => undefined)
      .catch(this.onError)
      .finally(() => (this.running = undefined));
  }
}
