import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { CATALOGUE, catalogueEntry } from '@rabt/contracts';
import { createKafka, TopicAdmin } from '@rabt/kafka';
import { kafkaEnv, testStack } from '@rabt/testing';
import { cloudEvent, fixture, post, REPORTED } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

// Property: no malformed, oversized, spoofed or schema-invalid input ever gets a 2xx or reaches
// Kafka. Each generator below produces only inputs that must be refused (by construction).
let gw: GatewayHarness;
const { kafka: kafkaConfig } = loadConfig('t', { kafka: kafkaFragment('gateway-prop') }, kafkaEnv('operator-admin', testStack.kafkaBrokers)).values;
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

  it('…and nothing reached Kafka or the idempotency store (single events)', async () => {
    expect(await admin.endOffsets(REPORTED)).toEqual(endBefore);
    expect((await gw.db.query('SELECT count(*)::int AS n FROM gateway_event'))[0].n).toBe(0);
  });
});

// Property: every public endpoint, sent generated hostile input by an admin key (the caller that
// gets furthest), answers 4xx problem+json, never 5xx, and changes nothing: no Kafka record on
// any catalogue topic, no row added, changed or removed in the gateway's tables.
interface Endpoint {
  readonly method: 'POST' | 'PATCH' | 'DELETE' | 'GET';
  readonly path: string;
  /** A body of the right shape, only ever sent broken; undefined: the route takes none. */
  readonly base?: Record<string, unknown>;
}
const MISSING = 'zzznone';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const ENDPOINTS: readonly Endpoint[] = [
  { method: 'POST', path: '/v1/events', base: valid() },
  { method: 'POST', path: '/v1/events/batch', base: { 0: valid() } },
  { method: 'POST', path: '/v1/admin/agencies', base: { code: 'ab', nameEn: 'A', nameAr: 'ب' } },
  { method: 'PATCH', path: `/v1/admin/agencies/${MISSING}`, base: { status: 'suspended', ratePerSecond: 5 } },
  { method: 'POST', path: `/v1/admin/agencies/${MISSING}/keys`, base: { label: 'k', roles: [] } },
  { method: 'DELETE', path: `/v1/admin/keys/${UNKNOWN_ID}` },
  { method: 'POST', path: '/v1/grants', base: { agency: 'rop', eventType: 'mom.work-permit.suspended', permission: 'subscribe' } },
  { method: 'DELETE', path: '/v1/grants', base: { agency: 'rop', eventType: 'mom.work-permit.suspended', permission: 'subscribe' } },
  { method: 'POST', path: '/v1/subscriptions', base: { eventType: REPORTED, filter: 'data.reason == "ABSCONDED"', projection: ['reason'], webhook: { url: 'https://hooks.example.org/x' } } },
  { method: 'DELETE', path: `/v1/subscriptions/${UNKNOWN_ID}` },
  { method: 'POST', path: `/v1/subscriptions/${UNKNOWN_ID}/rotate-secret` },
  { method: 'POST', path: `/v1/subscriptions/${UNKNOWN_ID}/enable` },
];
const GET_PATHS = ['/v1/events/%s', '/v1/events/%s/deliveries', '/v1/transactions/%s', '/v1/subscriptions/%s', '/v1/admin/agencies/%s/keys', '/v1/grants?agency=%s&eventType=%s', '/v1/admin/agencies?%s=%s', '/v1/subscriptions?%s=1'];

/** Broken versions of `base` (JSON text), each refused by construction. */
function hostileJson(base: Record<string, unknown> | undefined): fc.Arbitrary<string> {
  const keys = Object.keys(base ?? { x: 1 });
  const shape = base ?? { x: 1 };
  const deep = fc.tuple(fc.integer({ min: 65, max: 5_000 }), fc.boolean(), fc.constantFrom(...keys)).map(([levels, arrays, key]) => {
    const open = arrays ? '['.repeat(levels) : '{"a":'.repeat(levels);
    const close = arrays ? ']'.repeat(levels) : '}'.repeat(levels);
    return JSON.stringify({ ...shape, [key]: '@' }).replace('"@"', `${open}1${close}`);
  });
  const huge = fc.tuple(fc.constantFrom(...keys), fc.integer({ min: 65_537, max: 150_000 })).map(([key, size]) => JSON.stringify({ ...shape, [key]: 'x'.repeat(size) }));
  const proto = fc.constantFrom('{"__proto__":{"roles":["admin"]},', '{"constructor":{"prototype":{"roles":["admin"]}},').map((head) => head + JSON.stringify(shape).slice(1));
  const wrongType = fc.tuple(fc.constantFrom(...keys), fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({ nested: { x: 1 } }))).map(([key, value]) => JSON.stringify({ ...shape, [key]: value }));
  const arbitrary = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v));
  const bytes = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1'));
  return fc.oneof(deep, huge, proto, wrongType, arbitrary, bytes);
}

const ID_LIKE = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '..%2F..%2Fetc%2Fpasswd', '%00', '%F0%9F%92%A9', 'null', 'NaN', '-1', '1e309', "'; DROP TABLE agency; --"),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.integer({ min: 100, max: 3_000 }).map((n) => 'x'.repeat(n)),
);

async function send(method: string, path: string, body: string | undefined, contentType = 'application/json') {
  const res = await fetch(`${gw.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${gw.keys.ita}`, ...(body !== undefined ? { 'Content-Type': contentType } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text };
}

function expectRefused(res: { status: number; type: string; text: string }, what: string): void {
  // A batch is answered 200 with a result per event: then every event must have been refused.
  if (res.status === 200 && what.startsWith('POST /v1/events/batch')) {
    const { results } = JSON.parse(res.text) as { results: { status: number; problem?: { code?: unknown } }[] };
    for (const r of results) {
      expect(r.status, `${what}: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${what}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
      expect(typeof r.problem?.code).toBe('string');
    }
    return;
  }
  expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.type).toMatch(/^application\/problem\+json/);
}

const TABLES = ['agency', 'agency_api_key', 'agency_grant', 'gateway_event', 'subscription', 'delivery', 'workflow_transaction'];
async function snapshot(): Promise<unknown> {
  const tables: Record<string, string> = {};
  for (const t of TABLES) tables[t] = (await gw.db.query(`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${t} x`))[0].h;
  const topics: Record<string, unknown> = {};
  for (const e of CATALOGUE) topics[e.topic] = [...(await admin.endOffsets(e.topic))];
  return { tables, topics };
}

describe('every public endpoint: hostile input never gets a 5xx and changes nothing (fast-check)', () => {
  let before: unknown;
  beforeAll(async () => {
    before = await snapshot();
  });

  it.each(ENDPOINTS.map((e) => [`${e.method} ${e.path}`, e] as const))('%s: broken JSON bodies (deep, huge, prototype names, wrong types, arbitrary)', async (name, endpoint) => {
    await fc.assert(
      fc.asyncProperty(hostileJson(endpoint.base), async (body) => expectRefused(await send(endpoint.method, endpoint.path, body), name)),
      { numRuns: Math.max(20, Math.floor(RUNS / 2)) },
    );
  });

  it.each(ENDPOINTS.map((e) => [`${e.method} ${e.path}`, e] as const))('%s: foreign content types', async (name, endpoint) => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json-patch+json'),
        async (type) => {
          const res = await send(endpoint.method, endpoint.path, type.includes('form') ? 'a=1&__proto__[x]=1' : JSON.stringify(endpoint.base ?? {}), type);
          expectRefused(res, `${name} as ${type}`);
        },
      ),
      { numRuns: 6 },
    );
  });

  it('hostile ids and query strings on every GET route', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...GET_PATHS), ID_LIKE, ID_LIKE, async (template, a, b) => {
        const path = template.replace('%s', a).replace('%s', b);
        const res = await send('GET', path, undefined);
        expect(res.status, `GET ${path}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('hostile ids on every route that takes one', async () => {
    const templates = ['PATCH /v1/admin/agencies/%s', 'POST /v1/admin/agencies/%s/keys', 'DELETE /v1/admin/keys/%s', 'DELETE /v1/subscriptions/%s', 'POST /v1/subscriptions/%s/rotate-secret', 'POST /v1/subscriptions/%s/enable'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...templates), ID_LIKE, async (template, id) => {
        const [method, path] = template.replace('%s', id).split(' ') as [string, string];
        const res = await send(method, path, method === 'DELETE' ? undefined : '{}');
        expectRefused(res, `${method} ${path}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('…and nothing changed: the same rows in every table, the same end offsets on every topic', async () => {
    expect(await snapshot()).toEqual(before);
  });
});
