// Standard Webhooks signatures on the dispatcher's hot path. @rabt/sdk's signWebhook signs with
// the `standardwebhooks` package's pure-JS HMAC, so that receivers can verify anywhere (browsers,
// edge runtimes); here node:crypto's HMAC (OpenSSL) signs the same bytes with the same keys, and
// each subscription's keys are decoded once, not per attempt. webhook.signer.spec.ts checks the
// output against signWebhook and verifyWebhook.
import { createHmac } from 'node:crypto';
import type { WebhookSignatureHeaders } from '@rabt/sdk';

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Signs with one or more `whsec_<base64>` secrets (current first, then the previous one during a rotation). */
export class WebhookSigner {
  private readonly keys: readonly Buffer[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new TypeError('at least one webhook secret is required');
    this.keys = secrets.map((secret) => {
      const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
      if (!BASE64.test(encoded)) throw new TypeError('a webhook secret is whsec_<base64>');
      return Buffer.from(encoded, 'base64');
    });
  }

  /** `webhook-signature` holds `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` per key, space-separated. */
  sign(id: string, timestamp: Date, body: string): WebhookSignatureHeaders {
    const seconds = String(Math.floor(timestamp.getTime() / 1000));
    const signed = `${id}.${seconds}.${body}`;
    return {
      'webhook-id': id,
      'webhook-timestamp': seconds,
      'webhook-signature': this.keys.map((key) => `v1,${createHmac('sha256', key).update(signed, 'utf8').digest('base64')}`).join(' '),
    };
  }
}
