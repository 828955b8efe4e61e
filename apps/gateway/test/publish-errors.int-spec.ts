import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { createKafka, TopicAdmin } from '@rabt/kafka';
import { kafkaEnv, testStack } from '@rabt/testing';
import { cloudEvent, fixture, fixtures, post, REPORTED, type Answer } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

// Every bad input gets problem+json with a stable code, and changes nothing: no record on
// Kafka, no idempotency row.
let gw: GatewayHarness;
const { kafka: kafkaConfig } = loadConfig('t', { kafka: kafkaFragment('gateway-test') }, kafkaEnv('operator-admin', testStack.kafkaBrokers)).values;
const admin = new TopicAdmin(createKafka(kafkaConfig), { partitions: 3, replicationFactor: 1 });
let endBefore: Map<number, string>;

beforeAll(async () => {
  gw = await startGateway();
  endBefore = await admin.endOffsets(REPORTED);
});
afterAll(async () => {
  // Nothing in this file may have reached Kafka or the idempotency store (except the one
  // deliberate grant test, which publishes to a different source and is counted).
  const rows = await gw.db.query(`SELECT count(*)::int AS n FROM gateway_event WHERE source <> 'rop'`);
  expect(rows[0].n).toBe(0);
  await admin.disconnect();
  await gw?.close();
});

const events = () => `${gw.url}/v1/events`;

function expectProblem(res: Answer, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: expect.stringContaining('https://rabt.gov.om/problems/'), title: expect.any(String) });
}

describe('400: malformed input', () => {
  it.each([
    ['not JSON at all', 'this is not json'],
    ['truncated JSON', '{"specversion":"1.0","id":'],
    ['empty body', ''],
  ])('%s → INVALID_JSON', async (_, body) => {
    expectProblem(await post(events(), gw.keys.mom, body), 400, 'INVALID_JSON');
  });

  it.each([
    ['missing id', { id: undefined }],
    ['missing source', { source: undefined }],
    ['missing type', { type: undefined }],
    ['wrong specversion', { specversion: '0.3' }],
    ['missing data', { data: undefined }],
    ['bad time', { time: 'yesterday' }],
    ['id too long', { id: 'x'.repeat(201) }],
    ['bad transaction id', { transactionid: 'has spaces in it' }],
    ['unknown attribute', { color: 'blue' }],
    ['non-JSON data content type', { datacontenttype: 'application/xml' }],
    ['data_base64 instead of data', { data: undefined, data_base64: 'AAEC' }],
  ])('%s → INVALID_CLOUDEVENT', async (_, change) => {
    const event = { ...cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok')), ...change };
    expectProblem(await post(events(), gw.keys.mom, event), 400, 'INVALID_CLOUDEVENT');
  });

  it('an array in single-event mode → INVALID_CLOUDEVENT', async () => {
    expectProblem(await post(events(), gw.keys.mom, [cloudEvent('mom', REPORTED, {})]), 400, 'INVALID_CLOUDEVENT');
  });
});

describe('400: JSON nested too deeply', () => {
  // 4,500 levels are about 30 KB, far under the body limit; the gateway parses at most 64.
  const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
  const structured = (data: string) => {
    const event = JSON.stringify(cloudEvent('mom', REPORTED, 0));
    return event.replace(/"data":0/, `"data":${data}`);
  };

  it.each([
    ['data nested 4,500 levels deep, structured mode', '/v1/events', structured(deep(4_500)), {}],
    ['data nested 4,500 levels deep in an object member, structured mode', '/v1/events', structured(`{"reason":${deep(4_500)}}`), {}],
    ['a body nested 100,000 levels deep, binary mode', '/v1/events', deep(100_000), { 'Content-Type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'deep-1', 'ce-source': 'urn:rabt:agency:mom', 'ce-type': REPORTED }],
    ['an event nested 4,500 levels deep in a batch', '/v1/events/batch', `[${structured(deep(4_500))}]`, { 'Content-Type': 'application/cloudevents-batch+json' }],
    ['a batch nested 65 levels deep', '/v1/events/batch', deep(65), { 'Content-Type': 'application/json' }],
  ])('%s → INVALID_JSON naming the limit', async (_, path, body, headers) => {
    const res = await post(`${gw.url}${path}`, gw.keys.mom, body, headers);
    expectProblem(res, 400, 'INVALID_JSON');
    expect(res.body.detail).toContain('64 levels');
  });

  it('64 levels are parsed (and the data is then checked against its schema)', async () => {
    expectProblem(await post(events(), gw.keys.mom, structured(`{"reason":${deep(62)}}`)), 422, 'SCHEMA_VALIDATION_FAILED');
  });

  it('brackets inside strings do not count as nesting', async () => {
    const event = cloudEvent('mom', REPORTED, { ...fixture(REPORTED, 'ok'), reasonDetails: '[{'.repeat(5_000) });
    const res = await post(events(), gw.keys.mom, { ...event, source: 'urn:rabt:agency:rop' });
    expectProblem(res, 403, 'SOURCE_SPOOFED');
  });
});

describe('401: who is calling', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a malformed key', 'not-a-key'],
    ['a well-formed key that does not exist', `rabt_${'0'.repeat(32)}_${'A'.repeat(43)}`],
  ])('%s → UNAUTHENTICATED', async (_, key) => {
    expectProblem(await post(events(), key, cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok'))), 401, 'UNAUTHENTICATED');
  });

  it('a revoked key → UNAUTHENTICATED', async () => {
    const keyId = (await gw.db.query(`SELECT id FROM agency_api_key WHERE agency_code = 'moci' LIMIT 1`))[0].id as string;
    await gw.db.query(`UPDATE agency_api_key SET revoked_at = now() WHERE id = $1`, [keyId]);
    await gw.restart(); // drops the 5 s authentication cache
    expectProblem(await post(events(), gw.keys.moci, cloudEvent('moci', REPORTED, fixture(REPORTED, 'ok'))), 401, 'UNAUTHENTICATED');
  });

  it('Basic credentials are not accepted by the gateway', async () => {
    const res = await post(events(), undefined, cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok')), { Authorization: `Basic ${Buffer.from(`mom:${gw.keys.mom}`).toString('base64')}` });
    expectProblem(res, 401, 'UNAUTHENTICATED');
  });
});

describe('403: no agency acts as another', () => {
  it.each([
    ['another agency', 'urn:rabt:agency:rop'],
    ['a look-alike URN', 'urn:rabt:agency:mom2'],
    ['a URN with a suffix', 'urn:rabt:agency:mom/extra'],
    ['an upper-case code', 'urn:rabt:agency:MOM'],
    ['an http URL', 'https://mom.gov.om'],
  ])('source of %s → SOURCE_SPOOFED', async (_, source) => {
    expectProblem(await post(events(), gw.keys.mom, { ...cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok')), source }), 403, 'SOURCE_SPOOFED');
  });

  it('publishing a type the agency neither owns nor was granted → NOT_GRANTED; with a grant → 202', async () => {
    const event = cloudEvent('rop', REPORTED, fixture(REPORTED, 'ok'));
    expectProblem(await post(events(), gw.keys.rop, event), 403, 'NOT_GRANTED');
    await gw.db.query(`INSERT INTO agency_grant (agency_code, event_type, permission, granted_by) VALUES ('rop', $1, 'publish', 'mom')`, [REPORTED]);
    await gw.restart(); // drops the 5 s grant cache
    expect((await post(events(), gw.keys.rop, event)).status).toBe(202);
  });
});

describe('404: unknown type', () => {
  it('a type not in the catalogue → UNKNOWN_EVENT_TYPE', async () => {
    expectProblem(await post(events(), gw.keys.mom, cloudEvent('mom', 'mom.employee.teleported', {})), 404, 'UNKNOWN_EVENT_TYPE');
  });
});

describe('422: data against the contract', () => {
  it.each(fixtures(REPORTED, 'not-ok'))('golden not-ok fixture $name → SCHEMA_VALIDATION_FAILED', async ({ data }) => {
    expectProblem(await post(events(), gw.keys.mom, cloudEvent('mom', REPORTED, data)), 422, 'SCHEMA_VALIDATION_FAILED');
  });

  it('names every failing field path, including unknown fields', async () => {
    const data = { ...fixture(REPORTED, 'ok') } as Record<string, unknown>;
    delete data['workerCivilNumber'];
    data['reason'] = 'BORED';
    data['lastWorkingDay'] = '2025-05-14';
    data['workerName'] = { nameEn: 'A', nameAr: 42 };
    data['favouriteColour'] = 'green';
    const res = await post(events(), gw.keys.mom, cloudEvent('mom', REPORTED, data));
    expectProblem(res, 422, 'SCHEMA_VALIDATION_FAILED');
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['workerCivilNumber', 'reason', 'lastWorkingDay', 'workerName.nameAr']));
    expect(res.body.detail).toContain('workerCivilNumber');
    expect(JSON.stringify(res.body.errors)).toContain('favouriteColour');
  });

  // avsc looked enum symbols up in a plain object, so a name every object inherits ("constructor",
  // "toString", …) passed as a symbol and was written as the first one: "reason": "constructor"
  // would be read as ABSCONDED. Rabt's install patches that (docs/gateway.md).
  it.each(Object.getOwnPropertyNames(Object.prototype))('an enum value named like an inherited property (%s) → SCHEMA_VALIDATION_FAILED', async (name) => {
    const data = { ...fixture(REPORTED, 'ok'), reason: name };
    const res = await post(events(), gw.keys.mom, cloudEvent('mom', REPORTED, data));
    expectProblem(res, 422, 'SCHEMA_VALIDATION_FAILED');
    expect((res.body.errors as { path: string }[]).map((e) => e.path)).toEqual(['reason']);
  });

  it('a dataschema that is not a version of the type → UNKNOWN_SCHEMA_VERSION', async () => {
    const event = cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok'), { dataschema: `${gw.registryUrl}/schemas/ids/999999` });
    expectProblem(await post(events(), gw.keys.mom, event), 422, 'UNKNOWN_SCHEMA_VERSION');
    const other = cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok'), { dataschema: `${gw.registryUrl}/subjects/rop.residence.absconding-registered-value/versions/1` });
    expectProblem(await post(events(), gw.keys.mom, other), 422, 'UNKNOWN_SCHEMA_VERSION');
  });
});

describe('413 and 415', () => {
  it('a body over the 1 MiB limit → PAYLOAD_TOO_LARGE', async () => {
    const event = cloudEvent('mom', REPORTED, { ...fixture(REPORTED, 'ok'), reasonDetails: 'x'.repeat(1024 * 1024 + 10) });
    expectProblem(await post(events(), gw.keys.mom, event), 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each(['text/plain', 'application/xml', 'application/x-www-form-urlencoded'])('Content-Type %s → UNSUPPORTED_MEDIA_TYPE', async (type) => {
    expectProblem(await post(events(), gw.keys.mom, 'a=b', { 'Content-Type': type }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('nothing reached Kafka', () => {
  it('the topic has exactly the one granted event more than before this file', async () => {
    const after = await admin.endOffsets(REPORTED);
    const grown = [...after].reduce((n, [p, o]) => n + Number(BigInt(o) - BigInt(endBefore.get(p) ?? '0')), 0);
    expect(grown).toBe(1);
  });
});
