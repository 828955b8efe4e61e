import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { catalogueEntry } from '@rabt/contracts';
import { createKafka, TopicAdmin } from '@rabt/kafka';
import { testStack } from '@rabt/testing';
import { cloudEvent, fixture, post, REPORTED } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

// Property: no malformed, oversized, spoofed or schema-invalid input ever gets a 2xx or reaches
// Kafka. Each generator below produces only inputs that must be refused (by construction).
let gw: GatewayHarness;
const { kafka: kafkaConfig } = loadConfig('t', { kafka: kafkaFragment('gateway-prop') }, { KAFKA_BROKERS: testStack.kafkaBrokers }).values;
const admin = new TopicAdmin(createKafka(kafkaConfig), { partitions: 3, replicationFactor: 1 });
let endBefore: Map<number, string>;
/** Runs per property; PROP_RUNS=5000 searches deeper (about 20 s here). */
const RUNS = Number(process.env['PROP_RUNS'] ?? 60);

beforeAll(async () => {
  gw = await startGateway({ env: { GATEWAY_RATE_PER_SECOND: '100000', GATEWAY_RATE_BURST: '100000', HTTP_BODY_LIMIT_BYTES: '65536' } });
  endBefore = await admin.endOffsets(REPORTED);
});
afterAll(async () => {
  await admin.disconnect();
  await gw?.close();
});

const valid = () => cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok'));
const schemaFields = (catalogueEntry(REPORTED).schema as unknown as { fields: { name: string; type: unknown; default?: unknown }[] }).fields;
const requiredStringFields = schemaFields.filter((f) => f.type === 'string' && !('default' in f)).map((f) => f.name);
const notAString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }));

async function refused(body: unknown, headers: Record<string, string> = {}): Promise<void> {
  const res = await post(`${gw.url}/v1/events`, gw.keys.mom, body, headers);
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(typeof res.body.code).toBe('string');
}

describe('no bad input gets a 2xx or reaches Kafka (fast-check)', () => {
  it('arbitrary JSON values as the body', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), (value) => refused(JSON.stringify(value))), { numRuns: RUNS });
  });

  it('arbitrary bytes as the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), (bytes) => refused(Buffer.from(bytes).toString('latin1'))),
      { numRuns: RUNS },
    );
  });

  it('a valid event with a required attribute removed or broken', async () => {
    const broken = fc.oneof(
      fc.constantFrom('id', 'source', 'type', 'specversion', 'data').map((k) => (e: Record<string, unknown>) => void delete e[k]),
      fc.string().filter((s) => s !== '1.0').map((v) => (e: Record<string, unknown>) => void (e['specversion'] = v)),
      fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant('')).map((v) => (e: Record<string, unknown>) => void (e['id'] = v)),
      fc.string({ minLength: 1 }).map((s) => (e: Record<string, unknown>) => void (e['type'] = `zz.${s}`)),
      fc.constantFrom('rop', 'moci', 'ita', 'MOM', 'mom ', 'mom2').map((a) => (e: Record<string, unknown>) => void (e['source'] = `urn:rabt:agency:${a}`)),
      fc.string({ minLength: 1, maxLength: 8 }).filter((s) => /^[a-z]+$/.test(s) && !['id', 'source', 'type', 'subject', 'time', 'data', 'dataschema', 'specversion', 'datacontenttype', 'transactionid', 'traceparent', 'partitionkey'].includes(s)).map((k) => (e: Record<string, unknown>) => void (e[k] = 'x')),
      fc.string().filter((s) => Number.isNaN(Date.parse(s))).map((t) => (e: Record<string, unknown>) => void (e['time'] = t)),
    );
    await fc.assert(
      fc.asyncProperty(broken, async (breakIt) => {
        const event = valid() as Record<string, unknown>;
        breakIt(event);
        await refused(event);
      }),
      { numRuns: RUNS },
    );
  });

  it('a valid event whose data breaks the schema', async () => {
    const corrupt = fc.oneof(
      fc.tuple(fc.constantFrom(...requiredStringFields), notAString).map(([k, v]) => (d: Record<string, unknown>) => void (d[k] = v)),
      fc.constantFrom(...requiredStringFields).map((k) => (d: Record<string, unknown>) => void delete d[k]),
      fc.string({ minLength: 1 }).filter((s) => !['ABSCONDED', 'RESIGNED', 'TERMINATED', 'CONTRACT_ENDED', 'DECEASED', 'OTHER'].includes(s)).map((s) => (d: Record<string, unknown>) => void (d['reason'] = s)),
      fc.oneof(fc.double().filter((x) => !Number.isInteger(x)), fc.string(), fc.constant(2 ** 40)).map((v) => (d: Record<string, unknown>) => void (d['lastWorkingDay'] = v)),
      fc.string({ minLength: 1, maxLength: 10 }).map((k) => (d: Record<string, unknown>) => void (d[`x_${k}`] = 1)),
      notAString.filter((v) => v !== null && typeof v !== 'object').map((v) => (d: Record<string, unknown>) => void (d['workerName'] = v)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(corrupt, { minLength: 1, maxLength: 3 }), async (corruptions) => {
        const event = valid();
        const data = event.data as Record<string, unknown>;
        for (const c of corruptions) c(data);
        await refused(event);
      }),
      { numRuns: RUNS },
    );
  });

  it('oversized bodies and foreign media types', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 65_537, max: 200_000 }), async (size) => {
        const event = valid();
        (event.data as Record<string, unknown>)['reasonDetails'] = 'x'.repeat(size);
        await refused(event);
      }),
      { numRuns: 10 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/cloudevents+xml'), (type) =>
        refused(JSON.stringify(valid()), { 'Content-Type': type }),
      ),
      { numRuns: 10 },
    );
  });

  it('…and nothing reached Kafka or the idempotency store', async () => {
    expect(await admin.endOffsets(REPORTED)).toEqual(endBefore);
    expect((await gw.db.query('SELECT count(*)::int AS n FROM gateway_event'))[0].n).toBe(0);
  });
});
