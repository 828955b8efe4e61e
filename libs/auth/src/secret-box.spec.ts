import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@rabt/config';
import { decodeSecretKey, decodeSecretKeyring, SecretBox, SecretBoxError, type SecretKeyEntry } from './secret-box';
import { authFragment, decodePepperList, DEVELOPMENT_PEPPER } from './auth.config';
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
    expect(config.values.secrets.box.keyIds).toEqual(['legacy']);
    expect(config.printable['RABT_SECRET_KEY']).not.toContain(DEVELOPMENT_SECRET_KEY);
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

const b64 = (key: Uint8Array) => Buffer.from(key).toString('base64');
const entry = (id: string): SecretKeyEntry => ({ id, key: randomBytes(32) });

describe('SecretBox keyring', () => {
  const [k1, k2, k3] = [entry('k1'), entry('k2'), entry('2026-q3')];

  it('seals under the primary key as v2:<key id>:…, and opens with any key of the ring', () => {
    const ring = new SecretBox([k1, k2]);
    expect(ring.primaryKeyId).toBe('k2');
    const sealed = ring.seal(SECRET, 'ctx');
    expect(sealed).toMatch(/^v2:k2:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(ring.keyIdOf(sealed)).toBe('k2');
    expect(new SecretBox([k2]).open(sealed, 'ctx')).toBe(SECRET);
    const older = new SecretBox([k1]).seal(SECRET, 'ctx');
    expect(ring.open(older, 'ctx')).toBe(SECRET);
  });

  it('takes an explicit primary key id', () => {
    const ring = new SecretBox([k1, k2], 'k1');
    expect(ring.keyIdOf(ring.seal(SECRET))).toBe('k1');
    expect(() => new SecretBox([k1, k2], 'k9')).toThrow(/primary key id k9 is not in the keyring/);
  });

  it('opens v1 values with the legacy key, and seals v1 while the legacy key is primary', () => {
    const legacyKey = randomBytes(32);
    const v1 = new SecretBox(legacyKey).seal(SECRET);
    expect(v1).toMatch(/^v1:/);
    const ring = new SecretBox([{ id: 'legacy', key: legacyKey }, k1]);
    expect(ring.open(v1)).toBe(SECRET);
    expect(ring.keyIdOf(v1)).toBe('legacy');
    expect(new SecretBox([{ id: 'legacy', key: legacyKey }, k1], 'legacy').seal(SECRET)).toMatch(/^v1:/);
    expect(() => new SecretBox([k1]).open(v1)).toThrow(/key id legacy, which is not in the keyring/);
  });

  it('names the missing key id, never a key, when a value was sealed under a key not in the ring', () => {
    const sealed = new SecretBox([k3]).seal(SECRET);
    const ring = new SecretBox([k1, k2]);
    expect(() => ring.open(sealed)).toThrow(SecretBoxError);
    expect(() => ring.open(sealed)).toThrow('the sealed secret is under key id 2026-q3, which is not in the keyring (RABT_SECRET_KEYS)');
    try {
      ring.open(sealed);
    } catch (e) {
      for (const k of [k1, k2, k3]) expect((e as Error).message).not.toContain(b64(k.key));
    }
  });

  it('refuses a key id swapped in the sealed value: the other key does not authenticate it', () => {
    const ring = new SecretBox([k1, k2]);
    const sealed = ring.seal(SECRET).replace(/^v2:k2:/, 'v2:k1:');
    expect(() => ring.open(sealed)).toThrow(/does not authenticate under key id k1/);
  });

  it('reseals a value under the primary key, and leaves one already under it alone', () => {
    const old = new SecretBox([k1]).seal(SECRET, 'row:1');
    const ring = new SecretBox([k1, k2]);
    const resealed = ring.reseal(old, 'row:1')!;
    expect(ring.keyIdOf(resealed)).toBe('k2');
    expect(new SecretBox([k2]).open(resealed, 'row:1')).toBe(SECRET);
    expect(ring.reseal(resealed, 'row:1')).toBeUndefined();
    expect(() => ring.reseal(old, 'row:2')).toThrow(SecretBoxError);
  });

  it('refuses rings with duplicate, malformed or short keys', () => {
    expect(() => new SecretBox([])).toThrow(/at least one key/);
    expect(() => new SecretBox([k1, { ...k2, id: 'k1' }])).toThrow(/listed twice/);
    expect(() => new SecretBox([{ id: 'a:b', key: randomBytes(32) }])).toThrow(/key id/);
    expect(() => new SecretBox([{ id: 'k', key: randomBytes(31) }])).toThrow(/32 bytes, not 31 \(key id k\)/);
  });

  const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/);
  const ringWith = fc.uniqueArray(id, { minLength: 1, maxLength: 6 }).chain((ids) =>
    fc.record({ ids: fc.constant(ids), sealer: fc.constantFrom(...ids), primary: fc.constantFrom(...ids), plaintext: fc.string(), context: fc.string() }),
  );

  it('property: a value sealed under a key opens under any ring containing that key, whatever its primary', () => {
    fc.assert(
      fc.property(ringWith, ({ ids, sealer, primary, plaintext, context }) => {
        const keys = ids.map((i) => ({ id: i, key: randomBytes(32) }));
        const byId = new Map(keys.map((k) => [k.id, k]));
        const sealed = new SecretBox([byId.get(sealer)!]).seal(plaintext, context);
        const ring = new SecretBox(keys, primary);
        expect(ring.open(sealed, context)).toBe(plaintext);
        expect(ring.open(ring.seal(plaintext, context), context)).toBe(plaintext);
        const resealed = ring.reseal(sealed, context) ?? sealed;
        expect(ring.keyIdOf(resealed)).toBe(primary);
        expect(new SecretBox([byId.get(primary)!]).open(resealed, context)).toBe(plaintext);
      }),
      { numRuns: 100 },
    );
  });

  it('property: removing the key a value was sealed under makes it fail to open, naming that key id', () => {
    fc.assert(
      fc.property(ringWith.filter((r) => r.ids.length > 1), ({ ids, sealer, plaintext, context }) => {
        const keys = ids.map((i) => ({ id: i, key: randomBytes(32) }));
        const sealed = new SecretBox(keys, sealer).seal(plaintext, context);
        const without = new SecretBox(keys.filter((k) => k.id !== sealer));
        expect(() => without.open(sealed, context)).toThrow(new RegExp(`under key id ${sealer}, which is not in the keyring`));
      }),
      { numRuns: 100 },
    );
  });
});

describe('RABT_SECRET_KEYS', () => {
  const load = (env: Record<string, string>) => loadConfig('test', { secrets: secretKeyFragment() }, env);
  const [k1, k2] = [entry('k1'), entry('k2')];
  const list = (...entries: SecretKeyEntry[]) => entries.map((e) => `${e.id}:${b64(e.key)}`).join(',');

  it('is a ring, the last key primary unless RABT_SECRET_KEY_PRIMARY names one, masked when printed', () => {
    const config = load({ RABT_DEV_MODE: 'false', RABT_SECRET_KEYS: list(k1, k2) });
    expect(config.values.secrets.box.keyIds).toEqual(['k1', 'k2']);
    expect(config.values.secrets.box.primaryKeyId).toBe('k2');
    expect(config.printable['RABT_SECRET_KEYS']).toBe('***');
    expect(load({ RABT_DEV_MODE: 'false', RABT_SECRET_KEYS: list(k1, k2), RABT_SECRET_KEY_PRIMARY: 'k1' }).values.secrets.box.primaryKeyId).toBe('k1');
    expect(new SecretBox([k2]).open(config.values.secrets.box.seal(SECRET))).toBe(SECRET);
  });

  it('RABT_SECRET_KEY is the one-key ring legacy:<key>', () => {
    const key = randomBytes(32);
    const config = load({ RABT_DEV_MODE: 'false', RABT_SECRET_KEY: b64(key) });
    expect(config.values.secrets.box.keyIds).toEqual(['legacy']);
    const both = load({ RABT_DEV_MODE: 'false', RABT_SECRET_KEYS: `legacy:${b64(key)},${list(k1)}` }).values.secrets.box;
    expect(both.open(config.values.secrets.box.seal(SECRET))).toBe(SECRET);
  });

  it('refuses duplicate ids, malformed ids, short keys and a primary not in the ring, never echoing a key', () => {
    const short = `k3:${randomBytes(16).toString('base64')}`;
    const cases: [Record<string, string>, RegExp][] = [
      [{ RABT_SECRET_KEYS: list(k1, k1) }, /RABT_SECRET_KEYS: key id k1 is listed twice/],
      [{ RABT_SECRET_KEYS: `bad id:${b64(k1.key)}` }, /RABT_SECRET_KEYS: entry 1 must be <key id>:<base64 key>/],
      [{ RABT_SECRET_KEYS: b64(k1.key) }, /RABT_SECRET_KEYS: entry 1 must be <key id>:<base64 key>/],
      [{ RABT_SECRET_KEYS: `${list(k1)},${short}` }, /RABT_SECRET_KEYS: key k3: must be 32 bytes/],
      [{ RABT_SECRET_KEYS: list(k1), RABT_SECRET_KEY_PRIMARY: 'k2' }, /RABT_SECRET_KEY_PRIMARY: names key id k2, which is not in the keyring \(k1\)/],
      [{ RABT_SECRET_KEY: b64(k1.key), RABT_SECRET_KEY_PRIMARY: 'k1' }, /RABT_SECRET_KEY_PRIMARY: names key id k1, which is not in the keyring \(legacy\)/],
      [{ RABT_SECRET_KEYS: list(k1), RABT_SECRET_KEY: b64(k2.key) }, /RABT_SECRET_KEY: is set together with RABT_SECRET_KEYS/],
    ];
    for (const [env, message] of cases) {
      for (const devMode of ['true', 'false']) {
        let error: Error | undefined;
        try {
          load({ RABT_DEV_MODE: devMode, ...env });
        } catch (e) {
          error = e as Error;
        }
        expect(error?.message, JSON.stringify(env)).toMatch(message);
        for (const k of [k1, k2]) expect(error!.message).not.toContain(b64(k.key));
        expect(error!.message).not.toContain(short.slice(3));
      }
    }
  });

  it('outside development mode, refuses the development key as any entry, naming its id', () => {
    expect(() => load({ RABT_DEV_MODE: 'false', RABT_SECRET_KEYS: `${list(k1)},dev:${DEVELOPMENT_SECRET_KEY}` })).toThrow(/RABT_SECRET_KEYS: key dev is the built-in development key/);
    expect(() => load({ RABT_DEV_MODE: 'false', RABT_SECRET_KEYS: `dev:${DEVELOPMENT_SECRET_KEY},${list(k1)}` })).toThrow(/RABT_SECRET_KEYS: key dev is the built-in development key/);
    expect(load({ RABT_DEV_MODE: 'true', RABT_SECRET_KEYS: `dev:${DEVELOPMENT_SECRET_KEY},${list(k1)}` }).values.secrets.developmentKey).toBe(true);
  });

  it('decodeSecretKeyring reads ids and keys, trimming spaces', () => {
    expect(decodeSecretKeyring(` k1:${b64(k1.key)} , k2:${b64(k2.key)}`).map((e) => e.id)).toEqual(['k1', 'k2']);
  });
});

describe('RABT_API_KEY_PEPPERS', () => {
  const load = (env: Record<string, string>) => loadConfig('test', { auth: authFragment() }, env);
  const p1 = 'a'.repeat(32);
  const p2 = 'b:'.repeat(20);

  it('lists versioned peppers; the highest version is primary unless RABT_API_KEY_PEPPER_PRIMARY names one', () => {
    const auth = load({ RABT_DEV_MODE: 'false', RABT_API_KEY_PEPPERS: `1:${p1},2:${p2}` }).values.auth;
    expect(auth.apiKeyPepper).toEqual({ version: 2, pepper: p2 });
    expect([...auth.apiKeyPeppers.keys()]).toEqual([1, 2]);
    expect(load({ RABT_DEV_MODE: 'false', RABT_API_KEY_PEPPERS: `1:${p1},2:${p2}`, RABT_API_KEY_PEPPER_PRIMARY: '1' }).values.auth.apiKeyPepper.version).toBe(1);
    expect(load({ RABT_DEV_MODE: 'false', RABT_API_KEY_PEPPERS: `1:${p1},2:${p2}` }).printable['RABT_API_KEY_PEPPERS']).toBe('***');
  });

  it('RABT_API_KEY_PEPPER is version 1', () => {
    expect(load({ RABT_DEV_MODE: 'false', RABT_API_KEY_PEPPER: p1 }).values.auth.apiKeyPepper).toEqual({ version: 1, pepper: p1 });
  });

  it('refuses duplicates, bad versions, short peppers, a primary not listed, and both variables at once, never echoing a pepper', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ RABT_API_KEY_PEPPERS: `1:${p1},1:${p2}` }, /pepper version 1 is listed twice/],
      [{ RABT_API_KEY_PEPPERS: `x:${p1}` }, /entry 1 must be <version>:<pepper>/],
      [{ RABT_API_KEY_PEPPERS: `0:${p1}` }, /entry 1 must be <version>:<pepper>/],
      [{ RABT_API_KEY_PEPPERS: `1:${p1},2:short` }, /pepper version 2 must be at least 32 characters/],
      [{ RABT_API_KEY_PEPPERS: `1:${p1}`, RABT_API_KEY_PEPPER_PRIMARY: '2' }, /RABT_API_KEY_PEPPER_PRIMARY: names pepper version 2, which is not configured \(1\)/],
      [{ RABT_API_KEY_PEPPERS: `2:${p2}`, RABT_API_KEY_PEPPER: p1 }, /RABT_API_KEY_PEPPER: is set together with RABT_API_KEY_PEPPERS/],
    ];
    for (const [env, message] of cases) {
      let error: Error | undefined;
      try {
        load({ RABT_DEV_MODE: 'true', ...env });
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message, JSON.stringify(env)).toMatch(message);
      expect(error!.message).not.toContain(p1);
      expect(error!.message).not.toContain(p2);
    }
  });

  it('outside development mode, refuses the development pepper as any version', () => {
    expect(() => load({ RABT_DEV_MODE: 'false', RABT_API_KEY_PEPPERS: `1:${DEVELOPMENT_PEPPER},2:${p2}` })).toThrow(/RABT_API_KEY_PEPPERS: version 1 is the built-in development pepper/);
    expect(decodePepperList(`3:${p2}`)).toEqual([{ version: 3, pepper: p2 }]);
  });

  it('bounds RABT_API_KEY_MAX_TTL_DAYS, 397 by default', () => {
    expect(load({ RABT_DEV_MODE: 'true' }).values.auth.apiKeyMaxTtlDays).toBe(397);
    expect(load({ RABT_DEV_MODE: 'true', RABT_API_KEY_MAX_TTL_DAYS: '90' }).values.auth.apiKeyMaxTtlDays).toBe(90);
    expect(() => load({ RABT_DEV_MODE: 'true', RABT_API_KEY_MAX_TTL_DAYS: '0' })).toThrow(/RABT_API_KEY_MAX_TTL_DAYS: must be greater than 0/);
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
