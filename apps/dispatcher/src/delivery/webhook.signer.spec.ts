import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook, verifyWebhook } from '@rabt/sdk';
import { WebhookSigner } from './webhook.signer';

describe('WebhookSigner', () => {
  it('signs exactly as the SDK does, for any id, time and body, with one secret or two', () => {
    const secrets = [generateWebhookSecret(), generateWebhookSecret()];
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 4_102_444_800 }), fc.string({ unit: 'grapheme' }), fc.boolean(), (id, seconds, body, both) => {
        const used = both ? secrets : secrets.slice(0, 1);
        const timestamp = new Date(seconds * 1000);
        expect(new WebhookSigner(used).sign(id, timestamp, body)).toEqual(signWebhook(used, { id, timestamp, body }));
      }),
    );
  });

  it('makes signatures that verifyWebhook accepts with either secret of a rotation', () => {
    const [current, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const body = JSON.stringify({ specversion: '1.0', id: 'e-1', source: 'urn:rabt:agency:mom', type: 'mom.employee.left-work-reported', data: { name: 'سالم' } });
    const now = new Date();
    const headers = new WebhookSigner([current, previous]).sign('msg_1', now, body);
    for (const secret of [current, previous]) expect(verifyWebhook(secret, headers, body, { now }).id).toBe('e-1');
    expect(() => verifyWebhook(generateWebhookSecret(), headers, body, { now })).toThrow(/signature/);
  });

  it('refuses a secret that is not whsec_<base64>', () => {
    expect(() => new WebhookSigner([])).toThrow(/at least one/);
    expect(() => new WebhookSigner(['c2VjcmV0'])).toThrow(/whsec_/);
    expect(() => new WebhookSigner(['whsec_not base64!'])).toThrow(/whsec_/);
  });
});
