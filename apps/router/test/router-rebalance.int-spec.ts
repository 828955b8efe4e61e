import { afterAll, beforeAll, describe, it } from 'vitest';
import { eventually, uniqueName } from '@rabt/testing';
import { absconding, REPORTED, startRouterHarness, type RouterHarness } from './router.harness';

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

const events = (from: number, count: number) => absconding('rebalance', from, count, 200000000);

describe('router across rebalances', () => {
  it('writes each (subscription, event) to the inbox exactly once while instances join and leave', async () => {
    const written = () => h.inboxLogEnd('moci');
    // Events keep arriving, 20 every 50 ms, so each rebalance falls in the middle of the stream.
    let published = 0;
    let publishing = true;
    const publisher = (async () => {
      while (publishing) {
        await h.publish(REPORTED, events(published, 20));
        published += 20;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    let atJoin: number, atLeave: number;
    try {
      const first = await h.startProcess({ ROUTER_INSTANCE_ID: uniqueName('router-a') });
      await eventually(async () => (await written()) >= 100, 60_000, 20);
      await h.startProcess({ ROUTER_INSTANCE_ID: uniqueName('router-b') }); // ready once it has joined: a rebalance
      atJoin = await written();
      await eventually(async () => (await written()) >= atJoin + 200, 60_000, 20);
      await first.stop(); // leaves the group: the second takes every partition
      atLeave = await written();
      await eventually(async () => (await written()) >= atLeave + 200, 60_000, 20);
    } finally {
      publishing = false;
      await publisher;
    }

    const all = events(0, published);
    await h.expectEachOnceInInboxes(['rop', 'moci'], all);
    process.stdout.write(`router rebalance test: ${atJoin} moci records when the second instance joined, ${atLeave} when the first left; ${await written()} records in the moci log for ${all.length} events\n`);
  }, 300_000);
});
