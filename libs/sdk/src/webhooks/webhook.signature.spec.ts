import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook, verifyWebhook } from './webhook.signature';
import { WebhookVerificationError, WebhookVerificationReason } from './webhook-verification.exception';

// Fixed secrets: base64 of fixed bytes, so the vector below is reproducible by anyone.
const OLD_SECRET = 'whsec_' + Buffer.from('rabt-old-secret-0123456789abcdef').toString('base64');
const NEW_SECRET = 'whsec_' + Buffer.from('rabt-new-secret-fedcba9876543210').toString('base64');
const NOW = new Date('2026-03-01T08:00:00Z');
const TS = Math.floor(NOW.getTime() / 1000);
const ID = 'msg_2vQ9x7Kf3HnS1aLq';
const EVENT = {
  specversion: '1.0',
  id: 'mom-report-2026-000123',
  source: 'urn:rabt:agency:mom',
  type: 'mom.employee.left-work-reported',
  transactionid: '3f2a7c1e-0000-4000-8000-000000000001',
  data: { reportId: 'LWR-2025-0048173', workerCivilNumber: '118364205' },
};
const BODY = JSON.stringify(EVENT);

/** The Standard Webhooks signature, computed here with node:crypto alone (independent of the code under test). */
function referenceSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

function refusal(fn: () => unknown): WebhookVerificationReason | 'accepted' {
  try {
    fn();
    return 'accepted';
  } catch (e) {
    if (e instanceof WebhookVerificationError) return e.reason;
    throw e;
  }
}

const verifyAt = (secrets: string | string[], headers: Record<string, string>, body: string | Uint8Array = BODY, now = NOW) => () => verifyWebhook(secrets, headers, body, { now });

describe('signWebhook', () => {
  it('produces the three Standard Webhooks headers, pinned by an independent HMAC-SHA256', () => {
    const headers = signWebhook(OLD_SECRET, { id: ID, timestamp: TS, body: BODY });
    expect(headers).toEqual({ 'webhook-id': ID, 'webhook-timestamp': String(TS), 'webhook-signature': referenceSignature(OLD_SECRET, ID, TS, BODY) });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('signs with two secrets at once, space-separated, each signature exact', () => {
    const headers = signWebhook([OLD_SECRET, NEW_SECRET], { id: ID, timestamp: NOW, body: new TextEncoder().encode(BODY) });
    expect(headers['webhook-timestamp']).toBe(String(TS));
    expect(headers['webhook-signature']).toBe(`${referenceSignature(OLD_SECRET, ID, TS, BODY)} ${referenceSignature(NEW_SECRET, ID, TS, BODY)}`);
  });

  it('is accepted by the standardwebhooks reference verifier', () => {
    const now = Math.floor(Date.now() / 1000);
    const headers = signWebhook(NEW_SECRET, { id: ID, timestamp: now, body: BODY });
    expect(new Webhook(NEW_SECRET).verify(BODY, { ...headers })).toEqual(EVENT);
  });

  it('refuses a secret that is not whsec_<base64>, no secret, or a fractional timestamp', () => {
    expect(() => signWebhook('plain-password', { id: ID, timestamp: TS, body: BODY })).toThrow(TypeError);
    expect(() => signWebhook('whsec_', { id: ID, timestamp: TS, body: BODY })).toThrow(TypeError);
    expect(() => signWebhook([], { id: ID, timestamp: TS, body: BODY })).toThrow(TypeError);
    expect(() => signWebhook(OLD_SECRET, { id: ID, timestamp: TS + 0.5, body: BODY })).toThrow(TypeError);
  });
});

describe('verifyWebhook', () => {
  const signed = signWebhook(OLD_SECRET, { id: ID, timestamp: TS, body: BODY });

  it('round trip: returns the CloudEvent, from a plain header object, a fetch Headers or a Buffer body', () => {
    expect(verifyAt(OLD_SECRET, signed)()).toEqual(EVENT);
    const mixedCase = { 'Webhook-Id': ID, 'WEBHOOK-TIMESTAMP': String(TS), 'webhook-signature': signed['webhook-signature'] };
    expect(verifyAt(OLD_SECRET, mixedCase)()).toEqual(EVENT);
    expect(verifyWebhook(OLD_SECRET, new Headers({ ...signed }), Buffer.from(BODY), { now: NOW })).toEqual(EVENT);
  });

  it('narrows data by type', () => {
    const event = verifyAt(OLD_SECRET, signed)();
    if (event.type === 'mom.employee.left-work-reported') expect(event.data.workerCivilNumber).toBe('118364205');
    else expect.fail('type not narrowed');
  });

  it('rejects a tampered body, id or timestamp (BAD_SIGNATURE)', () => {
    expect(refusal(verifyAt(OLD_SECRET, signed, BODY.replace('118364205', '118364206')))).toBe(WebhookVerificationReason.BAD_SIGNATURE);
    expect(refusal(verifyAt(OLD_SECRET, { ...signed, 'webhook-id': 'msg_other' }))).toBe(WebhookVerificationReason.BAD_SIGNATURE);
    expect(refusal(verifyAt(OLD_SECRET, { ...signed, 'webhook-timestamp': String(TS + 1) }))).toBe(WebhookVerificationReason.BAD_SIGNATURE);
    expect(refusal(verifyAt(NEW_SECRET, signed))).toBe(WebhookVerificationReason.BAD_SIGNATURE);
    expect(refusal(verifyAt(OLD_SECRET, { ...signed, 'webhook-signature': signed['webhook-signature'].replace('v1,', 'v2,') }))).toBe(WebhookVerificationReason.BAD_SIGNATURE);
  });

  it('rejects timestamps older than 5 minutes or more than 5 minutes ahead; the edge itself passes', () => {
    const at = (ts: number) => signWebhook(OLD_SECRET, { id: ID, timestamp: ts, body: BODY });
    expect(refusal(verifyAt(OLD_SECRET, at(TS - 300)))).toBe('accepted');
    expect(refusal(verifyAt(OLD_SECRET, at(TS - 301)))).toBe(WebhookVerificationReason.TIMESTAMP_TOO_OLD);
    expect(refusal(verifyAt(OLD_SECRET, at(TS - 86_400)))).toBe(WebhookVerificationReason.TIMESTAMP_TOO_OLD);
    expect(refusal(verifyAt(OLD_SECRET, at(TS + 300)))).toBe('accepted');
    expect(refusal(verifyAt(OLD_SECRET, at(TS + 301)))).toBe(WebhookVerificationReason.TIMESTAMP_IN_FUTURE);
    expect(refusal(() => verifyWebhook(OLD_SECRET, at(TS - 30), BODY, { now: NOW, toleranceSeconds: 10 }))).toBe(WebhookVerificationReason.TIMESTAMP_TOO_OLD);
  });

  it('rejects missing or malformed headers (MISSING_HEADERS)', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const { [name]: _dropped, ...rest } = signed;
      expect(refusal(verifyAt(OLD_SECRET, rest))).toBe(WebhookVerificationReason.MISSING_HEADERS);
    }
    expect(refusal(verifyAt(OLD_SECRET, { ...signed, 'webhook-timestamp': '2026-03-01T08:00:00Z' }))).toBe(WebhookVerificationReason.MISSING_HEADERS);
  });

  it('rejects a correctly signed body that is not a structured CloudEvent (INVALID_BODY)', () => {
    for (const body of ['not json', '[1,2]', JSON.stringify({ ...EVENT, specversion: '0.3' }), JSON.stringify({ specversion: '1.0', id: 'x', source: 's' })]) {
      const headers = signWebhook(OLD_SECRET, { id: ID, timestamp: TS, body });
      expect(refusal(verifyAt(OLD_SECRET, headers, body))).toBe(WebhookVerificationReason.INVALID_BODY);
    }
  });

  describe('secret rotation', () => {
    const both = signWebhook([OLD_SECRET, NEW_SECRET], { id: ID, timestamp: TS, body: BODY });
    const newOnly = signWebhook(NEW_SECRET, { id: ID, timestamp: TS, body: BODY });

    it('signed with old and new: a receiver with either secret accepts', () => {
      expect(verifyAt(OLD_SECRET, both)()).toEqual(EVENT);
      expect(verifyAt(NEW_SECRET, both)()).toEqual(EVENT);
    });

    it('a receiver holding both secrets accepts a request signed with either alone', () => {
      expect(verifyAt([OLD_SECRET, NEW_SECRET], signed)()).toEqual(EVENT);
      expect(verifyAt([OLD_SECRET, NEW_SECRET], newOnly)()).toEqual(EVENT);
    });

    it('signed with the new secret only: a receiver that still has only the old one rejects it', () => {
      expect(refusal(verifyAt(OLD_SECRET, newOnly))).toBe(WebhookVerificationReason.BAD_SIGNATURE);
    });

    it('accepts the signatures when a proxy split them into repeated headers (Node joins them with ", ")', () => {
      const [a, b] = both['webhook-signature'].split(' ');
      expect(verifyAt(NEW_SECRET, { ...both, 'webhook-signature': `${a}, ${b}` })()).toEqual(EVENT);
    });
  });
});

describe('generateWebhookSecret', () => {
  it('makes distinct whsec_ secrets of 32 random bytes that sign and verify', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(a);
    expect(verifyAt(a, signWebhook(a, { id: ID, timestamp: TS, body: BODY }))()).toEqual(EVENT);
  });
});
