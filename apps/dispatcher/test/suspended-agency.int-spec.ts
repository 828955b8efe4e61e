// A suspended agency receives nothing: the dispatcher sends no webhook to it, neither for events
// taken in after the suspension nor for deliveries already retrying when it came. Each such
// delivery is dead-lettered at once with a reason that says so (an operator replays it once the
// agency is active again). Real Kafka, Postgres, the built schema registry and real receivers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgencyEntity, DeadLetterEntity, deliveryErrorClass } from '@rabt/persistence';
import { eventually } from '@rabt/testing';
import { startDispatcherHarness, type DispatcherHarness } from './dispatcher.harness';
import { startReceiver, type Receiver } from './receivers';

let h: DispatcherHarness;
const receivers: Receiver[] = [];

beforeAll(async () => {
  // Retries far enough apart to suspend the agency between two attempts; agency status re-read quickly.
  h = await startDispatcherHarness({ DISPATCHER_BREAKER_FAILURES: '1000', DISPATCHER_RETRY_SCHEDULE: '3s,3s,3s,3s', DISPATCHER_SUBSCRIPTION_CACHE_MS: '200' });
  await h.start();
});
afterAll(async () => {
  await h?.close();
  for (const r of receivers) await r.close();
});

const suspend = (code: string, status: 'suspended' | 'active' = 'suspended') => h.db.getRepository(AgencyEntity).update({ code }, { status });

describe('a suspended subscriber agency', () => {
  it('gets no request for an event taken in while it is suspended: the delivery is dead-lettered, saying why', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const sub = await h.subscribe('rop', r.url);
    await suspend('rop');
    try {
      const event = await h.toInbox(sub, { key: '515151515' });
      await eventually(async () => (await h.deliveries(sub.id))[0]?.state === 'dead', 15_000, 50);
      expect(r.requests).toHaveLength(0);
      const [row] = await h.deliveries(sub.id);
      expect(row).toMatchObject({ id: event.webhookId, state: 'dead', attempts: 0, lastError: "subscriber agency suspended: agency 'rop' is suspended; replay the dead letter once it is active again" });
      expect(deliveryErrorClass(row!.lastStatus, row!.lastError)).toBe('subscriber_suspended');
      const [letter] = await h.db.getRepository(DeadLetterEntity).findBy({ deliveryId: row!.id });
      expect(letter).toMatchObject({ agencyCode: 'rop', eventId: event.id, lastError: row!.lastError });
    } finally {
      await suspend('rop', 'active');
    }
  });

  it('gets no further attempt of a delivery that was retrying when it was suspended', async () => {
    const r = await startReceiver(() => ({ status: 503 }));
    receivers.push(r);
    const sub = await h.subscribe('moci', r.url);
    try {
      await h.toInbox(sub, { key: '525252525' });
      await eventually(async () => (await h.deliveries(sub.id))[0]?.state === 'retrying', 15_000, 50);
      await suspend('moci');
      await eventually(async () => (await h.deliveries(sub.id))[0]?.state === 'dead', 15_000, 50);
      expect(r.requests).toHaveLength(1);
      const [row] = await h.deliveries(sub.id);
      expect(row).toMatchObject({ state: 'dead', attempts: 1, lastError: expect.stringMatching(/^subscriber agency suspended: agency 'moci' is suspended/) });
    } finally {
      await suspend('moci', 'active');
    }
  });

  it('an active agency is still delivered to meanwhile', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const sub = await h.subscribe('mm', r.url);
    await suspend('rop');
    try {
      await h.toInbox(sub, { key: '535353535' });
      await eventually(async () => (await h.deliveries(sub.id))[0]?.state === 'delivered', 15_000, 50);
      expect(r.requests).toHaveLength(1);
    } finally {
      await suspend('rop', 'active');
    }
  });
});
