import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttemptLimiter } from './sign-in.limiter';

describe('AttemptLimiter', () => {
  it('allows `limit` attempts per key per window, then answers the seconds left', () => {
    let now = 0;
    const limiter = new AttemptLimiter(3, 60_000, 100, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(60);
    expect(limiter.take('b')).toBe(0);
    now = 59_500;
    expect(limiter.take('a')).toBe(1);
    now = 60_000;
    expect(limiter.take('a')).toBe(0);
  });

  it('never allows more than `limit` attempts per key per window over any run (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 500 })), { maxLength: 300 }), (limit, steps) => {
        let now = 0;
        const limiter = new AttemptLimiter(limit, 1000, 100, () => now);
        const allowed = new Map<string, number>();
        for (const [key, dt] of steps) {
          now += dt;
          if (limiter.take(key) === 0) allowed.set(key, (allowed.get(key) ?? 0) + 1);
        }
        // Windows of one key do not overlap, and the run spans at most now / 1000 + 1 of them.
        for (const n of allowed.values()) expect(n).toBeLessThanOrEqual(limit * (Math.floor(now / 1000) + 1));
      }),
    );
  });

  it('keeps at most maxKeys keys, dropping the oldest', () => {
    const limiter = new AttemptLimiter(1, 60_000, 3, () => 0);
    for (const key of ['a', 'b', 'c', 'd']) limiter.take(key);
    expect(limiter.size).toBe(3);
  });
});
