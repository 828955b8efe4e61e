import { describe, expect, it } from 'vitest';
import { hashSecret, newApiKey, parseApiKey, parseBasic, parseBearer, secretMatches } from './api-key';

const pepper = 'p'.repeat(40);

describe('API keys', () => {
  it('issues a token whose id parses back and whose secret matches only its own hash', () => {
    const key = newApiKey(pepper);
    const parsed = parseApiKey(key.token)!;
    expect(parsed.keyId).toBe(key.keyId);
    expect(secretMatches(parsed.secret, key.secretHash, pepper)).toBe(true);
    expect(secretMatches(parsed.secret, key.secretHash, 'q'.repeat(40))).toBe(false);
    expect(secretMatches(`${parsed.secret.slice(0, -1)}A`, key.secretHash, pepper)).toBe(parsed.secret.endsWith('A'));
  });

  it('never stores the secret: the hash is a 64-hex HMAC that does not contain it', () => {
    const key = newApiKey(pepper);
    const { secret } = parseApiKey(key.token)!;
    expect(key.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.secretHash).toBe(hashSecret(secret, pepper));
    expect(key.token).not.toContain(key.secretHash);
  });

  it('rejects malformed tokens', () => {
    for (const bad of ['', 'rabt_', 'rabt_xyz_abc', `rabt_${'0'.repeat(32)}_short`, `Bearer rabt_${'0'.repeat(32)}_${'a'.repeat(43)}`]) {
      expect(parseApiKey(bad)).toBeUndefined();
    }
  });

  it('reads Bearer and Basic authorization headers', () => {
    expect(parseBearer('Bearer abc.def')).toBe('abc.def');
    expect(parseBearer('bearer  abc ')).toBe('abc');
    expect(parseBearer('Basic abc')).toBeUndefined();
    expect(parseBasic(`Basic ${Buffer.from('mom:rabt_x:y').toString('base64')}`)).toEqual({ username: 'mom', password: 'rabt_x:y' });
    expect(parseBasic('Basic !!!')).toBeUndefined();
    expect(parseBasic(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
  });
});
