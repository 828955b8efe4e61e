import type { Dashboard } from '@rabt/ops-contracts';

/**
 * Events per second now: the newest per-minute bucket divided by the seconds it has covered so far
 * (a bucket that began 15 s ago with 30 events is 2/s, not 0.5/s).
 */
export function eventsPerSecond(series: Dashboard['series'], now: number): number {
  const last = series.at(-1);
  if (!last) return 0;
  const elapsed = Math.min(60, Math.max(1, (now - Date.parse(last.t)) / 1000));
  return last.published / elapsed;
}

export interface Totals {
  readonly published: number;
  readonly delivered: number;
  readonly failed: number;
  readonly deadLetters: number;
}

export function totals(agencies: Dashboard['agencies']): Totals {
  return agencies.reduce((sum, a) => ({ published: sum.published + a.published, delivered: sum.delivered + a.delivered, failed: sum.failed + a.failed, deadLetters: sum.deadLetters + a.deadLetters }), {
    published: 0,
    delivered: 0,
    failed: 0,
    deadLetters: 0,
  });
}
