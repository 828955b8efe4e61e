// Secrets Rabt must be able to read back (webhook signing secrets), encrypted at rest with
// AES-256-GCM under a server key that is never stored in the database. Unlike API keys, which
// are only ever compared and so are kept as peppered hashes, a signing secret is needed in clear
// every time a webhook is signed.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_BYTES = 32;

/** A ciphertext could not be opened: malformed, tampered with, sealed under another key or for another context. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

/**
 * Seals and opens short secrets with AES-256-GCM: a random 12-byte IV per seal, a 16-byte
 * authentication tag, and an optional context (GCM additional data) that binds a ciphertext to
 * where it belongs (e.g. one subscription's row), so it cannot be copied to another row.
 *
 * Format: `v1:<iv>:<tag>:<ciphertext>`, each part base64url. The version names the algorithm
 * and layout, so a later format can be introduced next to this one.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== SECRET_KEY_BYTES) throw new RangeError(`a secret box key is ${SECRET_KEY_BYTES} bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
  }

  /** A box over a key given as base64 or base64url (e.g. RABT_SECRET_KEY). */
  static fromBase64(key: string): SecretBox {
    return new SecretBox(decodeSecretKey(key));
  }

  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join(':');
  }

  /** The plaintext of a sealed value; SecretBoxError unless it was sealed by this key for this context, unchanged. */
  open(sealed: string, context = ''): string {
    const parts = sealed.split(':');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError(`not a ${VERSION} sealed secret`);
    const [iv, tag, data] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
    if (iv!.length !== IV_BYTES || tag!.length !== TAG_BYTES) throw new SecretBoxError('malformed sealed secret');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv!, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag!);
      return Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('the sealed secret does not authenticate: it was changed, or sealed under another key or for another context');
    }
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
