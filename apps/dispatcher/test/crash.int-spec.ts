// kill -9 of the built dispatcher mid-stream (intake and deliveries both running), then a
// restart: every event is delivered, there is exactly one delivery per (subscription, event),
// and a receiver that deduplicates by webhook-id processes each event once. The raw number of
// duplicate requests (attempts in flight at the kill, repeated after their lease ran out) is
// reported. Timeout 2 s + lease grace 1 s = a 3 s lease; the group notices the dead member after 6 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@rabt/testing';
import { startDispatcherHarness, type DispatcherHarness } from './dispatcher.harness';
import { startReceiver, type Receiver } from './receivers';

const PER_SUBSCRIBER = 150;
const AGENCIES = ['rop', 'moci', 'moh'];

let h: DispatcherHarness;
const receivers: Receiver[] = [];

beforeAll(async () => {
  h = await startDispatcherHarness({ DISPATCHER_TIMEOUT_MS: '2000', DISPATCHER_LEASE_GRACE_MS: '1000', DISPATCHER_POLL_MS: '100', DISPATCHER_SESSION_TIMEOUT_MS: '6000' });
});
afterAll(async () => {
  await h?.close();
  for (const r of receivers) await r.close();
});

describe('kill -9 and restart', () => {
  it('delivers everything afterwards; a deduplicating receiver sees each webhook-id once', async () => {
    for (const _ of AGENCIES) receivers.push(await startReceiver(() => ({ status: 204, delayMs: 40 })));
    const subscriptions = await Promise.all(AGENCIES.map((agency, i) => h.subscribe(agency, receivers[i]!.url)));
    const processed = new Set<string>(); // what a deduplicating receiver acts on
    const unique = () => {
      for (const r of receivers) for (const q of r.requests) processed.add(q.webhookId);
      return processed.size;
    };

    const first = await h.startBuilt();
    const expected = new Set<string>();
    const producing = (async () => {
      for (let e = 0; e < PER_SUBSCRIBER; e++) {
        const written = await Promise.all(subscriptions.map((s, i) => h.toInbox(s, { key: `9${i}${String(e).padStart(7, '0')}` })));
        for (const w of written) expected.add(w.webhookId);
        if (e % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 30));
      }
    })();

    await eventually(() => unique() >= 100, 30_000, 10);
    await first.kill();
    const atKill = unique();
    await producing;
    const total = AGENCIES.length * PER_SUBSCRIBER;
    expect(atKill).toBeLessThan(total); // the kill really was mid-stream

    await h.startBuilt();
    await eventually(async () => unique() >= total && (await h.deliveries()).every((d) => d.state === 'delivered'), 90_000, 100);

    const rows = await h.deliveries();
    expect(rows).toHaveLength(total); // one delivery per (subscription, event), though records were read again
    expect(new Set(rows.map((d) => d.id))).toEqual(expected);
    expect(processed).toEqual(expected);
    const raw = receivers.reduce((n, r) => n + r.requests.length, 0);
    console.log(`[crash] ${total} events; ${atKill} processed before kill -9; ${raw} requests received in all: ${raw - total} raw duplicates (same webhook-id), 0 after deduplication`);
    expect(raw).toBeGreaterThanOrEqual(total);
  });
});
