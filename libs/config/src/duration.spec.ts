import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('durations', () => {
  it('reads ms, s, m, h and d, fractions included', () => {
    expect([parseDuration('200ms'), parseDuration('2s'), parseDuration('1.5s'), parseDuration('2m'), parseDuration('24h'), parseDuration('1d')]).toEqual([200, 2000, 1500, 120_000, 86_400_000, 86_400_000]);
  });

  it('refuses anything else, and zero', () => {
    for (const bad of ['', '5', '5 minutes', '-1s', '1w', 's', '0s']) expect(() => parseDuration(bad), bad).toThrow(RangeError);
  });

  it('writes the largest exact unit', () => {
    expect([formatDuration(86_400_000), formatDuration(28_800_000), formatDuration(90_000), formatDuration(2_000), formatDuration(1_500)]).toEqual(['1d', '8h', '90s', '2s', '1500ms']);
  });
});
