import { describe, expect, it } from 'vitest';
import { eventsPerSecond, totals } from './dashboard.metrics';

describe('dashboard figures', () => {
  const at = (iso: string) => Date.parse(iso);

  it('events per second divide the newest bucket by the seconds it covered so far', () => {
    const series = [
      { t: '2026-11-30T10:00:00Z', published: 600, delivered: 0, failed: 0 },
      { t: '2026-11-30T10:01:00Z', published: 30, delivered: 0, failed: 0 },
    ];
    expect(eventsPerSecond(series, at('2026-11-30T10:01:15Z'))).toBe(2);
    expect(eventsPerSecond(series, at('2026-11-30T10:05:00Z'))).toBe(0.5);
    expect(eventsPerSecond(series, at('2026-11-30T10:01:00Z'))).toBe(30);
    expect(eventsPerSecond([], 0)).toBe(0);
  });

  it('totals add up the agencies', () => {
    expect(
      totals([
        { agency: 'mom', published: 3, delivered: 2, failed: 1, deadLetters: 1 },
        { agency: 'rop', published: 0, delivered: 5, failed: 2, deadLetters: 0 },
      ]),
    ).toEqual({ published: 3, delivered: 7, failed: 3, deadLetters: 1 });
  });
});
