import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ephemeralPostgres, eventually, type EphemeralPostgres } from '@rabt/testing';
import { absconding, REPORTED, startRouterHarness, type RouterHarness } from './router.harness';

// The router's PostgreSQL server (subscriptions and grants) goes away mid-stream: a fast shutdown
// on a server of the test's own (port 20593; the broker is the harness's own, 20692), and a start
// 3 s later. The built router keeps running. It must neither route with what it could not read
// nor lose or repeat anything: afterwards each (subscription, event) is in the inbox exactly once.
const EVENTS = 600;
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
    const events = absconding('pg-outage', 0, EVENTS, 200000000);
    const written = () => h.inboxLogEnd('moci');
    const router = await h.startProcess({ LOG_LEVEL: 'warn' });
    await h.publish(REPORTED, events.slice(0, EVENTS / 2));
    await eventually(async () => (await written()) >= 50, 60_000, 20);
    await pg.stop();
    const atStop = await written();
    await h.publish(REPORTED, events.slice(EVENTS / 2)); // the broker is up: publishing goes on, routing cannot
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await pg.start();

    await h.expectEachOnceInInboxes(['rop', 'moci'], events);
    expect(router.output()).toMatch(/ECONNREFUSED|terminating connection|Connection terminated|shutting down/); // and the router met it
    expect(router.child.exitCode).toBeNull(); // it rode it out
    process.stdout.write(`router postgres-outage test: ${atStop} records in the moci inbox log at the stop; ${await written()} after (aborted attempts stay in the log, hidden from read_committed readers)\n`);
  }, 300_000);
});
