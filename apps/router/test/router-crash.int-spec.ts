import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, WORKSPACE_ROOT } from '@rabt/testing';
import { startRouterHarness, type RouterHarness } from './router.harness';

// Exactly one inbox record per (subscription, event), although the router is killed -9 twice
// mid-stream: its consume → route → produce steps commit in Kafka transactions.
const REPORTED = 'mom.employee.left-work-reported';
const data = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'test/fixtures', REPORTED, 'ok', 'absconded-seeb.json'), 'utf8')) as Record<string, unknown>;
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
    const events = Array.from({ length: 600 }, (_, i) => ({ id: `crash-${i}`, data: { ...data, workerCivilNumber: String(100000000 + i) } }));
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
    const [rop, moci] = await Promise.all([h.inbox('rop', { expected: events.length, timeoutMs: 120_000 }), h.inbox('moci', { expected: events.length, timeoutMs: 120_000 })]);
    for (const [name, records] of [['rop', rop], ['moci', moci]] as const) {
      const ids = records.map((r) => r.headers['ce_id']);
      expect(new Set(ids).size, `${name}: distinct events`).toBe(events.length);
      expect(ids.length, `${name}: records (no duplicates)`).toBe(events.length);
    }
    process.stdout.write(`router crash test: ${await written()} records in the moci inbox log for ${events.length} events (aborted attempts stay in the log, hidden from read_committed readers)\n`);
  }, 300_000);
});
