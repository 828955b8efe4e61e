import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonDepthScanner, jsonDepthExceeds } from './bounded-json';

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

  it('answers for text far deeper than any recursive parser could take, without recursion', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(jsonDepthExceeds(deep, 64)).toBe(true);
    expect(jsonDepthExceeds(deep, 1_000_000)).toBe(false);
    expect(jsonDepthExceeds('[]'.repeat(1_000_000), 64)).toBe(false);
  });

  it('counts brackets of text that is not valid JSON, without failing; stray closers buy no depth', () => {
    expect(jsonDepthExceeds('{"a": [[[', 3)).toBe(true);
    expect(jsonDepthExceeds('"unterminated [[[[', 0)).toBe(false);
    expect(jsonDepthExceeds(']]]]', 0)).toBe(false);
    expect(jsonDepthExceeds(']]]][[', 1)).toBe(true);
  });
});

describe('JsonDepthScanner', () => {
  it('gives the same answer however the UTF-8 bytes are split into pieces', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), fc.array(fc.nat(), { maxLength: 6 }), (value, max, cuts) => {
        const bytes = Buffer.from(JSON.stringify(value), 'utf8');
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const scanner = new JsonDepthScanner(max);
        let exceeded = false;
        let from = 0;
        for (const to of [...points, bytes.length]) {
          exceeded = scanner.push(bytes.subarray(from, to)) || exceeded;
          from = to;
        }
        expect(exceeded).toBe(depthOf(value) > max);
      }),
      { numRuns: 2000 },
    );
  });
});
