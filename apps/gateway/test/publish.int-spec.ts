import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { AvroSerde, createKafka, readMatching, TopicAdmin } from '@rabt/kafka';
import { kafkaEnv, testStack } from '@rabt/testing';
import { cloudEvent, fixture, get, post, REPORTED } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

let gw: GatewayHarness;
const { kafka: kafkaConfig } = loadConfig('t', { kafka: kafkaFragment('gateway-test') }, kafkaEnv('operator-admin', testStack.kafkaBrokers)).values;
const kafka = createKafka(kafkaConfig);
const admin = new TopicAdmin(kafka, { partitions: 3, replicationFactor: 1 });

beforeAll(async () => {
  gw = await startGateway();
});
afterAll(async () => {
  await admin.disconnect();
  await gw?.close();
});

const events = () => `${gw.url}/v1/events`;

describe('POST /v1/events (structured mode)', () => {
  it('answers 202 with where the event now is, after Kafka has it: headers, key and Avro value as published', async () => {
    const data = fixture(REPORTED, 'ok');
    const event = cloudEvent('mom', REPORTED, data, { subject: 'LWR-2025-0048173' });
    const res = await post(events(), gw.keys.mom, event, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: event.id, topic: REPORTED, partition: expect.any(Number), offset: expect.stringMatching(/^\d+$/) });
    expect(res.body.transactionid).toMatch(/^[0-9a-f-]{36}$/); // a workflow trigger gets a transaction id

    const [record] = await readMatching(kafka, REPORTED, (r) => r.headers['ce_id'] === event.id, {
      expected: 1,
      from: new Map([[res.body.partition as number, res.body.offset as string]]),
    });
    expect(record).toBeDefined();
    expect(record!.partition).toBe(res.body.partition);
    expect(record!.offset).toBe(res.body.offset);
    expect(record!.key).toBe(data['workerCivilNumber']);
    expect(record!.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_source: 'urn:rabt:agency:mom',
      ce_type: REPORTED,
      ce_subject: 'LWR-2025-0048173',
      ce_transactionid: res.body.transactionid,
      'content-type': 'application/avro',
    });
    expect(record!.headers['ce_traceparent']).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(record!.value[0]).toBe(0); // Confluent wire format
    const serde = new AvroSerde({ url: gw.registryUrl, username: 'ita', password: gw.keys.ita, latestCacheMs: 0 });
    expect(await serde.decode(record!.value)).toEqual(data);
    // audited with the accepted row, by the publishing agency
    expect(await gw.db.query(`SELECT actor, action, details FROM audit_record WHERE subject = $1`, [`event:urn:rabt:agency:mom/${event.id}`])).toEqual([
      {
        actor: 'agency:mom',
        action: 'event.published',
        details: { type: REPORTED, topic: REPORTED, partition: res.body.partition, offset: res.body.offset, transactionId: res.body.transactionid },
      },
    ]);
  });

  it('keeps a transaction id the publisher chose', async () => {
    const res = await post(events(), gw.keys.mom, cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok'), { transactionid: 'tx-chosen-by-mom-1' }));
    expect(res.status).toBe(202);
    expect(res.body.transactionid).toBe('tx-chosen-by-mom-1');
  });
});

describe('POST /v1/events (binary mode)', () => {
  it('takes attributes from ce- headers and the data from the JSON body', async () => {
    const data = fixture(REPORTED, 'ok', 'contract-ended-salalah-no-optionals');
    const res = await post(events(), gw.keys.mom, data, {
      'Content-Type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': 'binary-mode-1-' + Date.now(),
      'ce-source': 'urn:rabt:agency:mom',
      'ce-type': REPORTED,
    });
    expect(res.status).toBe(202);
    expect(res.body.topic).toBe(REPORTED);
  });

  it('refuses JSON without ce- headers: it is not a CloudEvent', async () => {
    const res = await post(events(), gw.keys.mom, fixture(REPORTED, 'ok'), { 'Content-Type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_CLOUDEVENT');
  });
});

describe('idempotency', () => {
  it('the same (source, id) again returns the original answer and produces nothing, also after a restart', async () => {
    const event = cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok'));
    const first = await post(events(), gw.keys.mom, event);
    expect(first.status).toBe(202);
    const before = await admin.endOffsets(REPORTED);
    const again = await post(events(), gw.keys.mom, event);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    await gw.restart();
    const afterRestart = await post(events(), gw.keys.mom, event);
    expect(afterRestart.body).toEqual(first.body);
    expect(await admin.endOffsets(REPORTED)).toEqual(before);
  });

  it('the same id with different content is a 409 conflict and produces nothing', async () => {
    const event = cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok'));
    expect((await post(events(), gw.keys.mom, event)).status).toBe(202);
    const before = await admin.endOffsets(REPORTED);
    const changed = { ...event, data: { ...(event.data as Record<string, unknown>), occupationTitle: 'Carpenter' } };
    const res = await post(events(), gw.keys.mom, changed);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await admin.endOffsets(REPORTED)).toEqual(before);
  });

  it('ids are per source: another agency may use the same id', async () => {
    const event = cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok'));
    expect((await post(events(), gw.keys.mom, event)).status).toBe(202);
    await gw.db.query(`INSERT INTO agency_grant (agency_code, event_type, permission, granted_by) VALUES ('moci', $1, 'publish', 'mom') ON CONFLICT DO NOTHING`, [REPORTED]);
    const res = await post(events(), gw.keys.moci, { ...event, source: 'urn:rabt:agency:moci' });
    expect(res.status).toBe(202);
    expect(res.body.offset).not.toBe(undefined);
  });
});

describe('GET /v1/events/{id}', () => {
  it('shows the publisher its accepted event and where it went; other agencies get 404', async () => {
    const event = cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok'));
    const accepted = await post(events(), gw.keys.mom, event);
    const shown = await get(`${events()}/${encodeURIComponent(event.id)}`, gw.keys.mom);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      id: event.id,
      type: REPORTED,
      state: 'accepted',
      topic: REPORTED,
      partition: accepted.body.partition,
      offset: accepted.body.offset,
      transactionid: accepted.body.transactionid,
      data: event.data,
    });
    const other = await get(`${events()}/${encodeURIComponent(event.id)}`, gw.keys.rop);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('EVENT_NOT_FOUND');
  });
});

describe('POST /v1/events/batch', () => {
  it('answers every event separately, in order', async () => {
    const ok = cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok'));
    const invalid = cloudEvent('mom', REPORTED, fixture(REPORTED, 'not-ok', 'wrong-type'));
    const spoofed = cloudEvent('rop', REPORTED, fixture(REPORTED, 'ok'));
    const res = await post(`${events()}/batch`, gw.keys.mom, [ok, invalid, spoofed, { not: 'an event' }], { 'Content-Type': 'application/cloudevents-batch+json' });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([202, 422, 403, 400]);
    expect(res.body.results[0]).toMatchObject({ index: 0, id: ok.id, topic: REPORTED });
    expect(res.body.results[1].problem.code).toBe('SCHEMA_VALIDATION_FAILED');
    expect(res.body.results[2].problem.code).toBe('SOURCE_SPOOFED');
    expect(res.body.results[3].problem.code).toBe('INVALID_CLOUDEVENT');
  });

  it('refuses more than the configured number of events with 413', async () => {
    const many = Array.from({ length: 501 }, () => cloudEvent('mom', REPORTED, {}));
    const res = await post(`${events()}/batch`, gw.keys.mom, many, { 'Content-Type': 'application/json' });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('BATCH_TOO_LARGE');
  });
});

describe('OpenAPI', () => {
  it('documents the publish API at /docs', async () => {
    const doc = await get(`${gw.url}/docs-json`);
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/events', '/v1/events/batch', '/v1/events/{id}']));
    const ui = await fetch(`${gw.url}/docs`);
    expect(ui.status).toBe(200);
  });
});
