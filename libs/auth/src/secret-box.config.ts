import { z } from 'zod';
import { configTypes, fragment, type UnsafeSetting } from '@rabt/config';
import { decodeSecretKey, decodeSecretKeyring, LEGACY_SECRET_KEY_ID, SECRET_KEY_ID, SecretBox, type SecretKeyEntry } from './secret-box';

/**
 * The built-in development key (the 32 ASCII bytes `rabt-dev-secret-key-not-for-prod`, base64).
 * It is public: anything sealed with it is as good as clear text, so only development mode accepts it.
 */
export const DEVELOPMENT_SECRET_KEY = 'cmFidC1kZXYtc2VjcmV0LWtleS1ub3QtZm9yLXByb2Q=';

export abstract class SecretKeyConfig {
  /** Seals (under the primary key) and opens (under any key of the ring) secrets kept at rest. */
  abstract readonly box: SecretBox;
  /** True while any key of the ring is the built-in development value (development mode only). */
  abstract readonly developmentKey: boolean;
}

const base64Key = configTypes.checkedBy(decodeSecretKey);

const keyring = configTypes.checkedBy(decodeSecretKeyring);

interface SecretKeyEnv {
  readonly RABT_SECRET_KEY?: string | undefined;
  readonly RABT_SECRET_KEYS?: string | undefined;
  readonly RABT_SECRET_KEY_PRIMARY?: string | undefined;
}

/** The ring the variables describe: RABT_SECRET_KEYS, else RABT_SECRET_KEY (id `legacy`), else the development key. */
function ringOf(e: SecretKeyEnv): { variable: string; keys: SecretKeyEntry[] } {
  if (e.RABT_SECRET_KEYS !== undefined) return { variable: 'RABT_SECRET_KEYS', keys: decodeSecretKeyring(e.RABT_SECRET_KEYS) };
  return { variable: 'RABT_SECRET_KEY', keys: [{ id: LEGACY_SECRET_KEY_ID, key: decodeSecretKey(e.RABT_SECRET_KEY ?? DEVELOPMENT_SECRET_KEY) }] };
}

const isDevelopmentKey = (key: Uint8Array) => Buffer.from(key).equals(decodeSecretKey(DEVELOPMENT_SECRET_KEY));

const ADVICE = 'set 32 random bytes as base64 (openssl rand -base64 32)';

/**
 * The master keyring for secrets kept at rest:
 * - RABT_SECRET_KEYS: `<key id>:<base64 32 bytes>,…`, oldest first;
 * - RABT_SECRET_KEY: one key (`openssl rand -base64 32`), the ring `legacy:<key>`; not with RABT_SECRET_KEYS;
 * - RABT_SECRET_KEY_PRIMARY: the id of the key new values are sealed under; the last listed
 *   when unset. Naming it lets a rotation first give every instance the new key (to open with)
 *   and only then make it primary, so no instance meets a value it cannot open.
 */
export const secretKeyFragment = () =>
  fragment({
    token: SecretKeyConfig,
    env: {
      RABT_SECRET_KEY: base64Key,
      RABT_SECRET_KEYS: keyring,
      RABT_SECRET_KEY_PRIMARY: z.string().regex(SECRET_KEY_ID, { message: 'must be a key id: a letter or digit then letters, digits, _ or - (at most 32)' }).optional(),
    },
    secrets: ['RABT_SECRET_KEY', 'RABT_SECRET_KEYS'],
    conflicts: (e) => {
      const problems: UnsafeSetting[] = [];
      if (e.RABT_SECRET_KEY !== undefined && e.RABT_SECRET_KEYS !== undefined) {
        problems.push({ variable: 'RABT_SECRET_KEY', problem: `is set together with RABT_SECRET_KEYS; list it there (as ${LEGACY_SECRET_KEY_ID}:<key>) and unset it` });
      }
      const ids = ringOf(e).keys.map((k) => k.id);
      if (e.RABT_SECRET_KEY_PRIMARY !== undefined && !ids.includes(e.RABT_SECRET_KEY_PRIMARY)) {
        problems.push({ variable: 'RABT_SECRET_KEY_PRIMARY', problem: `names key id ${e.RABT_SECRET_KEY_PRIMARY}, which is not in the keyring (${ids.join(', ')})` });
      }
      return problems;
    },
    unsafe: (e, { given }) => {
      if (!given.has('RABT_SECRET_KEY') && !given.has('RABT_SECRET_KEYS')) {
        return [{ variable: 'RABT_SECRET_KEY', problem: `is not set, and the built-in development key is public; ${ADVICE} (or a keyring as RABT_SECRET_KEYS)` }];
      }
      const { variable, keys } = ringOf(e);
      return keys
        .filter((k) => isDevelopmentKey(k.key))
        .map((k) => ({ variable, problem: `${variable === 'RABT_SECRET_KEYS' ? `key ${k.id} ` : ''}is the built-in development key, which is public; ${ADVICE}` }));
    },
    map: (e): SecretKeyConfig => {
      const { keys } = ringOf(e);
      return { box: new SecretBox(keys, e.RABT_SECRET_KEY_PRIMARY), developmentKey: keys.some((k) => isDevelopmentKey(k.key)) };
    },
  });
