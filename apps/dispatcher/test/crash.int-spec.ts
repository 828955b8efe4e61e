// kill -9 of the built dispatcher mid-stream (intake and deliveries both running), then a
// restart: every event is delivered, there is exactly one delivery per (subscription, event),
// and a receiver that deduplicates by webhook-id processes each event once. The raw number of
// duplicate requests (attempts in flight at the kill, repeated after their lease ran out) is
// reported. Timeout 2 s + lease grace 1 s = a 3 s lease; the group notices the dead member after 6 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@rabt/testing';
import { startDispatcherHarness, subscribedReceivers, type DispatcherHarness, type SubscribedReceivers } from './dispatcher.harness';

const PER_SUBSCRIBER = 150;
const AGENCIES = ['rop', 'moci', 'moh'];

let h: DispatcherHarness;
let stream: SubscribedReceivers | undefined;

beforeAll(async () => {
  h = await startDispatcherHarness({ DISPATCHER_TIMEOUT_MS: '2000', DISPATCHER_LEASE_GRACE_MS: '1000', DISPATCHER_POLL_MS: '100', DISPATCHER_SESSION_TIMEOUT_MS: '6000' });
});
afterAll(async () => {
  await h?.close();
  await stream?.close();
});

describe('kill -9 and restart', () => {
  it('delivers everything afterwards; a deduplicating receiver sees each webhook-id once', async () => {
    const s = (stream = await subscribedReceivers(h, AGENCIES, 40));
    const first = await h.startBuilt();
    const writing = s.write(PER_SUBSCRIBER, '9', 30);

    await eventually(() => s.unique() >= 100, 30_000, 10);
    await first.kill();
    const atKill = s.unique();
    await writing;
    const total = s.total(PER_SUBSCRIBER);
    expect(atKill).toBeLessThan(total); // the kill really was mid-stream

    await h.startBuilt();
    const duplicates = await s.deliveredOnceEach(90_000);
    console.log(`[crash] ${total} events; ${atKill} processed before kill -9; ${s.raw()} requests received in all: ${duplicates} raw duplicates (same webhook-id), 0 after deduplication`);
  });
});
