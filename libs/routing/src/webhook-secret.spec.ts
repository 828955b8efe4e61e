import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError } from '@rabt/auth';
import { newWebhookSecret, sealWebhookSecret, webhookSecretsOf } from './webhook-secret';

const box = new SecretBox(randomBytes(32));

describe('webhook signing secrets', () => {
  it('are whsec_ + base64 of 32 random bytes, and work with a Standard Webhooks library', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
    const webhook = new Webhook(secret);
    const body = JSON.stringify({ specversion: '1.0', id: 'evt-1' });
    const timestamp = new Date();
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': webhook.sign('msg_1', timestamp, body) };
    expect(webhook.verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('are bound to their subscription: a sealed secret copied to another row does not open', () => {
    const id = randomUUID();
    const sealed = sealWebhookSecret(box, id, newWebhookSecret());
    const row = { id: randomUUID(), webhookSecretCiphertext: sealed, previousWebhookSecretCiphertext: null, previousSecretExpiresAt: null };
    expect(() => webhookSecretsOf(row, box)).toThrow(SecretBoxError);
  });

  it('the current secret, then the previous one only until it expires', () => {
    const id = randomUUID();
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const now = new Date('2026-03-01T12:00:00Z');
    const row = {
      id,
      webhookSecretCiphertext: sealWebhookSecret(box, id, current),
      previousWebhookSecretCiphertext: sealWebhookSecret(box, id, previous),
      previousSecretExpiresAt: new Date('2026-03-02T12:00:00Z'),
    };
    expect(webhookSecretsOf(row, box, now)).toEqual([current, previous]);
    expect(webhookSecretsOf(row, box, new Date('2026-03-02T12:00:00Z'))).toEqual([current]);
    expect(webhookSecretsOf({ ...row, webhookSecretCiphertext: null, previousWebhookSecretCiphertext: null, previousSecretExpiresAt: null }, box)).toEqual([]);
  });
});
