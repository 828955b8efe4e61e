// The gateway's PostgreSQL server goes away (a fast shutdown, as in a restart or a fail-over) and
// comes back. Meanwhile callers get a clear 503 with a stable code and Retry-After, not a 500, and
// nothing is accepted; afterwards the refused event is accepted on retry and is on its topic once.
// The server is one of the test's own (port 20892), so the shared one is not disturbed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, readToEnd } from '@rabt/kafka';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { ephemeralPostgres, eventually, kafkaEnv, testStack, type EphemeralPostgres } from '@rabt/testing';
import { cloudEvent, fixture, get, post, REPORTED, type Answer } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

const PG_PORT = 20892;
let pg: EphemeralPostgres;
let gw: GatewayHarness;

beforeAll(async () => {
  pg = ephemeralPostgres(PG_PORT);
  await pg.start();
  gw = await startGateway({ databaseServer: pg.url });
}, 120_000);
afterAll(async () => {
  await gw?.close();
  await pg?.destroy();
});

const expectUnavailable = (answer: Answer, codes: readonly string[]) => {
  expect(answer.status, JSON.stringify(answer.body)).toBe(503);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(codes).toContain(answer.body.code);
  expect(answer.headers.get('retry-after')).toBe('5');
};

describe('PostgreSQL stopped and started again', () => {
  it('answers 503 DATABASE_UNAVAILABLE meanwhile, accepts nothing, and accepts the event on retry afterwards', async () => {
    const before = cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok'));
    expect((await post(`${gw.url}/v1/events`, gw.keys.mom, before)).status).toBe(202);

    await pg.stop();
    const refused = cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok'));
    // The API key was checked a moment ago (checks are cached for a few seconds), so the publish
    // gets as far as its idempotency claim, which names the database.
    expectUnavailable(await post(`${gw.url}/v1/events`, gw.keys.mom, refused), ['DATABASE_UNAVAILABLE']);
    // A read: the pool's new connection is refused at DATABASE_URL's address, or a pooled one
    // finds its server gone — either way the database is named, and it is a 503, not a 500.
    expectUnavailable(await get(`${gw.url}/v1/events/${before.id}/deliveries`, gw.keys.mom), ['DATABASE_UNAVAILABLE']);
    // A key not checked a moment ago: its check needs the database too.
    expectUnavailable(await get(`${gw.url}/v1/events/${before.id}/deliveries`, gw.keys.rop), ['DATABASE_UNAVAILABLE']);
    expect((await fetch(`${gw.url}/health/ready`)).status).toBe(503);

    await pg.start();
    // Nothing of the refused event was kept: no claim to block its retry.
    expect((await gw.db.query(`SELECT count(*)::int AS n FROM gateway_event WHERE event_id = $1`, [refused.id]))[0].n).toBe(0);
    let retry: Answer | undefined;
    await eventually(async () => (retry = await post(`${gw.url}/v1/events`, gw.keys.mom, refused)).status === 202, 60_000, 500);
    expect(retry!.body.id).toBe(refused.id);

    const { kafka } = loadConfig('t', { kafka: kafkaFragment('database-outage-test') }, kafkaEnv('operator-admin', testStack.kafkaBrokers)).values;
    const records = (await readToEnd(createKafka(kafka), REPORTED, { timeoutMs: 60_000 })).filter((r) => r.headers['ce_id'] === refused.id);
    expect(records).toHaveLength(1);
    expect(`${records[0]!.partition}/${records[0]!.offset}`).toBe(`${retry!.body.partition}/${retry!.body.offset}`);
  }, 180_000);
});
