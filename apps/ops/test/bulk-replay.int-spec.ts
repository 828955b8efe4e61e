import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, WORKSPACE_ROOT, type ServiceProcess } from '@rabt/testing';
import { createAccount, metric, OpsCaller, startBuiltOps } from './ops.harness';
import { receiver, REPORTED, startPipeline, type Pipeline, type Receiver } from './pipeline.harness';

// Real dead letters made through gateway → router → dispatcher while the receivers fail; then a
// receiver recovers and an operator bulk-replays them through the ops API. Each must arrive
// exactly once (by webhook-id), none lost — also when the ops service is killed mid-replay.
const EVENTS = 1000;
const data = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'test/fixtures', REPORTED, 'ok', 'absconded-seeb.json'), 'utf8')) as Record<string, unknown>;

let pipeline: Pipeline;
let ops: ServiceProcess;
let operator: OpsCaller;
const receivers: Record<'rop' | 'moci', Receiver> = {} as never;
const log = (line: string) => process.stdout.write(`${line}\n`);

async function deadLetters(agency: string, state = 'open'): Promise<string[]> {
  return ((await pipeline.db.query(`SELECT delivery_id FROM dead_letter WHERE agency_code = $1 AND state = $2`, [agency, state])) as { delivery_id: string }[]).map((r) => r.delivery_id);
}

async function waitForJob(id: string, timeoutMs: number): Promise<Record<string, unknown>> {
  let job: Record<string, unknown> = {};
  await eventually(
    async () => {
      job = (await operator.call('GET', `/v1/replays/${id}`)).body;
      return job['state'] === 'completed';
    },
    timeoutMs,
    500,
  );
  return job;
}

/** Every dead letter's webhook-id delivered exactly once, and nothing else. */
function expectEachOnce(r: Receiver, webhookIds: readonly string[]): void {
  expect(r.delivered.size).toBe(webhookIds.length);
  for (const id of webhookIds) expect(r.delivered.get(id), id).toBe(1);
}

beforeAll(async () => {
  const started = Date.now();
  pipeline = await startPipeline(['rop', 'moci']);
  for (const agency of ['rop', 'moci'] as const) {
    expect((await pipeline.gateway('POST', '/v1/grants', 'mom', { agency, eventType: REPORTED, permission: 'subscribe' })).status).toBe(201);
    receivers[agency] = await receiver();
    const created = await pipeline.gateway('POST', '/v1/subscriptions', agency, { eventType: REPORTED, webhook: { url: receivers[agency].url } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    receivers[agency].secret = String(created.body['webhookSecret']);
  }
  ops = await startBuiltOps(pipeline.database.url, { KAFKA_BROKERS: pipeline.broker.brokers });
  await createAccount(pipeline.db, 'oper', 'operator');
  operator = await OpsCaller.signIn(ops.url, 'oper');

  // Distinct keys, so no delivery waits behind another of its key.
  for (let batch = 0; batch < EVENTS / 100; batch++) {
    const results = await pipeline.mom.publishBatch(Array.from({ length: 100 }, (_, i) => ({ type: REPORTED, data: { ...data, workerCivilNumber: String(300000000 + batch * 100 + i) } as never })));
    expect(results.every((r) => r.ok)).toBe(true);
  }
  await eventually(async () => (await deadLetters('rop')).length === EVENTS && (await deadLetters('moci')).length === EVENTS, 180_000, 1000);
  log(`bulk replay test: ${EVENTS} events → ${EVENTS} dead letters for each of rop and moci in ${((Date.now() - started) / 1000).toFixed(1)} s (including start-up); ${receivers.rop.failedCalls + receivers.moci.failedCalls} failed calls`);
}, 300_000);

afterAll(async () => {
  await ops?.kill();
  for (const r of Object.values(receivers)) await r.close();
  await pipeline?.close();
});

describe('bulk replay of real dead letters', () => {
  it('after the receiver recovers, replaying 1,000 dead letters delivers each exactly once and loses none', async () => {
    const webhookIds = await deadLetters('rop');
    const [{ errorCodes }] = (await pipeline.db.query(`SELECT array_agg(DISTINCT error_code) AS "errorCodes" FROM dead_letter WHERE agency_code = 'rop'`)) as [{ errorCodes: string[] }];
    expect(errorCodes).toEqual(['HTTP_5XX']);
    receivers.rop.failing = false;
    const started = Date.now();
    const answer = await operator.call('POST', '/v1/replays', { filter: { agency: 'rop', errorCode: 'HTTP_5XX' }, reason: 'rop receiver is back after maintenance', ratePerSecond: 250 });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.body).toMatchObject({ state: 'running', total: EVENTS, requestedBy: 'oper', ratePerSecond: 250 });
    const job = await waitForJob(String(answer.body['id']), 60_000);
    expect(job).toMatchObject({ done: EVENTS, skipped: 0 });
    await eventually(() => receivers.rop.delivered.size === EVENTS, 90_000, 200);
    const seconds = (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 2000)); // anything sent twice would arrive by now
    expectEachOnce(receivers.rop, webhookIds);
    await eventually(async () => (await deadLetters('rop', 'replayed')).length === EVENTS, 10_000);
    expect(receivers.moci.delivered.size).toBe(0); // not in the filter
    log(`bulk replay test: ${EVENTS} dead letters replayed and each delivered once in ${seconds.toFixed(1)} s`);
  }, 180_000);

  it('the per-agency and per-type metrics are on each service’s /metrics', async () => {
    const byType = { type: REPORTED };
    expect(await metric(pipeline.services['gateway']!.url, 'rabt_published_total', { agency: 'mom', ...byType })).toBe(EVENTS);
    expect(await metric(pipeline.services['router']!.url, 'rabt_routed_total', { agency: 'rop', ...byType })).toBe(EVENTS);
    const dispatcher = pipeline.services['dispatcher']!.url;
    expect(await metric(dispatcher, 'rabt_dead_lettered_total', { agency: 'rop', ...byType })).toBe(EVENTS);
    expect(await metric(dispatcher, 'rabt_delivery_failed_total', { agency: 'rop', ...byType })).toBeGreaterThanOrEqual(3 * EVENTS);
    expect(await metric(dispatcher, 'rabt_delivered_total', { agency: 'rop', ...byType })).toBe(EVENTS);
    expect(await metric(dispatcher, 'rabt_delivery_latency_seconds_count', { agency: 'rop', ...byType })).toBeGreaterThanOrEqual(4 * EVENTS);
    expect(await metric(ops.url, 'rabt_dead_letter_backlog', { agency: 'moci' })).toBe(EVENTS);
    expect(await metric(ops.url, 'rabt_dead_letter_backlog', { agency: 'rop' })).toBe(0);
    expect(await metric(ops.url, 'rabt_dead_letters_replayed_total', { agency: 'rop', ...byType })).toBe(EVENTS);
  });

  it('the read views show the real traffic: schemas, subscriptions (no secrets), an event’s timeline, the dashboard', async () => {
    const schemas = (await operator.call('GET', '/v1/schemas')).body['items'] as { subject: string; owner: string; latestVersion: number }[];
    expect(schemas).toContainEqual(expect.objectContaining({ subject: `${REPORTED}-value`, type: REPORTED, owner: 'mom', latestVersion: 1 }));
    const versions = (await operator.call('GET', `/v1/schemas/${REPORTED}-value/versions`)).body['items'] as { version: number; schema: string }[];
    expect(versions[0]!.schema).toContain('\n  "type": "record"');
    const subscriptions = await operator.call('GET', '/v1/subscriptions?agency=rop');
    expect(subscriptions.body['items']).toHaveLength(1);
    expect(JSON.stringify(subscriptions.body)).not.toMatch(/whsec_|ciphertext/);
    const [dl] = (await pipeline.db.query(`SELECT event_id FROM dead_letter WHERE agency_code = 'rop' LIMIT 1`)) as { event_id: string }[];
    const event = await operator.call('GET', `/v1/events/${dl!.event_id}?source=mom`);
    expect(event.status).toBe(200);
    const kinds = (event.body['timeline'] as { kind: string }[]).map((t) => t.kind);
    for (const kind of ['published', 'routed', 'attempt', 'dead-lettered', 'replayed', 'delivered']) expect(kinds).toContain(kind);
    expect(event.body['deliveries']).toHaveLength(2);
    const dashboard = await operator.call('GET', '/v1/dashboard?window=15m');
    const rop = (dashboard.body['agencies'] as { agency: string; delivered: number; failed: number }[]).find((a) => a.agency === 'rop')!;
    expect(rop).toMatchObject({ delivered: EVENTS });
    expect(rop.failed).toBeGreaterThanOrEqual(3 * EVENTS);
    expect((dashboard.body['agencies'] as { agency: string; published: number }[]).find((a) => a.agency === 'mom')!.published).toBe(EVENTS);
  });

  it('kill -9 of the ops service mid-replay: a new one resumes the job and each is still delivered once', async () => {
    const webhookIds = await deadLetters('moci');
    receivers.moci.failing = false;
    const answer = await operator.call('POST', '/v1/replays', { filter: { agency: 'moci' }, reason: 'moci receiver is back', ratePerSecond: 100 });
    expect(answer.status).toBe(202);
    const id = String(answer.body['id']);
    await eventually(async () => Number((await operator.call('GET', `/v1/replays/${id}`)).body['done']) >= 200, 30_000, 100);
    await ops.kill();
    const [{ done }] = (await pipeline.db.query(`SELECT done FROM replay_job WHERE id = $1`, [id])) as [{ done: number }];
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(EVENTS);
    ops = await startBuiltOps(pipeline.database.url, { KAFKA_BROKERS: pipeline.broker.brokers });
    operator = await OpsCaller.signIn(ops.url, 'oper');
    const job = await waitForJob(id, 60_000);
    expect(job).toMatchObject({ done: EVENTS, skipped: 0 });
    await eventually(() => receivers.moci.delivered.size === EVENTS, 90_000, 200);
    await new Promise((r) => setTimeout(r, 2000));
    expectEachOnce(receivers.moci, webhookIds);
    log(`bulk replay restart test: killed at ${done}/${EVENTS}, resumed to ${EVENTS}/${EVENTS}, each delivered once`);
  }, 180_000);
});
