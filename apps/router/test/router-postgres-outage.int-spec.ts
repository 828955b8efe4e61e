import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ephemeralPostgres, eventually, WORKSPACE_ROOT, type EphemeralPostgres } from '@rabt/testing';
import { startRouterHarness, type RouterHarness } from './router.harness';

// The router's PostgreSQL server (subscriptions and grants) goes away mid-stream: a fast shutdown
// on a server of the test's own (port 20593; the broker is the harness's own, 20692), and a start
// 3 s later. The built router keeps running. It must neither route with what it could not read
// nor lose or repeat anything: afterwards each (subscription, event) is in the inbox exactly once.
const REPORTED = 'mom.employee.left-work-reported';
const EVENTS = 600;
const data = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'test/fixtures', REPORTED, 'ok', 'absconded-seeb.json'), 'utf8')) as Record<string, unknown>;
let pg: EphemeralPostgres;
let h: RouterHarness;

beforeAll(async () => {
  pg = ephemeralPostgres(20593);
  await pg.start();
  h = await startRouterHarness(20692, { databaseServer: pg.url });
  await h.subscribe('rop', REPORTED, { projection: ['reason'] });
  await h.subscribe('moci', REPORTED);
}, 120_000);
afterAll(async () => {
  await h?.close();
  await pg?.destroy();
});

describe('router across a PostgreSQL outage', () => {
  it('writes each (subscription, event) to the inbox exactly once', async () => {
    const events = Array.from({ length: EVENTS }, (_, i) => ({ id: `pg-outage-${i}`, data: { ...data, workerCivilNumber: String(200000000 + i) } }));
    const written = () => h.inboxLogEnd('moci');
    const router = await h.startProcess({ LOG_LEVEL: 'warn' });
    await h.publish(REPORTED, events.slice(0, EVENTS / 2));
    await eventually(async () => (await written()) >= 50, 60_000, 20);
    await pg.stop();
    const atStop = await written();
    await h.publish(REPORTED, events.slice(EVENTS / 2)); // the broker is up: publishing goes on, routing cannot
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await pg.start();

    const [rop, moci] = await Promise.all([h.inbox('rop', { expected: EVENTS, timeoutMs: 120_000 }), h.inbox('moci', { expected: EVENTS, timeoutMs: 120_000 })]);
    for (const [name, records] of [['rop', rop], ['moci', moci]] as const) {
      const ids = records.map((r) => r.headers['ce_id']);
      expect(new Set(ids).size, `${name}: distinct events`).toBe(EVENTS);
      expect(ids.length, `${name}: records (no duplicates)`).toBe(EVENTS);
    }
    expect(router.output()).toMatch(/ECONNREFUSED|terminating connection|Connection terminated|shutting down/); // and the router met it
    expect(router.child.exitCode).toBeNull(); // it rode it out
    process.stdout.write(`router postgres-outage test: ${atStop} records in the moci inbox log at the stop; ${await written()} after (aborted attempts stay in the log, hidden from read_committed readers)\n`);
  }, 300_000);
});
