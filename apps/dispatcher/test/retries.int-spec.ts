// What the dispatcher does when a receiver does not answer 2xx, against real HTTP receivers:
// failures then recovery, a slow receiver, 410 Gone, a redirect, Retry-After, and a dead
// receiver (dead letter). Retry schedule 200ms,400ms,800ms (jitter ±20 %); timeout 1 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadLetterEntity, SubscriptionEntity } from '@rabt/persistence';
import { removeSubscription } from '@rabt/routing';
import { eventually, freePort } from '@rabt/testing';
import { REPORTED, startDispatcherHarness, type DispatcherHarness } from './dispatcher.harness';
import { startReceiver, type Receiver } from './receivers';

let h: DispatcherHarness;
const receivers: Receiver[] = [];
const receiver = async (...args: Parameters<typeof startReceiver>) => {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
};

beforeAll(async () => {
  h = await startDispatcherHarness({ DISPATCHER_BREAKER_FAILURES: '1000', DISPATCHER_ORPHAN_SWEEP_MS: '300' });
  await h.start();
});
afterAll(async () => {
  await h?.close();
  for (const r of receivers) await r.close();
});

/** The audit records about `subject`, oldest first. */
const audited = async (subject: string) =>
  (await h.db.query(`SELECT actor, action, details FROM audit_record WHERE subject = $1 ORDER BY id`, [subject])) as { actor: string; action: string; details: Record<string, unknown> }[];

const settled = async (subscriptionId: string, state: string, timeoutMs = 15_000) =>
  eventually(async () => (await h.deliveries(subscriptionId))[0]?.state === state, timeoutMs, 50);

describe('retries', () => {
  it('a receiver that fails twice (500) and then recovers gets the event delivered once, with every attempt recorded', async () => {
    const r = await receiver((_, nth) => (nth <= 2 ? { status: 500, body: 'database unavailable' } : { status: 200 }));
    const sub = await h.subscribe('rop', r.url);
    const event = await h.toInbox(sub, { key: '600000001' });
    await settled(sub.id, 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // nothing more comes

    expect(r.requests.map((q) => q.webhookId)).toEqual([event.webhookId, event.webhookId, event.webhookId]);
    expect(new Set(r.requests.map((q) => q.headers['webhook-timestamp'])).size).toBeGreaterThanOrEqual(1);
    const gaps = r.requests.slice(1).map((q, i) => q.at - r.requests[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(150); // 200 ms ±20 %
    expect(gaps[1]).toBeGreaterThanOrEqual(300); // 400 ms ±20 %
    const [row] = await h.deliveries(sub.id);
    expect(row).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 200, lastError: null });
    const attempts = await h.attempts(row!.id);
    expect(attempts).toMatchObject([
      { attemptNo: 1, status: 500, error: 'HTTP 500: database unavailable' },
      { attemptNo: 2, status: 500, error: 'HTTP 500: database unavailable' },
      { attemptNo: 3, status: 200, error: null },
    ]);
    expect(attempts.every((a) => a.startedAt instanceof Date && a.latencyMs >= 0)).toBe(true);
    // the audit log: the routing decision when the delivery was created, then every attempt, each with its write
    expect(await audited(`event:urn:rabt:agency:mom/${event.id}`)).toEqual([{ actor: 'service:dispatcher', action: 'event.routed', details: expect.objectContaining({ delivery: row!.id, agency: 'rop' }) }]);
    expect((await audited(`delivery:${row!.id}`)).map((a) => [a.action, a.details['attemptNo'], a.details['status'], a.details['outcome']])).toEqual([
      ['delivery.attempted', 1, 500, 'retrying'],
      ['delivery.attempted', 2, 500, 'retrying'],
      ['delivery.attempted', 3, 200, 'delivered'],
    ]);
  });

  it('a receiver slower than the timeout: the timeout is recorded and the delivery retried', async () => {
    const r = await receiver((_, nth) => (nth === 1 ? { status: 200, delayMs: 2_500 } : { status: 202 }));
    const sub = await h.subscribe('rop', r.url);
    await h.toInbox(sub, { key: '600000002' });
    await settled(sub.id, 'delivered');
    const [row] = await h.deliveries(sub.id);
    const attempts = await h.attempts(row!.id);
    expect(attempts).toMatchObject([
      { attemptNo: 1, status: null, error: 'timed out after 1000 ms' },
      { attemptNo: 2, status: 202, error: null },
    ]);
    expect(attempts[0]!.latencyMs).toBeGreaterThanOrEqual(990);
    expect(attempts[0]!.latencyMs).toBeLessThan(1_500);
    expect(row).toMatchObject({ attempts: 2, lastStatus: 202 });
  });

  it('410 Gone: the delivery is gone, the subscription disabled with the reason, and nothing more is attempted', async () => {
    // Answers after 500 ms, so that the second event is surely taken in before the subscription is disabled.
    const r = await receiver(() => ({ status: 410, body: 'this endpoint was retired', delayMs: 500 }));
    const sub = await h.subscribe('moci', r.url);
    await h.toInbox(sub, { key: '600000003' });
    await h.toInbox(sub, { key: '600000003' }); // the same key: waits for the first
    await eventually(async () => (await h.deliveries(sub.id)).length === 2 && (await h.deliveries(sub.id)).every((d) => d.state === 'gone'), 15_000, 50);
    const subscription = await h.db.getRepository(SubscriptionEntity).findOneByOrFail({ id: sub.id });
    expect(subscription).toMatchObject({ state: 'disabled', disabledReason: 'the webhook answered 410 Gone: this endpoint was retired' });
    const [first, second] = await h.deliveries(sub.id);
    expect(first).toMatchObject({ attempts: 1, lastStatus: 410 });
    expect(second).toMatchObject({ attempts: 0, lastError: expect.stringMatching(/^not attempted: the subscription (was|is) disabled/) });

    await h.toInbox(sub, { key: '600000004' }); // after the disable: not even taken in
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(r.requests).toHaveLength(1);
    expect(await h.deliveries(sub.id)).toHaveLength(2);
    expect(await h.db.getRepository(DeadLetterEntity).countBy({ subscriptionId: sub.id })).toBe(0);
  });

  it('a redirect is not followed: a 3xx is a failed attempt, and the redirect target never hears of it', async () => {
    const target = await receiver();
    const r = await receiver((_, nth) => (nth === 1 ? { status: 307, headers: { Location: target.url } } : { status: 204 }));
    const sub = await h.subscribe('moh', r.url);
    await h.toInbox(sub, { key: '600000007' });
    await settled(sub.id, 'delivered');
    const [row] = await h.deliveries(sub.id);
    expect(await h.attempts(row!.id)).toMatchObject([
      { attemptNo: 1, status: 307, error: 'HTTP 307 (redirects are not followed)' },
      { attemptNo: 2, status: 204, error: null },
    ]);
    expect(target.requests).toHaveLength(0);
  });

  it('Retry-After is honoured instead of the schedule', async () => {
    const r = await receiver((_, nth) => (nth === 1 ? { status: 503, headers: { 'Retry-After': '2' } } : { status: 200 }));
    const sub = await h.subscribe('moh', r.url);
    await h.toInbox(sub, { key: '600000005' });
    await settled(sub.id, 'delivered');
    expect(r.requests).toHaveLength(2);
    const gap = r.requests[1]!.at - r.requests[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(1_950); // not the 200 ms of the schedule
    expect(gap).toBeLessThan(3_500);
  });

  it('a dead receiver (connection refused): dead-lettered after the schedule with the last error and every attempt', async () => {
    const port = await freePort(); // nobody listens there
    const sub = await h.subscribe('mm', `http://127.0.0.1:${port}/hook`);
    const event = await h.toInbox(sub, { key: '600000006' });
    const started = Date.now();
    await settled(sub.id, 'dead');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_100); // 200 + 400 + 800 ms, -20 %

    const [row] = await h.deliveries(sub.id);
    expect(row).toMatchObject({ id: event.webhookId, attempts: 4, lastStatus: null, lastError: expect.stringMatching(/^gave up after 4 attempts \(retry schedule used up\); last error: connect ECONNREFUSED 127\.0\.0\.1:\d+$/) });
    const attempts = await h.attempts(row!.id);
    expect(attempts.map((a) => [a.attemptNo, a.status])).toEqual([
      [1, null],
      [2, null],
      [3, null],
      [4, null],
    ]);
    expect(attempts.every((a) => a.error?.includes('ECONNREFUSED'))).toBe(true);
    const [letter] = await h.db.getRepository(DeadLetterEntity).findBy({ deliveryId: row!.id });
    expect(letter).toMatchObject({ subscriptionId: sub.id, agencyCode: 'mm', eventType: REPORTED, eventId: event.id, attempts: 4, lastStatus: null, lastError: row!.lastError });
    expect(letter!.payload).toMatchObject({ specversion: '1.0', id: event.id, type: REPORTED });
    expect((await audited(`delivery:${row!.id}`)).map((a) => [a.action, a.details['attemptNo'], a.details['outcome']])).toEqual([
      ['delivery.attempted', 1, 'retrying'],
      ['delivery.attempted', 2, 'retrying'],
      ['delivery.attempted', 3, 'retrying'],
      ['delivery.attempted', 4, 'dead'],
    ]);
    expect(await audited(`dead-letter:${letter!.id}`)).toEqual([
      { actor: 'service:dispatcher', action: 'delivery.dead-lettered', details: expect.objectContaining({ delivery: row!.id, attempts: 4, agency: 'mm' }) },
    ]);
  });

  it('removing a subscription ends its waiting deliveries as gone; nothing more is attempted', async () => {
    const r = await receiver(() => ({ status: 503 }));
    const sub = await h.subscribe('epay', r.url);
    await h.toInbox(sub, { key: '600000007' });
    await eventually(() => r.requests.length >= 1, 15_000, 50);
    await eventually(async () => (await h.deliveries(sub.id))[0]?.state === 'retrying', 15_000, 20);
    await h.db.transaction((m) => removeSubscription(m, sub.id, 'agency:test'));
    const [row] = await h.deliveries(sub.id);
    expect(row).toMatchObject({ state: 'gone', lastError: 'not attempted: the subscription was removed' });
    const requests = r.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // longer than the schedule's next two delays
    expect(r.requests.length).toBe(requests);
  });

  it('a waiting delivery whose subscription row vanished without removeSubscription (a race) is ended by the sweep', async () => {
    const r = await receiver(() => ({ status: 503 }));
    const sub = await h.subscribe('moci', r.url);
    await h.toInbox(sub, { key: '600000008' });
    await eventually(async () => (await h.deliveries(sub.id))[0]?.state === 'retrying', 15_000, 20);
    await h.db.query(`DELETE FROM subscription WHERE id = $1`, [sub.id]); // as if taken in just as it was removed
    await eventually(async () => (await h.deliveries(sub.id))[0]?.state === 'gone', 5_000, 50);
    expect((await h.deliveries(sub.id))[0]?.lastError).toBe('not attempted: the subscription was removed');
  });
});
