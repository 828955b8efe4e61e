// The dispatcher's PostgreSQL server goes away mid-stream: a fast shutdown, which cuts every
// connection as a restart or a fail-over does, and a start 3 s later. The server is one of the
// test's own (port 20592), so the shared one is not disturbed. The built dispatcher and the schema
// registry keep running through it. Afterwards every event is delivered, with one delivery per
// (subscription, event), a receiver that deduplicates by webhook-id processes each event once (the
// raw duplicates are reported), and the dispatcher answers ready again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ephemeralPostgres, eventually, type EphemeralPostgres } from '@rabt/testing';
import { startDispatcherHarness, subscribedReceivers, type DispatcherHarness, type SubscribedReceivers } from './dispatcher.harness';

const PG_PORT = 20592;
const PER_SUBSCRIBER = 150;
const AGENCIES = ['rop', 'moci'];

let pg: EphemeralPostgres;
let h: DispatcherHarness;
let stream: SubscribedReceivers | undefined;

beforeAll(async () => {
  pg = ephemeralPostgres(PG_PORT);
  await pg.start();
  h = await startDispatcherHarness({ DISPATCHER_TIMEOUT_MS: '2000', DISPATCHER_LEASE_GRACE_MS: '1000', DISPATCHER_POLL_MS: '100' }, { databaseServer: pg.url });
}, 120_000);
afterAll(async () => {
  await h?.close();
  await stream?.close();
  await pg?.destroy();
});

describe('PostgreSQL stopped and started again mid-stream', () => {
  it('delivers everything afterwards; a deduplicating receiver sees each webhook-id once', async () => {
    const s = (stream = await subscribedReceivers(h, AGENCIES, 20));
    const dispatcher = await h.startBuilt();
    const writing = s.write(PER_SUBSCRIBER, '8', 50);

    await eventually(() => s.unique() >= 60, 30_000, 10);
    await pg.stop();
    const atStop = s.unique();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await pg.start();
    await writing;
    const total = s.total(PER_SUBSCRIBER);
    expect(atStop).toBeLessThan(total); // the outage really was mid-stream
    // ... and the dispatcher met it (its warnings name the cut or refused connections).
    expect(dispatcher.output()).toMatch(/ECONNREFUSED|terminating connection|Connection terminated|shutting down/);

    const duplicates = await s.deliveredOnceEach(120_000);
    await eventually(async () => (await fetch(`${dispatcher.url}/health/ready`)).status === 200, 30_000);
    console.log(`[postgres-outage] ${total} events; ${atStop} processed before the stop; ${s.raw()} requests received in all: ${duplicates} raw duplicates (same webhook-id), 0 after deduplication`);
  }, 240_000);
});
