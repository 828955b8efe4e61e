import { describe, expect, it } from 'vitest';
import { PeriodicRun } from './periodic.run';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PeriodicRun', () => {
  it('runs at start and then on its ticks, never two runs at a time; stop waits for the run in progress', async () => {
    let active = 0;
    let mostAtOnce = 0;
    let runs = 0;
    let finished = 0;
    const run = new PeriodicRun(
      async () => {
        runs++;
        mostAtOnce = Math.max(mostAtOnce, ++active);
        await sleep(30);
        active--;
        finished++;
      },
      () => undefined,
    );
    run.start(5);
    expect(runs).toBe(1);
    await sleep(100);
    expect(run.stopped).toBe(false);
    await run.stop();
    expect(run.stopped).toBe(true);
    expect(mostAtOnce).toBe(1);
    expect(runs).toBeGreaterThan(1);
    expect(finished).toBe(runs);
    const after = runs;
    await sleep(30);
    expect(runs).toBe(after);
  });

  it('reports a failed run and tries again on the next tick', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const run = new PeriodicRun(
      async () => {
        runs++;
        if (runs === 1) throw new Error('database away');
      },
      (e) => errors.push(e),
    );
    run.start(5);
    await sleep(50);
    await run.stop();
    expect(errors.map((e) => (e as Error).message)).toEqual(['database away']);
    expect(runs).toBeGreaterThan(1);
  });
});
