import { afterAll, beforeAll, describe, it } from 'vitest';
import { eventually, uniqueName } from '@rabt/testing';
import { REPORTED, startRouterHarness, type RouterHarness } from './router.harness';

// Exactly one inbox record per (subscription, event) across rebalances: a second router
// instance (its own transactional id) joins mid-stream and takes half the partitions, then the
// first one leaves (SIGTERM) and the second takes them all; events keep arriving throughout.
let h: RouterHarness;

beforeAll(async () => {
  h = await startRouterHarness(20992);
  await h.subscribe('rop', REPORTED, { projection: ['reason'] });
  await h.subscribe('moci', REPORTED);
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe('router across rebalances', () => {
  it('writes each (subscription, event) to the inbox exactly once while instances join and leave', async () => {
    const stream = h.streamAbsconding('rebalance', 200000000);
    let atJoin: number, atLeave: number;
    let all: { id: string }[];
    try {
      const first = await h.startProcess({ ROUTER_INSTANCE_ID: uniqueName('router-a') });
      await eventually(async () => (await h.inboxLogEnd('moci')) >= 100, 60_000, 20);
      await h.startProcess({ ROUTER_INSTANCE_ID: uniqueName('router-b') }); // ready once it has joined: a rebalance
      atJoin = await h.inboxGrows('moci', 200);
      await first.stop(); // leaves the group: the second takes every partition
      atLeave = await h.inboxGrows('moci', 200);
    } finally {
      all = await stream.stop();
    }

    await h.expectEachOnceInInboxes(['rop', 'moci'], all);
    process.stdout.write(`router rebalance test: ${atJoin} moci records when the second instance joined, ${atLeave} when the first left; ${await h.inboxLogEnd('moci')} records in the moci log for ${all.length} events\n`);
  }, 300_000);
});
