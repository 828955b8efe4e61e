// Secrets Rabt must be able to read back (webhook signing secrets), encrypted at rest with
// AES-256-GCM under a server key that is never stored in the database. Unlike API keys, which
// are only ever compared and so are kept as peppered hashes, a signing secret is needed in clear
// every time a webhook is signed.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_BYTES = 32;

/**
 * The id of the key given as RABT_SECRET_KEY (a one-key ring). `v1` values, which carry no key
 * id, were sealed under it, so they open only with the ring's key of this id.
 */
export const LEGACY_SECRET_KEY_ID = 'legacy';

/** A key id: a letter or digit, then letters, digits, `_` or `-`, at most 32 in all. */
export const SECRET_KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** A ciphertext could not be opened: malformed, tampered with, sealed under another key or for another context. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

/** One key of a ring: its id (stored with every value sealed under it) and its 32 bytes. */
export interface SecretKeyEntry {
  readonly id: string;
  readonly key: Uint8Array;
}

interface Parsed {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly data: Buffer;
}

function parse(sealed: string): Parsed {
  const parts = sealed.split(':');
  let keyId: string;
  let rest: string[];
  if (parts[0] === 'v1' && parts.length === 4) [keyId, rest] = [LEGACY_SECRET_KEY_ID, parts.slice(1)];
  else if (parts[0] === 'v2' && parts.length === 5 && SECRET_KEY_ID.test(parts[1]!)) [keyId, rest] = [parts[1]!, parts.slice(2)];
  else throw new SecretBoxError('not a v1 or v2 sealed secret');
  const [iv, tag, data] = rest.map((p) => Buffer.from(p, 'base64url'));
  if (iv!.length !== IV_BYTES || tag!.length !== TAG_BYTES) throw new SecretBoxError('malformed sealed secret');
  return { keyId, iv: iv!, tag: tag!, data: data! };
}

/**
 * Seals and opens short secrets with AES-256-GCM under a keyring: a random 12-byte IV per seal,
 * a 16-byte authentication tag, and an optional context (GCM additional data) that binds a
 * ciphertext to where it belongs (e.g. one subscription's row), so it cannot be copied to
 * another row.
 *
 * Formats, each part base64url after the version (and key id):
 * - `v2:<key id>:<iv>:<tag>:<ciphertext>`: sealed under the ring's key of that id;
 * - `v1:<iv>:<tag>:<ciphertext>`: sealed under the legacy key (id `legacy`).
 *
 * Values are sealed under the primary key; a primary key with the legacy id seals `v1`, so a
 * deployment that has never had a second key writes exactly what earlier releases read. Any key
 * of the ring opens what was sealed under it, which is what lets the master key rotate: add a
 * key, make it primary, reseal (`rabt secrets reseal`), then drop the old key.
 */
export class SecretBox {
  readonly #keys = new Map<string, Buffer>();
  /** The id of the key new values are sealed under. */
  readonly primaryKeyId: string;

  /** A one-key ring over `key` (id `legacy`), or a ring of `keys` whose primary is `primary` or else the last one. */
  constructor(keys: Uint8Array | readonly SecretKeyEntry[], primary?: string) {
    const entries = keys instanceof Uint8Array ? [{ id: LEGACY_SECRET_KEY_ID, key: keys }] : keys;
    if (entries.length === 0) throw new RangeError('a secret box needs at least one key');
    for (const { id, key } of entries) {
      if (!SECRET_KEY_ID.test(id)) throw new RangeError(`a secret box key id is a letter or digit then letters, digits, _ or - (at most 32), not ${JSON.stringify(id)}`);
      if (this.#keys.has(id)) throw new RangeError(`the key id ${id} is listed twice`);
      if (key.length !== SECRET_KEY_BYTES) throw new RangeError(`a secret box key is ${SECRET_KEY_BYTES} bytes, not ${key.length} (key id ${id})`);
      this.#keys.set(id, Buffer.from(key));
    }
    this.primaryKeyId = primary ?? entries[entries.length - 1]!.id;
    if (!this.#keys.has(this.primaryKeyId)) throw new RangeError(`the primary key id ${this.primaryKeyId} is not in the keyring`);
  }

  /** A one-key box over a key given as base64 or base64url (e.g. RABT_SECRET_KEY). */
  static fromBase64(key: string): SecretBox {
    return new SecretBox(decodeSecretKey(key));
  }

  /** The ids of the ring's keys, in the order given. */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  seal(plaintext: string, context = ''): string {
    const keyId = this.primaryKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const head = keyId === LEGACY_SECRET_KEY_ID ? ['v1'] : ['v2', keyId];
    return [...head, ...[iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url'))].join(':');
  }

  /** The id of the key a value was sealed under (`legacy` for `v1`); SecretBoxError when it is malformed. */
  keyIdOf(sealed: string): string {
    return parse(sealed).keyId;
  }

  /** The plaintext of a sealed value; SecretBoxError unless it was sealed by a key of the ring for this context, unchanged. */
  open(sealed: string, context = ''): string {
    const { keyId, iv, tag, data } = parse(sealed);
    const key = this.#keys.get(keyId);
    if (!key) throw new SecretBoxError(`the sealed secret is under key id ${keyId}, which is not in the keyring (RABT_SECRET_KEYS)`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`the sealed secret does not authenticate under key id ${keyId}: it was changed, or sealed under another key or for another context`);
    }
  }

  /**
   * The value sealed again under the primary key, or undefined when it already is (nothing to
   * do). SecretBoxError when it does not open.
   */
  reseal(sealed: string, context = ''): string | undefined {
    if (this.keyIdOf(sealed) === this.primaryKeyId) return undefined;
    return this.seal(this.open(sealed, context), context);
  }
}

/** The 32 bytes of a key written as base64 or base64url; RangeError otherwise. */
export function decodeSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new RangeError('must be base64');
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== SECRET_KEY_BYTES) throw new RangeError(`must be ${SECRET_KEY_BYTES} bytes as base64 (e.g. openssl rand -base64 32), not ${key.length} bytes`);
  return key;
}

/**
 * A keyring written `<key id>:<base64 key>,<key id>:<base64 key>,…` (RABT_SECRET_KEYS), oldest
 * first. RangeError naming the entry (by position and id, never by key) that is wrong.
 */
export function decodeSecretKeyring(text: string): SecretKeyEntry[] {
  const entries: SecretKeyEntry[] = [];
  const items = text.split(',').map((s) => s.trim());
  items.forEach((item, i) => {
    const colon = item.indexOf(':');
    const id = colon < 0 ? '' : item.slice(0, colon).trim();
    if (colon < 0 || !SECRET_KEY_ID.test(id)) {
      throw new RangeError(`entry ${i + 1} must be <key id>:<base64 key>, the id a letter or digit then letters, digits, _ or - (at most 32)`);
    }
    if (entries.some((e) => e.id === id)) throw new RangeError(`key id ${id} is listed twice`);
    try {
      entries.push({ id, key: decodeSecretKey(item.slice(colon + 1)) });
    } catch (e) {
      throw new RangeError(`key ${id}: ${(e as Error).message}`);
    }
  });
  return entries;
}
