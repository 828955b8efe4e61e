import { afterAll, beforeAll, describe, it } from 'vitest';
import { eventually } from '@rabt/testing';
import { absconding, REPORTED, startRouterHarness, type RouterHarness } from './router.harness';

// Exactly one inbox record per (subscription, event), although the router is killed -9 twice
// mid-stream: its consume → route → produce steps commit in Kafka transactions.
let h: RouterHarness;

beforeAll(async () => {
  h = await startRouterHarness(19692);
  await h.subscribe('rop', REPORTED, { projection: ['reason'] });
  await h.subscribe('moci', REPORTED);
});
afterAll(async () => {
  await h?.close();
});

describe('router across kill -9', () => {
  it('writes each (subscription, event) to the inbox exactly once', async () => {
    const events = absconding('crash', 0, 600, 100000000);
    await h.publish(REPORTED, events);
    const written = () => h.inboxLogEnd('moci');
    for (let crash = 0; crash < 2; crash++) {
      const before = await written();
      const started = Date.now();
      const router = await h.startProcess();
      process.stdout.write(`router ${crash + 1} ready after ${Date.now() - started} ms\n`);
      await eventually(async () => (await written()) > before + 50, 60_000, 20);
      await router.kill();
    }
    await h.startProcess();
    await h.expectEachOnceInInboxes(['rop', 'moci'], events);
    process.stdout.write(`router crash test: ${await written()} records in the moci inbox log for ${events.length} events (aborted attempts stay in the log, hidden from read_committed readers)\n`);
  }, 300_000);
});
