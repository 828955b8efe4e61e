import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds } from './bounded-json';

/** Nesting depth of a parsed JSON value, by recursion (fine for the small values generated here). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('jsonDepthExceeds', () => {
  it('agrees with the depth of the parsed value, for any JSON value and limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, limit) => {
        expect(jsonDepthExceeds(JSON.stringify(value), limit)).toBe(depthOf(value) > limit);
      }),
      { numRuns: 2_000 },
    );
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('[', '{', ']', '}', '"', '\\', 'a'), { maxLength: 200 }), (chars) => {
        const text = JSON.stringify({ s: chars.join('') });
        expect(jsonDepthExceeds(text, 1)).toBe(false);
      }),
    );
  });

  it('scans a million levels in linear time and constant stack', () => {
    const levels = 1_000_000;
    const started = performance.now();
    expect(jsonDepthExceeds('['.repeat(levels) + ']'.repeat(levels), 64)).toBe(true);
    expect(jsonDepthExceeds('[]'.repeat(levels), 64)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
