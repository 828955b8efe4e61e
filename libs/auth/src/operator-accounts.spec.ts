import { describe, expect, it } from 'vitest';
import { hashOperatorPassword, validateNewOperator, verifyOperatorPassword } from './operator-accounts';

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
