// Standard Webhooks (https://www.standardwebhooks.com) signatures over structured CloudEvents.
// The HMAC is the `standardwebhooks` package's (pure JS: fast-sha256, @stablelib/base64), so this
// file is browser-safe and runs unchanged in Node, Deno, Bun and edge runtimes.
import { Webhook } from 'standardwebhooks';
import type { RabtCloudEvent } from '../cloudevent.types';
import { WebhookVerificationError, WebhookVerificationReason } from './webhook-verification.exception';

/** Receivers refuse a `webhook-timestamp` further than this from their clock (either way). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';

/** The three Standard Webhooks headers (a type literal, so it passes as a `Record<string, string>`). */
export type WebhookSignatureHeaders = {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
};

/** Request headers as frameworks hand them over: a fetch `Headers`, or a plain (Node/Express/Fastify) object. */
export type WebhookHeaders = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface SignWebhookInput {
  /** Stable across retries of one delivery, so receivers can deduplicate. */
  readonly id: string;
  /** Unix seconds, or a Date (truncated to whole seconds). */
  readonly timestamp: number | Date;
  /** Exactly the bytes that will be sent. */
  readonly body: string | Uint8Array;
}

export interface VerifyWebhookOptions {
  /** Default 300 (5 minutes). */
  readonly toleranceSeconds?: number;
  /** The receiver's clock; default now. */
  readonly now?: Date;
}

/**
 * Signs a webhook: `webhook-signature` is `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`
 * under each secret (`whsec_<base64>`), space-separated, so during a rotation one request carries
 * a signature for the old and one for the new secret.
 */
export function signWebhook(secretOrSecrets: string | readonly string[], input: SignWebhookInput): WebhookSignatureHeaders {
  const secrets = secretList(secretOrSecrets);
  if (!input.id) throw new TypeError('webhook id is required');
  const seconds = input.timestamp instanceof Date ? Math.floor(input.timestamp.getTime() / 1000) : input.timestamp;
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new TypeError(`webhook timestamp must be whole Unix seconds (got ${String(input.timestamp)})`);
  const body = bodyText(input.body);
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': secrets.map((secret) => sign(secret, input.id, seconds, body)).join(' '),
  };
}

/**
 * Verifies a Standard Webhooks request and returns its structured CloudEvent. Accepts any `v1`
 * signature (several may be sent) made with any of `secretOrSecrets` (a receiver keeps the old and
 * the new secret during a rotation). `rawBody` must be the body exactly as received — verify
 * before any JSON parsing. Throws WebhookVerificationError with the reason otherwise.
 */
export function verifyWebhook(secretOrSecrets: string | readonly string[], headers: WebhookHeaders, rawBody: string | Uint8Array, options: VerifyWebhookOptions = {}): RabtCloudEvent {
  const secrets = secretList(secretOrSecrets);
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) {
    const missing = [!id && 'webhook-id', !timestamp && 'webhook-timestamp', !signature && 'webhook-signature'].filter(Boolean).join(', ');
    throw new WebhookVerificationError(WebhookVerificationReason.MISSING_HEADERS, `missing ${missing}`);
  }
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError(WebhookVerificationReason.MISSING_HEADERS, 'webhook-timestamp is not Unix seconds');

  const seconds = Number(timestamp);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  if (now - seconds > tolerance) throw new WebhookVerificationError(WebhookVerificationReason.TIMESTAMP_TOO_OLD, `signed ${now - seconds} s ago (tolerance ${tolerance} s)`);
  if (seconds - now > tolerance) throw new WebhookVerificationError(WebhookVerificationReason.TIMESTAMP_IN_FUTURE, `signed ${seconds - now} s in the future (tolerance ${tolerance} s)`);

  const body = bodyText(rawBody);
  const passed = signature
    .split(/\s+/)
    .map((s) => s.replace(/,$/, '')) // Node joins repeated headers with ", "
    .filter((s) => s.startsWith('v1,'))
    .map((s) => s.slice(3));
  const expected = secrets.map((secret) => sign(secret, id, seconds, body).slice(3));
  if (!passed.some((p) => expected.some((e) => constantTimeEqual(p, e)))) {
    throw new WebhookVerificationError(WebhookVerificationReason.BAD_SIGNATURE, 'no v1 signature matches the secret(s)');
  }
  return parseCloudEvent(body);
}

/** A new signing secret, `whsec_` + 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return SECRET_PREFIX + btoa(String.fromCharCode(...bytes));
}

function sign(secret: string, id: string, seconds: number, body: string): string {
  return webhookFor(secret).sign(id, new Date(seconds * 1000), body);
}

function webhookFor(secret: string): Webhook {
  if (!secret.startsWith(SECRET_PREFIX)) throw new TypeError('a webhook secret is whsec_<base64>');
  try {
    return new Webhook(secret);
  } catch (e) {
    throw new TypeError(`a webhook secret is whsec_<base64>: ${(e as Error).message}`);
  }
}

function secretList(secretOrSecrets: string | readonly string[]): readonly string[] {
  const secrets = typeof secretOrSecrets === 'string' ? [secretOrSecrets] : secretOrSecrets;
  if (secrets.length === 0) throw new TypeError('at least one webhook secret is required');
  return secrets;
}

function bodyText(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : new TextDecoder('utf-8').decode(body);
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Readonly<Record<string, string | readonly string[] | undefined>>)) {
    if (key.toLowerCase() === name) return typeof value === 'string' ? value : value?.join(' ');
  }
  return undefined;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function parseCloudEvent(body: string): RabtCloudEvent {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    throw new WebhookVerificationError(WebhookVerificationReason.INVALID_BODY, 'the body is not JSON');
  }
  const e = event as Record<string, unknown> | null;
  const ok = e !== null && typeof e === 'object' && !Array.isArray(e) && e['specversion'] === '1.0' && ['id', 'source', 'type'].every((k) => typeof e[k] === 'string' && e[k] !== '');
  if (!ok) throw new WebhookVerificationError(WebhookVerificationReason.INVALID_BODY, 'the body is not a structured CloudEvent 1.0 (specversion, id, source, type)');
  return event as RabtCloudEvent;
}
