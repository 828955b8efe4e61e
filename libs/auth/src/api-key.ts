import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

const TOKEN = /^rabt_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface IssuedKey {
  readonly keyId: string;
  /** The whole credential, shown to the agency once: `rabt_<key id>_<secret>`. */
  readonly token: string;
  readonly secretHash: string;
}

/** A new API key: 128-bit id for lookup, 256-bit secret of which only a peppered HMAC is kept. */
export function newApiKey(pepper: string): IssuedKey {
  const keyId = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { keyId, token: `rabt_${keyId.replace(/-/g, '')}_${secret}`, secretHash: hashSecret(secret, pepper) };
}

export function parseApiKey(token: string): { keyId: string; secret: string } | undefined {
  const m = TOKEN.exec(token);
  if (!m) return undefined;
  const hex = m[1]!;
  const keyId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { keyId, secret: m[2]! };
}

/**
 * HMAC-SHA256 with a server-side pepper: a stolen table alone cannot be used to check guesses,
 * and with a 256-bit random secret a slow hash would add cost per request and no safety.
 */
export function hashSecret(secret: string, pepper: string): string {
  return createHmac('sha256', pepper).update(secret).digest('hex');
}

export function secretMatches(secret: string, expectedHash: string, pepper: string): boolean {
  const actual = Buffer.from(hashSecret(secret, pepper), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function parseBearer(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m?.[1];
}

export function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  const m = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
