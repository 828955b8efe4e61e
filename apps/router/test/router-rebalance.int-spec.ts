import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, uniqueName, WORKSPACE_ROOT } from '@rabt/testing';
import { startRouterHarness, type RouterHarness } from './router.harness';

// Exactly one inbox record per (subscription, event) across rebalances: a second router
// instance (its own transactional id) joins mid-stream and takes half the partitions, then the
// first one leaves (SIGTERM) and the second takes them all; events keep arriving throughout.
const REPORTED = 'mom.employee.left-work-reported';
const data = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'test/fixtures', REPORTED, 'ok', 'absconded-seeb.json'), 'utf8')) as Record<string, unknown>;
let h: RouterHarness;

beforeAll(async () => {
  h = await startRouterHarness(20992);
  await h.subscribe('rop', REPORTED, { projection: ['reason'] });
  await h.subscribe('moci', REPORTED);
}, 180_000);
afterAll(async () => {
  await h?.close();
});

const events = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: `rebalance-${from + i}`, data: { ...data, workerCivilNumber: String(200000000 + from + i) } }));

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
    const [rop, moci] = await Promise.all([h.inbox('rop', { expected: all.length, timeoutMs: 120_000 }), h.inbox('moci', { expected: all.length, timeoutMs: 120_000 })]);
    for (const [name, records] of [['rop', rop], ['moci', moci]] as const) {
      const ids = records.map((r) => r.headers['ce_id']);
      expect(new Set(ids), `${name}: every event`).toEqual(new Set(all.map((e) => e.id)));
      expect(ids.length, `${name}: records (no duplicates)`).toBe(all.length);
    }
    process.stdout.write(`router rebalance test: ${atJoin} moci records when the second instance joined, ${atLeave} when the first left; ${await written()} records in the moci log for ${all.length} events\n`);
  }, 300_000);
});
