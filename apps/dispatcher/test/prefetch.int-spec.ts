// Prefetch (DISPATCHER_PREFETCH) against a slow real receiver: claims waiting in the dispatcher
// never outlive their lease, never break the endpoint limit or per-key order, and are given back
// at shutdown. Endpoint concurrency 1 and a prefetch of 2, so claims do wait; each answer takes
// 1.2 s of a 2 s timeout with a 200 ms lease grace, so the third waiting claim would start after
// its hold (one timeout) and must be given back and claimed again, not attempted late. Without
// the longer lease a waiting claim's lease would run out mid-attempt and it would be sent twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@rabt/testing';
import { DeliveryWorker } from '../src/delivery/delivery.worker';
import { metric, startDispatcherHarness, type DispatcherHarness } from './dispatcher.harness';
import { startReceiver, type Receiver } from './receivers';

const SLOW_MS = 1_200;

let h: DispatcherHarness;
const receivers: Receiver[] = [];
/** Answers after SLOW_MS: 204, except 500 to the first request for event `failOnce`. */
const slowReceiver = async (failOnce?: string) => {
  const r: Receiver = await startReceiver((q) => ({ status: q.eventId === failOnce && r.requests.filter((x) => x.eventId === failOnce).length === 1 ? 500 : 204, delayMs: SLOW_MS }));
  receivers.push(r);
  return r;
};

beforeAll(async () => {
  h = await startDispatcherHarness({
    DISPATCHER_ENDPOINT_CONCURRENCY: '1',
    DISPATCHER_PREFETCH: '2',
    DISPATCHER_TIMEOUT_MS: '2000',
    DISPATCHER_LEASE_GRACE_MS: '200',
    DISPATCHER_BREAKER_FAILURES: '1000',
  });
});
afterAll(async () => {
  await h?.close();
  for (const r of receivers) await r.close();
});

/** The most deliveries of `subscriptionId` seen 'delivering' at once, sampled every 20 ms until stopped. */
function sampleClaims(subscriptionId: string): { stop(): Promise<number> } {
  let max = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const [row] = (await h.db.query(`SELECT count(*)::int AS n FROM delivery WHERE subscription_id = $1 AND state = 'delivering'`, [subscriptionId])) as { n: number }[];
      max = Math.max(max, row?.n ?? 0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return max;
    },
  };
}

async function allDelivered(subscriptionId: string, n: number): Promise<boolean> {
  const deliveries = await h.deliveries(subscriptionId);
  return deliveries.length === n && deliveries.every((d) => d.state === 'delivered');
}

describe('prefetch', () => {
  it('a slow endpoint: every event sent once (K1 twice: it fails once), one at a time, in key order, though claims waited and some were given back', async () => {
    const r = await slowReceiver('K1');
    const sub = await h.subscribe('rop', r.url);
    const keyed = [];
    for (const id of ['K1', 'K2', 'K3']) keyed.push(await h.toInbox(sub, { key: '700000021', id }));
    const others = [];
    for (const [i, id] of ['A', 'B', 'C'].entries()) others.push(await h.toInbox(sub, { key: `70000003${i}`, id }));
    const sampler = sampleClaims(sub.id);
    await h.start();
    await eventually(async () => allDelivered(sub.id, 6), 30_000, 100);
    const maxClaimed = await sampler.stop();
    // The run was taken in with the first deliveries already claimed (the first of each key only).
    const claimedByIntake = await metric(h.url, 'rabt_dispatcher_claimed_total', { by: 'intake' });
    await h.stop();
    expect(claimedByIntake).toBeGreaterThanOrEqual(1);

    // Prefetch was in effect: more claims than the endpoint's one slot.
    expect(maxClaimed).toBeGreaterThan(1);
    // Exactly one request per webhook-id and attempt: no claim was attempted after its lease ran out.
    const byId = r.byWebhookId();
    expect([...byId.keys()].sort()).toEqual([...keyed, ...others].map((e) => e.webhookId).sort());
    for (const [id, requests] of byId) expect(requests).toHaveLength(id === keyed[0]!.webhookId ? 2 : 1);
    // One at a time (endpoint concurrency 1): each request came after the previous one's answer.
    const at = r.requests.map((q) => q.at);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(SLOW_MS - 2);
    // Per-key order: K2 only after K1's retry succeeded, though all three were taken in in one run.
    expect(r.requests.map((q) => q.eventId).filter((id) => id.startsWith('K'))).toEqual(['K1', 'K1', 'K2', 'K3']);
    for (const d of await h.deliveries(sub.id)) expect(d.attempts).toBe(d.eventId === 'K1' ? 2 : 1);
  }, 60_000);

  it('shutdown gives waiting claims back unattempted; the next start delivers them once each', async () => {
    const r = await slowReceiver();
    const sub = await h.subscribe('moci', r.url);
    const events = [];
    for (const [i, id] of ['S1', 'S2', 'S3', 'S4'].entries()) events.push(await h.toInbox(sub, { key: `70000004${i}`, id }));
    const app = await h.start();
    await eventually(async () => r.requests.length === 1 && (await h.deliveries(sub.id)).filter((d) => d.state === 'delivering').length > 1, 15_000, 20);
    // The worker's own shutdown (the app's closes the intake first, which can take seconds): waits for the attempt in flight.
    await app.get(DeliveryWorker).beforeApplicationShutdown();

    const after = await h.deliveries(sub.id);
    expect(after.filter((d) => d.state === 'delivering')).toEqual([]);
    expect(after.filter((d) => d.state === 'delivered')).toHaveLength(1);
    for (const d of after.filter((x) => x.state !== 'delivered')) expect(d).toMatchObject({ state: 'pending', attempts: 0, leaseToken: null });
    expect(r.requests).toHaveLength(1);
    await h.stop();

    await h.start();
    await eventually(async () => allDelivered(sub.id, 4), 30_000, 100);
    await h.stop();
    expect([...r.byWebhookId().values()].map((q) => q.length)).toEqual([1, 1, 1, 1]);
  }, 60_000);
});
