// Per-key order and isolation, against real HTTP receivers: a key waits for its earlier event
// while other keys flow, and one failing subscriber of ten (its circuit opens) costs the other
// nine nothing. Retry schedule 200ms,400ms,800ms; timeout 1 s; circuit: 3 failures, 2 s cooldown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@rabt/testing';
import { metric, startDispatcherHarness, type DispatcherHarness, type TestSubscription } from './dispatcher.harness';
import { startReceiver, type Receiver } from './receivers';

let h: DispatcherHarness;
const receivers: Receiver[] = [];
const receiver = async (...args: Parameters<typeof startReceiver>) => {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
};

beforeAll(async () => {
  h = await startDispatcherHarness({ DISPATCHER_BREAKER_FAILURES: '3', DISPATCHER_BREAKER_WINDOW_MS: '10000', DISPATCHER_BREAKER_COOLDOWN_MS: '2000' });
  await h.start();
});
afterAll(async () => {
  await h?.close();
  for (const r of receivers) await r.close();
});

describe('per-key order', () => {
  it("key K's second event waits until the first succeeded, while key L's events flow meanwhile", async () => {
    let k1 = '';
    const r = await receiver((q) => (q.eventId === k1 && r.requests.filter((x) => x.eventId === k1).length <= 2 ? { status: 500 } : { status: 204 }));
    const sub = await h.subscribe('rop', r.url);
    k1 = (await h.toInbox(sub, { key: '700000001', id: 'K1' })).id;
    await h.toInbox(sub, { key: '700000001', id: 'K2' });
    for (const id of ['L1', 'L2', 'L3']) await h.toInbox(sub, { key: '700000002', id });
    await eventually(async () => (await h.deliveries(sub.id)).every((d) => d.state === 'delivered') && r.requests.length === 7, 15_000, 50);

    const order = r.requests.map((q) => q.eventId);
    expect(order.filter((id) => id.startsWith('K'))).toEqual(['K1', 'K1', 'K1', 'K2']); // K2 only after K1's third attempt succeeded
    expect(order.filter((id) => id.startsWith('L'))).toEqual(['L1', 'L2', 'L3']);
    const k1Success = r.requests.filter((q) => q.eventId === 'K1')[2]!.at;
    expect(r.requests.find((q) => q.eventId === 'K2')!.at).toBeGreaterThanOrEqual(k1Success);
    expect(r.requests.filter((q) => q.eventId.startsWith('L')).every((q) => q.at < k1Success)).toBe(true); // L did not wait for K
  });

  it('a dead-lettered event releases its key: the next event of the key is delivered', async () => {
    const r = await receiver((q) => (q.eventId === 'D1' ? { status: 400 } : { status: 204 }));
    const sub = await h.subscribe('moci', r.url);
    await h.toInbox(sub, { key: '700000003', id: 'D1' });
    await h.toInbox(sub, { key: '700000003', id: 'D2' });
    await eventually(async () => (await h.deliveries(sub.id)).map((d) => d.state).join() === 'dead,delivered', 15_000, 50);
    expect(r.requests.map((q) => q.eventId)).toEqual(['D1', 'D1', 'D1', 'D1', 'D2']);
  });
});

describe('isolation', () => {
  const EVENTS = 10;

  /** EVENTS events to each subscription; ms until every healthy receiver had `expected` requests. */
  async function publish(subscriptions: readonly TestSubscription[], healthy: readonly Receiver[], expected: number): Promise<number> {
    const started = Date.now();
    for (let e = 0; e < EVENTS; e++) {
      await Promise.all(subscriptions.map((s) => h.toInbox(s, { key: `8${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` })));
    }
    await eventually(() => healthy.every((r) => r.requests.length >= expected), 20_000, 20);
    return Date.now() - started;
  }

  async function subscribers(tag: string, failing: Receiver | undefined): Promise<{ subscriptions: TestSubscription[]; healthy: Receiver[] }> {
    const healthy = await Promise.all(Array.from({ length: failing ? 9 : 10 }, () => receiver()));
    const all = failing ? [failing, ...healthy] : healthy;
    const subscriptions = await Promise.all(all.map((r, i) => h.subscribe(['rop', 'moci', 'moh', 'mm', 'epay'][i % 5]!, `${r.url}/${tag}-${i}`)));
    return { subscriptions, healthy };
  }

  it('one failing subscriber of ten does not slow the other nine: they get every event promptly while its circuit opens', async () => {
    const calm = await subscribers('baseline', undefined);
    const baselineMs = await publish(calm.subscriptions, calm.healthy, EVENTS);

    const hanging = await receiver(() => ({ status: 200, delayMs: 5_000 })); // every attempt times out
    const { subscriptions, healthy } = await subscribers('failing', hanging);
    const whileFailingMs = await publish(subscriptions, healthy, EVENTS);
    await eventually(async () => (await metric(h.url, 'rabt_dispatcher_breaker_transitions_total', { state: 'open' })) >= 1, 10_000, 100);
    const whileOpenMs = await publish(subscriptions, healthy, 2 * EVENTS);
    console.log(
      `[isolation] ${9 * EVENTS} events to nine healthy subscribers: ${whileFailingMs} ms while the tenth times out, ${whileOpenMs} ms while its circuit is open; ${baselineMs} ms for ${10 * EVENTS} events to ten healthy ones`,
    );

    const limit = Math.max(3_000, baselineMs * 2);
    expect(whileFailingMs).toBeLessThan(limit);
    expect(whileOpenMs).toBeLessThan(limit);
    for (const r of healthy) expect(new Set(r.requests.map((q) => q.webhookId)).size).toBe(2 * EVENTS);
    // While the circuit is open its deliveries wait unclaimed, without using their retry budget.
    const failingDeliveries = await h.deliveries(subscriptions[0]!.id);
    expect(failingDeliveries).toHaveLength(2 * EVENTS);
    expect(failingDeliveries.filter((d) => d.attempts === 0).length).toBeGreaterThanOrEqual(EVENTS);
    expect(failingDeliveries.every((d) => d.state !== 'delivered' && d.state !== 'dead')).toBe(true);
    expect(hanging.requests.length).toBeLessThan(2 * EVENTS); // far fewer than one attempt each
  });
});
