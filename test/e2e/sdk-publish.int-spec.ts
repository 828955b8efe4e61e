// An agency's back office using @rabt/sdk against the real built gateway and schema registry
// (`node dist/apps/<app>/main.js`), real Kafka and Postgres: publish golden fixtures, get refused
// with the failing paths, survive a lost answer without publishing twice, and read its event back
// from Kafka the way a pull-mode consumer decodes its inbox.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { EventTypes, registerCatalogueSchemas, type EventData } from '@rabt/contracts';
import { createKafka, EventConsumer, type ConsumedRecord } from '@rabt/kafka';
import { createDataSource, migrateDatabase, seedAgencies, serviceDatabaseUrl } from '@rabt/persistence';
import { RabtClient, RabtNetworkError, RabtProblemError, type PublishAccepted, type RabtClientOptions } from '@rabt/sdk';
import { decodeInboxRecord, RegistrySchemaSource } from '@rabt/sdk/node';
import { WORKSPACE_ROOT, createThrowawayDatabase, eventually, kafkaEnv, startBuiltService, testStack, type ServiceProcess, type ThrowawayDatabase } from '@rabt/testing';

const REPORTED = EventTypes.MomEmployeeLeftWorkReported;
type Reported = EventData<typeof REPORTED>;
const FIXTURES = join(WORKSPACE_ROOT, 'test', 'fixtures', REPORTED);
const fixtures = (kind: 'ok' | 'not-ok') => readdirSync(join(FIXTURES, kind)).filter((f) => f.endsWith('.json'));
const fixture = (kind: 'ok' | 'not-ok', name: string) => JSON.parse(readFileSync(join(FIXTURES, kind, name), 'utf8')) as Reported;
const { kafka: kafkaConfig } = loadConfig('t', { kafka: kafkaFragment('sdk-e2e') }, kafkaEnv('operator-admin', testStack.kafkaBrokers)).values;
const kafka = createKafka(kafkaConfig);

let database: ThrowawayDatabase;
let db: DataSource;
let registry: ServiceProcess | undefined;
let gateway: ServiceProcess | undefined;
let momKey: string;

beforeAll(async () => {
  database = await createThrowawayDatabase('rabt_sdk_e2e');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'sdk-e2e');
  db = createDataSource({ url: database.url, poolMax: 2, ssl: false }, 'sdk-e2e');
  await db.initialize();
  await seedAgencies(db);
  momKey = (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, 'mom', 'sdk e2e')).token;
  const serviceKey = (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, 'ita', 'sdk e2e registry', ['integrator'])).token;

  registry = await startBuiltService('schema-registry', { DATABASE_URL: serviceDatabaseUrl(database.url, 'schema-registry') }, 'SCHEMA_REGISTRY_PORT');
  await registerCatalogueSchemas(registry.url, { username: 'ita', password: serviceKey });
  gateway = await startBuiltService(
    'gateway',
    {
      DATABASE_URL: serviceDatabaseUrl(database.url, 'gateway'),
      KAFKA_BROKERS: testStack.kafkaBrokers,
      SCHEMA_REGISTRY_URL: registry.url,
      SCHEMA_REGISTRY_USERNAME: 'ita',
      SCHEMA_REGISTRY_PASSWORD: serviceKey,
    },
    'GATEWAY_PORT',
  );
});

afterAll(async () => {
  await gateway?.stop();
  await registry?.stop();
  await db?.destroy();
  await database?.drop();
});

/**
 * The records of one partition of the type's topic from offset `from` through `to`. Seeks there
 * instead of scanning: the shared topic holds every earlier run's (and benchmark's) records.
 */
async function partitionRange(partition: number, from: string, to: string): Promise<ConsumedRecord[]> {
  const found: ConsumedRecord[] = [];
  const consumer = new EventConsumer(kafka, {
    groupId: `rabt-sdk-e2e-${randomUUID()}`,
    topics: [REPORTED],
    fromBeginning: false,
    handle: async (r) => {
      if (r.partition === partition && BigInt(r.offset) >= BigInt(from) && BigInt(r.offset) <= BigInt(to) && !found.some((f) => f.offset === r.offset)) found.push(r);
    },
  });
  await consumer.start();
  try {
    consumer.seek(REPORTED, partition, from);
    await eventually(() => found.some((r) => r.offset === to), 30_000);
  } finally {
    await consumer.stop();
  }
  return found;
}

const client = (options: Partial<RabtClientOptions> = {}) => new RabtClient({ baseUrl: gateway!.url, apiKey: momKey, agency: 'mom', ...options });

describe('RabtClient.publish through the built gateway', () => {
  it.each(fixtures('ok'))('publishes golden fixture ok/%s: 202 with topic, partition and offset, then findable by id', async (name) => {
    const data = fixture('ok', name);
    const answer = await client().publish(REPORTED, data, { subject: data.reportId });
    expect(answer).toEqual({ id: expect.any(String), transactionid: expect.stringMatching(/^[0-9a-f-]{36}$/), topic: REPORTED, partition: expect.any(Number), offset: expect.stringMatching(/^\d+$/) });

    const stored = await client().getEvent(answer.id);
    expect(stored).toMatchObject({ id: answer.id, source: 'urn:rabt:agency:mom', type: REPORTED, state: 'accepted', partition: answer.partition, offset: answer.offset, data });
    expect(stored.attributes['subject']).toBe(data.reportId);
  });

  it.each([
    ['missing-required-field.json', 'workPermitNumber'],
    ['wrong-type.json', 'lastWorkingDay'],
    ['bad-enum-symbol.json', 'reason'],
  ])('refuses not-ok/%s with RabtProblemError SCHEMA_VALIDATION_FAILED naming %s, and publishes nothing', async (name, path) => {
    const id = `sdk-e2e-not-ok-${Date.now()}-${name}`;
    const error = await client()
      .publish(REPORTED, fixture('not-ok', name), { id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RabtProblemError);
    const problem = error as RabtProblemError;
    expect(problem).toMatchObject({ status: 422, code: 'SCHEMA_VALIDATION_FAILED' });
    expect(problem.errors?.map((e) => e.path)).toContain(path);
    await expect(client().getEvent(id)).rejects.toMatchObject({ status: 404, code: 'EVENT_NOT_FOUND' });
  });

  it('refuses a wrong API key with UNAUTHENTICATED, without retrying', async () => {
    await expect(client({ apiKey: 'rabt_mom_not-a-key' }).publish(REPORTED, fixture('ok', fixtures('ok')[0]!))).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });
});

describe('retries reuse the event id, so the event is published exactly once', () => {
  /** A fetch whose first call fails like a dropped connection: before the request left, or after the gateway answered. */
  function failingOnce(when: 'before-sending' | 'after-the-answer') {
    let calls = 0;
    const sent: string[] = [];
    let lost: PublishAccepted | undefined;
    const flaky: typeof fetch = async (input, init) => {
      calls++;
      sent.push(String(init?.body));
      if (calls === 1 && when === 'before-sending') throw new TypeError('fetch failed (simulated: connection refused)');
      const res = await fetch(input, init);
      if (calls === 1) {
        lost = (await res.json()) as PublishAccepted; // the gateway did answer; the client never sees it
        throw new TypeError('fetch failed (simulated: connection reset before the answer was read)');
      }
      return res;
    };
    return { flaky, sent, calls: () => calls, lost: () => lost };
  }

  it.each(['before-sending', 'after-the-answer'] as const)('a network failure %s: one retry, one record on Kafka, the same offset as GET /v1/events/{id}', async (when) => {
    const data = fixture('ok', fixtures('ok')[0]!);
    const { flaky, sent, calls, lost } = failingOnce(when);
    const answer = await client({ fetch: flaky }).publish(REPORTED, data);
    expect(calls()).toBe(2);
    expect(sent[1]).toBe(sent[0]); // the very same event, same id
    if (when === 'after-the-answer') expect(answer).toEqual(lost()); // the retry got the original answer: same id, same offset
    const stored = await client().getEvent(answer.id);
    expect(stored.offset).toBe(answer.offset);
    expect(stored.partition).toBe(answer.partition);

    // A marker with the same key lands after it on the same partition: between the two, the topic
    // must hold the event once — a duplicate produce would sit between them.
    const marker = await client().publish(REPORTED, data);
    expect(marker.partition).toBe(answer.partition);
    const records = await partitionRange(answer.partition, answer.offset, marker.offset);
    const ours = records.filter((r) => r.headers['ce_id'] === answer.id || r.headers['ce_id'] === marker.id);
    expect(ours.map((r) => [r.headers['ce_id'], r.offset])).toEqual([
      [answer.id, answer.offset],
      [marker.id, marker.offset],
    ]);
  });

  it('gives up with RabtNetworkError when the gateway cannot be reached at all', async () => {
    const unreachable = new RabtClient({ baseUrl: 'http://127.0.0.1:9', apiKey: momKey, agency: 'mom', retries: 1, sleep: async () => undefined });
    await expect(unreachable.publish(REPORTED, fixture('ok', fixtures('ok')[0]!))).rejects.toBeInstanceOf(RabtNetworkError);
  });
});

describe('pull mode: decoding a Rabt record from Kafka with the registry', () => {
  it('decodes the published record: ce_ attributes, key, and the Avro data equal to what was published', async () => {
    const data = fixture('ok', fixtures('ok')[0]!);
    const answer = await client().publish(REPORTED, data, { transactionid: 'sdk-e2e-pull' });
    const [record] = await partitionRange(answer.partition, answer.offset, answer.offset);
    expect(record!.headers['ce_id']).toBe(answer.id);

    const schemas = new RegistrySchemaSource({ url: registry!.url, agency: 'mom', apiKey: momKey });
    const event = await decodeInboxRecord(record!, schemas);
    expect(event.type).toBe(REPORTED);
    expect(event.attributes).toMatchObject({ specversion: '1.0', id: answer.id, source: 'urn:rabt:agency:mom', transactionid: 'sdk-e2e-pull', datacontenttype: 'application/avro' });
    expect(event.key).toBe(data.workerCivilNumber);
    expect(event.schemaId).toBe((await client().getEvent(answer.id)).schemaId);
    expect(event.data).toEqual(data);
  });
});
