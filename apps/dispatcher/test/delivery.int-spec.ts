// One webhook subscriber at a time, against real Kafka, Postgres, the built schema registry and
// real HTTP receivers: what is sent and how it is signed, duplicates, intake skips and dead
// letters, and the SSRF guard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadLetterEntity, DeliveryEntity, SubscriptionEntity } from '@rabt/persistence';
import { rotateWebhookSecret, parseAllowList } from '@rabt/routing';
import { verifyWebhook } from '@rabt/sdk';
import { DEAD_LETTER_TOPIC, readMatching, TopicAdmin } from '@rabt/kafka';
import { eventually } from '@rabt/testing';
import { dataFor, REPORTED, startDispatcherHarness, type DispatcherHarness } from './dispatcher.harness';
import { startReceiver, type Receiver } from './receivers';

let h: DispatcherHarness;
const receivers: Receiver[] = [];
const receiver = async (...args: Parameters<typeof startReceiver>) => {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
};

beforeAll(async () => {
  // Breaker thresholds out of reach here: these tests are about one delivery's own retries.
  h = await startDispatcherHarness({ DISPATCHER_BREAKER_FAILURES: '1000' });
  await h.start();
});
afterAll(async () => {
  await h?.close();
  for (const r of receivers) await r.close();
});

const delivered = async (subscriptionId: string, count = 1, timeoutMs = 15_000) =>
  eventually(async () => (await h.deliveries(subscriptionId)).filter((d) => d.state === 'delivered').length >= count, timeoutMs, 50);

describe('a webhook subscriber', () => {
  it('receives the event once, as a structured CloudEvent signed per Standard Webhooks with its secret', async () => {
    const r = await receiver();
    const sub = await h.subscribe('rop', r.url);
    const event = await h.toInbox(sub, { key: '111111111', transactionid: 'tx-signed' });
    await delivered(sub.id);

    expect(r.requests).toHaveLength(1);
    const [req] = r.requests;
    expect(req!.headers['content-type']).toBe('application/cloudevents+json');
    expect(req!.headers['webhook-id']).toBe(event.webhookId);
    expect(Number(req!.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -2);
    expect(req!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const verified = verifyWebhook(sub.secret, req!.headers as Record<string, string>, req!.body);
    expect(verified).toEqual({
      specversion: '1.0',
      id: event.id,
      source: 'urn:rabt:agency:mom',
      type: REPORTED,
      time: expect.any(String),
      datacontenttype: 'application/json',
      dataschema: expect.stringMatching(/\/schemas\/ids\/\d+$/),
      transactionid: 'tx-signed',
      partitionkey: '111111111',
      data: dataFor(REPORTED, '111111111'),
    });
    expect(() => verifyWebhook('whsec_' + Buffer.alloc(32, 7).toString('base64'), req!.headers as Record<string, string>, req!.body)).toThrow(/signature/);

    const [row] = await h.deliveries(sub.id);
    expect(row).toMatchObject({ id: event.webhookId, state: 'delivered', attempts: 1, lastStatus: 204, lastError: null, agencyCode: 'rop', orderingKey: '111111111', transactionId: 'tx-signed' });
    expect(row!.deliveredAt).toBeInstanceOf(Date);
    expect(await h.attempts(row!.id)).toMatchObject([{ attemptNo: 1, status: 204, error: null }]);
  });

  it('during a secret rotation each delivery carries two signatures: the old and the new secret both verify', async () => {
    const r = await receiver();
    const sub = await h.subscribe('rop', r.url);
    const rotated = await rotateWebhookSecret({ manager: h.db.manager, actor: 'agency:test', secrets: h.box, webhooks: { allowHosts: parseAllowList('127.0.0.1'), previousSecretTtlMs: 3_600_000 } }, sub.id);
    await h.toInbox(sub, { key: '111111112' });
    await delivered(sub.id);
    const [req] = r.requests;
    expect(String(req!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [sub.secret, rotated.webhookSecret]) expect(verifyWebhook(secret, req!.headers as Record<string, string>, req!.body).id).toBeTruthy();
  });

  it('a duplicate inbox record (same subscription and event) makes one delivery and one request', async () => {
    const r = await receiver();
    const sub = await h.subscribe('moci', r.url);
    const first = await h.toInbox(sub, { key: '222222222', id: 'evt-duplicated' });
    const again = await h.toInbox(sub, { key: '222222222', id: 'evt-duplicated' });
    expect(again.webhookId).toBe(first.webhookId);
    await delivered(sub.id);
    await h.toInbox(sub, { key: '222222222', id: 'evt-duplicated' }); // also after delivery
    await h.toInbox(sub, { key: '222222222', id: 'evt-other' });
    await delivered(sub.id, 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await h.deliveries(sub.id)).map((d) => d.eventId)).toEqual(['evt-duplicated', 'evt-other']);
    expect(r.requests.map((q) => q.eventId)).toEqual(['evt-duplicated', 'evt-other']);
  });
});

describe('the SSRF guard at delivery time', () => {
  it('a URL whose host now resolves to a loopback address is dead-lettered at once, without a connection', async () => {
    const r = await receiver();
    // Created while its name resolved to a public address; it resolves to 127.0.0.1 / ::1 now (DNS rebinding).
    const url = `https://localhost:${r.port}/hook`;
    const sub = await h.subscribe('rop', url, { allowHosts: '', resolve: async () => [{ address: '93.184.216.34', family: 4 }] });
    const event = await h.toInbox(sub, { key: '333333333' });
    await eventually(async () => (await h.deliveries(sub.id))[0]?.state === 'dead', 15_000, 50);

    expect(r.connections()).toBe(0);
    const [row] = await h.deliveries(sub.id);
    // The records an agency can read say only that the host resolves to a non-public address: never which.
    expect(row).toMatchObject({ id: event.webhookId, state: 'dead', attempts: 1, lastStatus: null, lastError: expect.stringMatching(/SSRF guard.*localhost resolves to a non-public address$/) });
    const attempts = await h.attempts(row!.id);
    expect(attempts).toMatchObject([{ attemptNo: 1, status: null, latencyMs: 0, error: expect.stringContaining('resolves to a non-public address') }]);
    const [letter] = await h.db.getRepository(DeadLetterEntity).findBy({ deliveryId: row!.id });
    expect(letter).toMatchObject({ subscriptionId: sub.id, agencyCode: 'rop', eventType: REPORTED, eventSource: 'urn:rabt:agency:mom', eventId: event.id, attempts: 1, replayedAt: null, discardedAt: null });
    expect(letter!.lastError).toContain('resolves to a non-public address');
    for (const text of [row!.lastError, attempts[0]!.error, letter!.lastError]) expect(text).not.toMatch(/127\.0\.0\.1|::1|loopback/);
    expect(letter!.payload).toMatchObject({ id: event.id, data: dataFor(REPORTED, '333333333') });
  });
});

describe('intake', () => {
  it('takes in nothing for a disabled subscription, nor for one that does not exist', async () => {
    const r = await receiver();
    const sub = await h.subscribe('moci', r.url);
    await h.db.getRepository(SubscriptionEntity).update({ id: sub.id }, { state: 'disabled', disabledReason: 'by the test' });
    await h.toInbox(sub, { key: '444444444' });
    await h.toInbox({ id: '00000000-0000-4000-8000-000000000000', agency: 'moci' }, { key: '444444444' });
    const live = await h.subscribe('moci', `${r.url}/live`);
    await h.toInbox(live, { key: '444444444' }); // same inbox partition, written after both
    await delivered(live.id);
    expect(await h.db.getRepository(DeliveryEntity).countBy({ agencyCode: 'moci', orderingKey: '444444444' })).toBe(1);
    expect(r.requests).toHaveLength(1);
  });

  it('an inbox record that cannot be decoded goes to rabt.deadletter with the reason, and the next one is delivered', async () => {
    const r = await receiver();
    const sub = await h.subscribe('mm', r.url);
    const admin = new TopicAdmin(h.kafka, { partitions: 3, replicationFactor: 1 });
    const from = await admin.endOffsets(DEAD_LETTER_TOPIC);
    await admin.disconnect();
    const garbage = `evt-garbage-${Date.now()}`;
    await h.rawToInbox('mm', {
      key: '555555555',
      value: Buffer.from('{"not":"avro"}'),
      headers: { ce_specversion: '1.0', ce_id: garbage, ce_source: 'urn:rabt:agency:mom', ce_type: REPORTED, ce_rabtsubscription: sub.id },
    });
    await h.toInbox(sub, { key: '555555555' });
    await delivered(sub.id);
    const [letter] = await readMatching(h.kafka, DEAD_LETTER_TOPIC, (rec) => rec.headers['ce_id'] === garbage, { expected: 1, from });
    expect(letter!.headers).toMatchObject({ rabt_dlq_topic: 'rabt.inbox.mm', rabt_dlq_error_code: 'UNDECODABLE', ce_rabtsubscription: sub.id });
    expect(await h.deliveries(sub.id)).toHaveLength(1);
  });

  it("a record forged into one agency's inbox naming another agency's subscription is refused before signing: dead-lettered, audited, never sent", async () => {
    const r = await receiver();
    const victim = await h.subscribe('moci', r.url);
    const admin = new TopicAdmin(h.kafka, { partitions: 3, replicationFactor: 1 });
    const from = await admin.endOffsets(DEAD_LETTER_TOPIC);
    await admin.disconnect();
    // Written (as operator-admin) to rabt.inbox.rop, naming moci's subscription: what a principal
    // able to write rop's inbox would forge to reach moci's webhook signed with moci's secret.
    const forged = await h.toInbox({ id: victim.id, agency: 'rop' }, { key: '666666666' });
    const [letter] = await readMatching(h.kafka, DEAD_LETTER_TOPIC, (rec) => rec.headers['ce_id'] === forged.id, { expected: 1, from });
    expect(letter!.headers).toMatchObject({ rabt_dlq_topic: 'rabt.inbox.rop', rabt_dlq_error_code: 'INBOX_AGENCY_MISMATCH', ce_rabtsubscription: victim.id });
    const refused = (await h.db.query(`SELECT actor, action, details FROM audit_record WHERE action = 'inbox.record-refused' AND details->>'eventId' = $1`, [forged.id])) as {
      actor: string;
      details: Record<string, unknown>;
    }[];
    expect(refused).toEqual([
      expect.objectContaining({ actor: 'service:dispatcher', details: expect.objectContaining({ code: 'INBOX_AGENCY_MISMATCH', subscription: victim.id, agency: 'moci', topic: 'rabt.inbox.rop' }) }),
    ]);
    // The genuine record on moci's own inbox is delivered; the forged one never was.
    await h.toInbox(victim, { key: '666666666' });
    await delivered(victim.id);
    expect(await h.deliveries(victim.id)).toHaveLength(1);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]!.eventId).not.toBe(forged.id);
  });
});
