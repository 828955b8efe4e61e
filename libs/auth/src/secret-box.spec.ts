import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@rabt/config';
import { decodeSecretKey, SecretBox, SecretBoxError } from './secret-box';
import { authFragment, DEVELOPMENT_PEPPER } from './auth.config';
import { DEVELOPMENT_SECRET_KEY, secretKeyFragment } from './secret-box.config';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const box = new SecretBox(randomBytes(32));

/** Flips one bit of the base64url part `index` (1 iv, 2 tag, 3 data) of a sealed value. */
function flip(sealed: string, index: number): string {
  const parts = sealed.split(':');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join(':');
}

describe('SecretBox (AES-256-GCM at rest)', () => {
  it('round-trips a secret, in the versioned v1:<iv>:<tag>:<data> base64url format, never containing the clear text', () => {
    const sealed = box.seal(SECRET, 'subscription:1');
    expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(SECRET);
    expect(sealed).not.toContain(Buffer.from(SECRET).toString('base64url'));
    expect(box.open(sealed, 'subscription:1')).toBe(SECRET);
  });

  it('uses a fresh IV each time: the same secret seals differently', () => {
    const a = box.seal(SECRET);
    const b = box.seal(SECRET);
    expect(a).not.toBe(b);
    expect(a.split(':')[1]).not.toBe(b.split(':')[1]);
    expect(box.open(a)).toBe(box.open(b));
  });

  it('detects tampering with the IV, the tag or the data', () => {
    const sealed = box.seal(SECRET);
    for (const part of [1, 2, 3]) expect(() => box.open(flip(sealed, part))).toThrow(SecretBoxError);
  });

  it('refuses a value sealed under another key', () => {
    const other = new SecretBox(randomBytes(32));
    expect(() => other.open(box.seal(SECRET))).toThrow(/another key or for another context/);
  });

  it('binds a value to its context: it cannot be moved to another row', () => {
    const sealed = box.seal(SECRET, 'subscription:a');
    expect(() => box.open(sealed, 'subscription:b')).toThrow(SecretBoxError);
    expect(() => box.open(sealed)).toThrow(SecretBoxError);
  });

  it('refuses malformed values and unknown versions', () => {
    const sealed = box.seal(SECRET);
    for (const bad of ['', SECRET, sealed.replace(/^v1:/, 'v2:'), sealed.split(':').slice(0, 3).join(':'), `v1:AAAA:${sealed.split(':').slice(2).join(':')}`]) {
      expect(() => box.open(bad), bad).toThrow(SecretBoxError);
    }
  });

  it('takes only 32-byte keys', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(RangeError);
    expect(decodeSecretKey(randomBytes(32).toString('base64url'))).toHaveLength(32);
    expect(() => decodeSecretKey(randomBytes(31).toString('base64'))).toThrow(/must be 32 bytes/);
    expect(() => decodeSecretKey('not base64!')).toThrow(/must be base64/);
  });
});

describe('RABT_SECRET_KEY', () => {
  const load = (env: Record<string, string>) => loadConfig('test', { secrets: secretKeyFragment() }, env);

  it('defaults to the documented development key, flagged as such', () => {
    const config = load({});
    expect(config.values.secrets.developmentKey).toBe(true);
    expect(new SecretBox(decodeSecretKey(DEVELOPMENT_SECRET_KEY)).open(config.values.secrets.box.seal(SECRET))).toBe(SECRET);
    expect(config.printable['RABT_SECRET_KEY']).toBe('***');
  });

  it('takes a real key, and refuses a short one without echoing it', () => {
    const key = randomBytes(32).toString('base64');
    const config = load({ RABT_SECRET_KEY: key });
    expect(config.values.secrets.developmentKey).toBe(false);
    expect(new SecretBox(decodeSecretKey(key)).open(config.values.secrets.box.seal(SECRET))).toBe(SECRET);
    const short = randomBytes(16).toString('base64');
    expect(() => load({ RABT_SECRET_KEY: short })).toThrow(/RABT_SECRET_KEY: must be 32 bytes as base64 .*\(got \(secret, not shown\)\)/);
    try {
      load({ RABT_SECRET_KEY: short });
    } catch (e) {
      expect((e as Error).message).not.toContain(short);
    }
  });

  it('outside development mode, refuses the development key and a missing one, naming RABT_SECRET_KEY', () => {
    expect(() => load({ RABT_DEV_MODE: 'false' })).toThrow(/RABT_SECRET_KEY: is not set, and the built-in development key is public/);
    expect(() => load({ RABT_DEV_MODE: 'false', RABT_SECRET_KEY: DEVELOPMENT_SECRET_KEY })).toThrow(/RABT_SECRET_KEY: is the built-in development key, which is public/);
    expect(load({ RABT_DEV_MODE: 'false', RABT_SECRET_KEY: randomBytes(32).toString('base64') }).values.secrets.developmentKey).toBe(false);
  });
});

describe('RABT_API_KEY_PEPPER', () => {
  const load = (env: Record<string, string>) => loadConfig('test', { auth: authFragment() }, env);

  it('outside development mode, refuses the development pepper and a missing one', () => {
    expect(() => load({ RABT_DEV_MODE: 'false' })).toThrow(/RABT_API_KEY_PEPPER: is not set, and the built-in development pepper is public/);
    expect(() => load({ RABT_DEV_MODE: 'false', RABT_API_KEY_PEPPER: DEVELOPMENT_PEPPER })).toThrow(/RABT_API_KEY_PEPPER: is the built-in development pepper/);
    expect(load({ RABT_DEV_MODE: 'false', RABT_API_KEY_PEPPER: randomBytes(32).toString('base64') }).values.auth.developmentPepper).toBe(false);
  });

  it('in development mode, takes the development pepper and flags it', () => {
    const loaded = load({ RABT_DEV_MODE: 'true' });
    expect(loaded.values.auth.developmentPepper).toBe(true);
    expect(loaded.unsafe.map((u) => u.variable)).toEqual(['RABT_API_KEY_PEPPER']);
  });
});
