import { afterAll, beforeAll, describe, it } from 'vitest';
import { uniqueName } from '@rabt/testing';
import { REPORTED, startRouterHarness, type RouterHarness } from './router.harness';

// Exactly one inbox record per (subscription, event) when one of two router instances is killed
// -9 mid-stream and comes back with its own instance id, as a StatefulSet pod would. Both
// instances write the same inbox partitions with different producers. The crashed one's open
// transaction stays open (its partitions wait out its session, then go to the other instance),
// until it comes back: its transactional id fences the dead incarnation and the broker aborts it.
// The aborted records stay in the log between the other instance's committed ones, hidden from
// read-committed readers. (The kafkajs filter flaw such logs can meet is reproduced on its own in
// libs/kafka/test/aborted-transactions.int-spec.ts; this test passed with stock kafkajs too.)
let h: RouterHarness;

beforeAll(async () => {
  h = await startRouterHarness(21092);
  await h.subscribe('rop', REPORTED, { projection: ['reason'] });
  await h.subscribe('moci', REPORTED);
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe('two router instances, one killed -9', () => {
  it('writes each (subscription, event) to the inbox exactly once after the crashed instance comes back', async () => {
    const stream = h.streamAbsconding('instance-crash', 300000000);
    const a = uniqueName('router-a');
    let atKill: number, atReturn: number;
    let all: { id: string }[];
    try {
      const first = await h.startProcess({ ROUTER_INSTANCE_ID: a });
      await h.startProcess({ ROUTER_INSTANCE_ID: uniqueName('router-b') });
      await h.inboxGrows('moci', 200);
      await first.kill(); // SIGKILL: its open transaction stays open, its partitions stay assigned until its session times out
      atKill = await h.inboxGrows('moci', 200);
      await h.startProcess({ ROUTER_INSTANCE_ID: a }); // the same id: fences the dead one, whose open transaction the broker aborts
      atReturn = await h.inboxGrows('moci', 200);
    } finally {
      all = await stream.stop();
    }

    await h.expectEachOnceInInboxes(['rop', 'moci'], all);
    process.stdout.write(`router instance crash test: ${atKill} moci records at the kill, ${atReturn} when the instance came back; ${await h.inboxLogEnd('moci')} records in the moci log for ${all.length} events\n`);
  }, 300_000);
});
