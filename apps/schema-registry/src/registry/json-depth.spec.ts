import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonDepthScanner, jsonDepthExceeds } from './json-depth';

/** Nesting depth of a parsed JSON value, recursively (the generated values are shallow). */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value !== null && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

describe('jsonDepthExceeds', () => {
  it('agrees with the depth of the parsed value, for any JSON value and limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, max) => {
        expect(jsonDepthExceeds(JSON.stringify(value), max)).toBe(depthOf(value) > max);
      }),
      { numRuns: 2000 },
    );
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[\\" and \\\\' }), 1)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify(['"]]]]"', [['x']]]), 2)).toBe(true);
  });

  it('answers for text far deeper than any recursive parser could take, without recursion', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(jsonDepthExceeds(deep, 128)).toBe(true);
    expect(jsonDepthExceeds(deep, 1_000_000)).toBe(false);
  });

  it('counts brackets of text that is not valid JSON, without failing', () => {
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
