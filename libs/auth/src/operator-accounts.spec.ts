import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashOperatorPassword, lockDurationMs, validateNewOperator, verifyOperatorPassword } from './operator-accounts';

describe('operator accounts', () => {
  it('accepts a valid account and lists every problem of a bad one', () => {
    expect(validateNewOperator({ username: 'aisha', role: 'operator', password: 'correct horse battery' })).toEqual([]);
    const errors = validateNewOperator({ username: 'A!', role: 'root', password: 'short', agency: 'MOM' });
    expect(errors.map((e) => e.split(':')[0])).toEqual(['username', 'role', 'password', 'agency']);
  });

  it('hashes with argon2id and verifies only the right password', async () => {
    const h = await hashOperatorPassword('correct horse battery');
    expect(h).toMatch(/^\$argon2id\$/);
    expect(await verifyOperatorPassword(h, 'correct horse battery')).toBe(true);
    expect(await verifyOperatorPassword(h, 'wrong horse battery')).toBe(false);
    expect(await verifyOperatorPassword('not a hash', 'x')).toBe(false);
  });
});

describe('lockDurationMs', () => {
  it('doubles per further lock from the base, up to the maximum', () => {
    const base = 15 * 60_000;
    const max = 24 * 3_600_000;
    expect([1, 2, 3, 4].map((n) => lockDurationMs(n, base, max))).toEqual([base, 2 * base, 4 * base, 8 * base]);
    expect(lockDurationMs(7, base, max)).toBe(64 * base);
    expect(lockDurationMs(8, base, max)).toBe(max);
    expect(lockDurationMs(10_000, base, max)).toBe(max);
    expect(lockDurationMs(0, base, max)).toBe(base);
  });

  it('never shrinks as locks add up and never passes the maximum (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 3_600_000 }), fc.integer({ min: 1, max: 10 ** 9 }), (n, base, extra) => {
        const max = base + extra;
        const d = lockDurationMs(n, base, max);
        expect(d).toBeGreaterThanOrEqual(base);
        expect(d).toBeLessThanOrEqual(max);
        expect(lockDurationMs(n + 1, base, max)).toBeGreaterThanOrEqual(d);
      }),
    );
  });
});
