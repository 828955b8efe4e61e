// The subscription operations on a real Postgres (a throwaway database): grants, sealed secrets,
// rotation, duplicates, enable/disable and what the router and dispatcher will read.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { addGrant, removeGrant, SecretBox } from '@rabt/auth';
import { catalogueEntry, EventTypes } from '@rabt/contracts';
import { createDataSource, migrateDatabase, seedAgencies, SubscriptionEntity } from '@rabt/persistence';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import {
  activeSubscriptionsTo,
  createSubscription,
  disableSubscription,
  enableSubscription,
  listSubscriptions,
  mayReceive,
  removeSubscription,
  rotateWebhookSecret,
  SubscriptionExceptionCode,
  webhookSecretsOf,
  type SubscriptionContext,
} from '../src';

const REPORTED = EventTypes.MomEmployeeLeftWorkReported;
let db: ThrowawayDatabase;
let dataSource: DataSource;
let ctx: SubscriptionContext;
let clock = new Date('2026-03-01T09:00:00Z');
const box = new SecretBox(randomBytes(32));
const resolve = async () => [{ address: '203.0.114.10', family: 4 }];

beforeAll(async () => {
  db = await createThrowawayDatabase('rabt_routing_test');
  await migrateDatabase({ url: db.url, poolMax: 2, ssl: false }, 'routing-test');
  dataSource = createDataSource({ url: db.url, poolMax: 4, ssl: false }, 'routing-test');
  await dataSource.initialize();
  await seedAgencies(dataSource);
  ctx = { manager: dataSource.manager, actor: 'agency:rop', secrets: box, webhooks: { allowHosts: [], previousSecretTtlMs: 86_400_000 }, resolve, now: () => clock };
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

const code = async (p: Promise<unknown>) => p.then(() => 'no error', (e: { code?: string }) => e.code);
const row = (id: string) => dataSource.manager.findOneByOrFail(SubscriptionEntity, { id });

describe('subscriptions on Postgres', () => {
  it('needs a subscribe grant, except for the type owner', async () => {
    const input = { agency: 'rop', eventType: REPORTED, inbox: true };
    expect(await code(createSubscription(ctx, input))).toBe(SubscriptionExceptionCode.NOT_SUBSCRIBE_GRANTED);
    expect(await dataSource.manager.count(SubscriptionEntity)).toBe(0);
    await addGrant(dataSource.manager, { agency: 'rop', eventType: REPORTED, permission: 'subscribe' }, 'mom', 'cli:test');
    expect((await createSubscription(ctx, input)).inboxTopic).toBe('rabt.inbox.rop');
    expect((await createSubscription(ctx, { agency: 'mom', eventType: REPORTED, inbox: true })).agency).toBe('mom');
    expect(await code(createSubscription(ctx, { agency: 'nobody', eventType: REPORTED, inbox: true }))).toBe('AGENCY_NOT_FOUND');
  });

  it('keeps the webhook secret only sealed, bound to the row; the dispatcher opens it', async () => {
    const created = await createSubscription(ctx, { agency: 'rop', eventType: REPORTED, webhook: { url: 'https://hooks.rop.gov.om/rabt' }, projection: ['reason'], filter: 'data.reason == "ABSCONDED"' });
    expect(created).toMatchObject({ projection: ['workerCivilNumber', 'reason'], webhook: { url: 'https://hooks.rop.gov.om/rabt', previousSecretExpiresAt: null }, inboxTopic: null, state: 'active' });
    const stored = await row(created.id);
    expect(stored.webhookSecretCiphertext).toMatch(/^v1:/);
    expect(JSON.stringify(stored)).not.toContain(created.webhookSecret!.slice('whsec_'.length));
    expect(webhookSecretsOf(stored, box, clock)).toEqual([created.webhookSecret]);
    expect(JSON.stringify(await listSubscriptions(dataSource.manager))).not.toMatch(/whsec_|v1:/);
  });

  it('refuses a second subscription to the same destination, naming the first', async () => {
    const [first] = await listSubscriptions(dataSource.manager, { agency: 'rop' });
    const again = createSubscription(ctx, { agency: 'rop', eventType: REPORTED, inbox: true, filter: 'true' });
    await expect(again).rejects.toMatchObject({ code: SubscriptionExceptionCode.SUBSCRIPTION_EXISTS, message: expect.stringContaining(`${first!.id} (the inbox)`) });
    const url = createSubscription(ctx, { agency: 'rop', eventType: REPORTED, webhook: { url: 'https://HOOKS.rop.gov.om/rabt' } });
    expect(await code(url)).toBe(SubscriptionExceptionCode.SUBSCRIPTION_EXISTS);
  });

  it('rotation: the previous secret verifies for the overlap, and at most two are ever valid', async () => {
    const [sub] = await listSubscriptions(dataSource.manager, { agency: 'rop', eventType: REPORTED }).then((l) => l.filter((s) => s.webhook));
    const original = webhookSecretsOf(await row(sub!.id), box, clock)[0];
    const first = await rotateWebhookSecret(ctx, sub!.id);
    expect(first.webhook!.previousSecretExpiresAt).toEqual(new Date('2026-03-02T09:00:00Z'));
    expect(webhookSecretsOf(await row(sub!.id), box, clock)).toEqual([first.webhookSecret, original]);
    clock = new Date('2026-03-01T10:00:00Z');
    const second = await rotateWebhookSecret(ctx, sub!.id);
    expect(webhookSecretsOf(await row(sub!.id), box, clock)).toEqual([second.webhookSecret, first.webhookSecret]);
    clock = new Date('2026-03-02T10:00:01Z');
    expect(webhookSecretsOf(await row(sub!.id), box, clock)).toEqual([second.webhookSecret]);
    const [inboxOnly] = (await listSubscriptions(dataSource.manager, { agency: 'rop' })).filter((s) => !s.webhook);
    expect(await code(rotateWebhookSecret(ctx, inboxOnly!.id))).toBe(SubscriptionExceptionCode.NO_WEBHOOK);
  });

  it('disable (the dispatcher on 410) and enable, which checks the grant again', async () => {
    const [sub] = await listSubscriptions(dataSource.manager, { agency: 'rop' });
    expect(await disableSubscription(dataSource.manager, sub!.id, 'the webhook answered 410 Gone', 'service:dispatcher')).toMatchObject({ state: 'disabled', disabledReason: 'the webhook answered 410 Gone' });
    expect((await activeSubscriptionsTo(dataSource.manager, REPORTED)).map((s) => s.id)).not.toContain(sub!.id);
    await removeGrant(dataSource.manager, { agency: 'rop', eventType: REPORTED, permission: 'subscribe' }, 'cli:test');
    expect(await mayReceive(ctx, 'rop', catalogueEntry(REPORTED))).toBe(false);
    expect(await mayReceive(ctx, 'mom', catalogueEntry(REPORTED))).toBe(true);
    expect(await code(enableSubscription(ctx, sub!.id))).toBe(SubscriptionExceptionCode.NOT_SUBSCRIBE_GRANTED);
    await addGrant(dataSource.manager, { agency: 'rop', eventType: REPORTED, permission: 'subscribe' }, 'mom', 'cli:test');
    expect(await enableSubscription(ctx, sub!.id)).toMatchObject({ state: 'active', disabledReason: null });
    expect((await activeSubscriptionsTo(dataSource.manager, REPORTED)).map((s) => s.id)).toContain(sub!.id);
  });

  it("an agency sees, and removes, only its own subscriptions", async () => {
    const [rops] = await listSubscriptions(dataSource.manager, { agency: 'rop' });
    expect((await listSubscriptions(dataSource.manager, {}, { visibleTo: 'moci' }))).toEqual([]);
    expect(await code(removeSubscription(dataSource.manager, rops!.id, 'agency:moci', { visibleTo: 'moci' }))).toBe(SubscriptionExceptionCode.SUBSCRIPTION_NOT_FOUND);
    expect((await removeSubscription(dataSource.manager, rops!.id, 'agency:rop', { visibleTo: 'rop' })).id).toBe(rops!.id);
    expect(await code(removeSubscription(dataSource.manager, rops!.id, 'agency:rop'))).toBe(SubscriptionExceptionCode.SUBSCRIPTION_NOT_FOUND);
  });

  it('every change of a subscription (and of a grant) is in the audit log, by whom, never with a secret', async () => {
    const records = (await dataSource.query(`SELECT actor, action, subject, reason, details FROM audit_record ORDER BY id`)) as {
      actor: string;
      action: string;
      subject: string;
      reason: string | null;
      details: Record<string, unknown>;
    }[];
    const changes = records.filter((r) => r.action === 'subscription.changed').map((r) => `${r.actor} ${r.details['change']}`);
    expect(changes).toEqual(expect.arrayContaining(['agency:rop created', 'agency:rop secret-rotated', 'service:dispatcher disabled', 'agency:rop enabled', 'agency:rop removed']));
    expect(records.filter((r) => r.action === 'subscription.changed' && r.details['change'] === 'removed')).toHaveLength(1);
    expect(records.find((r) => r.details['change'] === 'disabled')).toMatchObject({ reason: 'the webhook answered 410 Gone', subject: expect.stringMatching(/^subscription:/) });
    expect(records.filter((r) => r.action === 'agency.grant-changed').map((r) => `${r.actor} ${r.subject} ${r.details['change']}`)).toEqual([
      'cli:test grant:rop/mom.employee.left-work-reported/subscribe added',
      'cli:test grant:rop/mom.employee.left-work-reported/subscribe removed',
      'cli:test grant:rop/mom.employee.left-work-reported/subscribe added',
    ]);
    expect(JSON.stringify(records)).not.toMatch(/whsec_|ciphertext/i);
  });
});
