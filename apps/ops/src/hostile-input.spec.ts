import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileInput, MAX_BODY_DEPTH } from './hostile-input';

const nest = (n: number): unknown => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`);

describe('hostileInput', () => {
  it('takes ordinary bodies, queries and parameters', () => {
    expect(hostileInput({ filter: { agency: 'rop', from: '2026-01-01T00:00:00Z' }, reason: 'fixed', ratePerSecond: 5 })).toBeUndefined();
    expect(hostileInput({ id: 'tx-1' })).toBeUndefined();
    expect(hostileInput(null)).toBeUndefined();
    expect(hostileInput(nest(MAX_BODY_DEPTH))).toBeUndefined();
  });

  it('refuses NUL in any string or name, naming where', () => {
    expect(hostileInput({ reason: 'why\u0000' })).toBe('reason: NUL characters are not allowed');
    expect(hostileInput({ filter: { type: ['a', 'b\u0000'] } })).toBe('filter.type.1: NUL characters are not allowed');
    expect(hostileInput({ ['a\u0000']: 1 })).toMatch(/NUL characters are not allowed in names/);
    expect(hostileInput('\u0000')).toBe('value: NUL characters are not allowed');
  });

  it('refuses nesting past the bound without recursing, however deep', () => {
    expect(hostileInput(nest(MAX_BODY_DEPTH + 1))).toMatch(/nested deeper than/);
    expect(hostileInput(nest(100_000))).toMatch(/nested deeper than/);
  });

  it('finds a NUL wherever it is hidden in a JSON value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.string({ maxLength: 5 }), (value, s) => {
        expect(hostileInput(value)).toBe(JSON.stringify(value).includes('\\u0000') ? expect.any(String) : undefined);
        expect(hostileInput({ wrapped: [value, `${s}\u0000`] })).toBeDefined();
      }),
    );
  });
});
