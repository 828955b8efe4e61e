// Bad input never answers 5xx and never changes anything: directed cases found from outside
// (a cached parse that skipped the schemaType check, body-less DELETEs with a content type, deep
// nesting), then a fast-check property per public endpoint throwing generated hostile requests.
import fc from 'fast-check';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegistryHarness, type RegistryResponse, startRegistry } from './registry.harness';
import {
  expectError,
  expectStatus,
  idField,
  record,
  recordNames,
  registerOk,
  show,
  SR_JSON,
  subjectNames,
  subjectPath,
} from './registry.helpers';

let sr: RegistryHarness;
const subject = subjectNames('bad');
const recordName = recordNames('BadRec');
/** Runs per property; PROP_RUNS=2000 searches deeper. */
const RUNS = Number(process.env['PROP_RUNS'] ?? 40);

beforeAll(async () => {
  sr = await startRegistry();
});

afterAll(async () => {
  await sr?.close();
});

/** A digest of every row a registry write could touch, including the audit trail. */
async function stateDigest(): Promise<string> {
  const [row] = await sr.query<{ digest: string }>(`
    SELECT md5(
      coalesce((SELECT string_agg(id || ':' || fingerprint, ',' ORDER BY id) FROM sr_schema), '') || '|' ||
      coalesce((SELECT string_agg(subject || ':' || version || ':' || schema_id || ':' || deleted, ',' ORDER BY subject, version) FROM sr_subject_version), '') || '|' ||
      coalesce((SELECT string_agg(subject || ':' || coalesce(compatibility, '-') || ':' || coalesce(mode, '-'), ',' ORDER BY subject) FROM sr_setting), '') || '|' ||
      (SELECT count(*) FROM audit_record)::text
    ) AS digest`);
  return row!.digest;
}

/** A 4xx in Confluent's shape. */
function expectRefused(res: RegistryResponse): void {
  expect(res.status, show(res)).toBeGreaterThanOrEqual(400);
  expect(res.status, show(res)).toBeLessThan(500);
  expect(res.body, show(res)).toEqual({ error_code: expect.any(Number), message: expect.any(String) });
}

const nested = (depth: number, open: string, close: string, inner: string) => open.repeat(depth) + inner + close.repeat(depth);

describe('schemaType is checked on every request, parsed before or not', () => {
  it('an unknown schemaType answers 42201 even when the same text was registered as AVRO', async () => {
    const text = JSON.stringify(record(recordName(), [idField]));
    expectStatus(await sr.request('POST', `${subjectPath(subject('avro-first'))}/versions`, { body: { schema: text } }), 200);
    for (const schemaType of ['PROTOBUF', 'JSON', 'XML', 42, ['AVRO'], { type: 'AVRO' }]) {
      const before = await stateDigest();
      const other = subject('other-type');
      expectError(await sr.request('POST', `${subjectPath(other)}/versions`, { body: { schema: text, schemaType } }), 422, 42201);
      expectError(await sr.request('POST', `/compatibility/subjects/${encodeURIComponent(other)}/versions`, { body: { schema: text, schemaType } }), 422, 42201);
      expect(await stateDigest()).toBe(before);
      expectError(await sr.request('GET', `${subjectPath(other)}/versions`), 404, 40401);
    }
    // AVRO, spelt out or left out, still works from the cache.
    expectStatus(await sr.request('POST', `${subjectPath(subject('avro-again'))}/versions`, { body: { schema: text, schemaType: 'AVRO' } }), 200);
  });
});

describe('body-less requests that carry a content type (Confluent Java and Go clients)', () => {
  /** Sends exactly `Content-Length: 0` with a content type, as some clients do. */
  function withZeroLength(method: string, path: string, contentType: string): Promise<RegistryResponse> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        sr.url + path,
        { method, headers: { Authorization: sr.authHeader('admin')!, 'Content-Type': contentType, 'Content-Length': '0', Accept: SR_JSON } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it.each([SR_JSON, 'application/json', 'application/vnd.schemaregistry+json', 'application/octet-stream'])(
    'DELETE with Content-Type %s and no body answers as Confluent does (40401, then 200 on a real subject)',
    async (contentType) => {
      const ghost = subject('ghost');
      expectError(await sr.request('DELETE', subjectPath(ghost), { contentType }), 404, 40401);
      expectError(await withZeroLength('DELETE', subjectPath(ghost), contentType), 404, 40401);
      expectError(await sr.request('DELETE', `${subjectPath(ghost)}/versions/1`, { contentType }), 404, 40401);

      const s = subject('deletable');
      const name = recordName();
      await registerOk(sr, s, record(name, [idField]));
      await registerOk(sr, s, record(name, [idField, { name: 'n', type: 'int', default: 0 }]));
      await sr.request('PUT', `/config/${encodeURIComponent(s)}`, { body: { compatibility: 'FULL' } });
      await sr.request('PUT', `/mode/${encodeURIComponent(s)}`, { body: { mode: 'READWRITE' } });

      expectStatus(await sr.request('DELETE', `/config/${encodeURIComponent(s)}`, { contentType }), 200);
      expectStatus(await withZeroLength('DELETE', `/mode/${encodeURIComponent(s)}`, contentType), 200);
      const version = await sr.request('DELETE', `${subjectPath(s)}/versions/2`, { contentType });
      expectStatus(version, 200);
      expect(version.body).toBe(2);
      const whole = await withZeroLength('DELETE', subjectPath(s), contentType);
      expectStatus(whole, 200);
      expect(whole.body).toEqual([1]);
      expect((await sr.request('DELETE', `${subjectPath(s)}?permanent=true`, { contentType })).body).toEqual([1, 2]);
    },
  );

  it('GET with a content type and no body works too', async () => {
    expectStatus(await sr.request('GET', '/subjects', { contentType: SR_JSON }), 200);
    expectStatus(await withZeroLength('GET', '/config', SR_JSON), 200);
  });

  it('a POST or PUT with a content type and no body is still refused 4xx and changes nothing', async () => {
    const before = await stateDigest();
    expectRefused(await sr.request('POST', `${subjectPath(subject('empty-post'))}/versions`, { contentType: SR_JSON }));
    expectRefused(await withZeroLength('PUT', '/config', SR_JSON));
    expect(await stateDigest()).toBe(before);
  });
});

describe('nesting depth is bounded', () => {
  const deepSchemas: [string, () => string][] = [
    ['arrays of arrays', () => nested(5000, '{"type":"array","items":', '}', '"string"')],
    ['unions of unions', () => nested(5000, '[', ']', '"string"')],
    ['a record field default', () => JSON.stringify(record(recordName(), [{ name: 'm', type: { type: 'array', items: 'string' }, default: [] }])).replace('"default":[]', `"default":${nested(5000, '[', ']', '')}`)],
    ['a doc attribute', () => JSON.stringify(record(recordName(), [idField])).replace('"fields"', `"x":${nested(5000, '{"a":', '}', '1')},"fields"`)],
  ];

  it.each(deepSchemas)('schema text nested 5000 deep (%s) answers 42201 naming the depth and stores nothing', async (_, text) => {
    const s = subject('deep-schema');
    const before = await stateDigest();
    for (const path of [`${subjectPath(s)}/versions`, subjectPath(s), `/compatibility/subjects/${encodeURIComponent(s)}/versions`]) {
      const res = await sr.request('POST', path, { body: { schema: text() } });
      if (path === subjectPath(s)) {
        expectError(res, 404, 40401);
        continue;
      }
      expectError(res, 422, 42201);
      expect(res.body.message).toMatch(/nested deeper than \d+ levels/);
    }
    expect(await stateDigest()).toBe(before);
  });

  it.each<[string, 'POST' | 'PUT', () => string]>([
    ['a register body', 'POST', () => `${subjectPath(subject('deep-body'))}/versions`],
    ['a config body', 'PUT', () => '/config'],
    ['a mode body', 'PUT', () => '/mode'],
  ])('%s nested 5000 deep answers 400 naming the depth', async (_, method, path) => {
    const before = await stateDigest();
    for (const contentType of [SR_JSON, 'application/json']) {
      const res = await sr.request(method, path(), { rawBody: `{"schema":"\\"string\\"","x":${nested(5000, '[', ']', '')}}`, contentType });
      expectError(res, 400, 400);
      expect(res.body.message).toMatch(/nested deeper than \d+ levels/);
    }
    expect(await stateDigest()).toBe(before);
  });

  it('a schema of realistic depth (30 nested records) is still accepted', async () => {
    let type: unknown = 'string';
    for (let i = 0; i < 30; i++) type = { type: 'record', name: `${recordName()}`, fields: [{ name: 'f', type }] };
    await registerOk(sr, subject('deep-enough'), type as Record<string, unknown>);
  });
});

describe('values the store cannot hold are refused before it is asked', () => {
  it('a reference whose name or subject holds a NUL answers 42201 and stores nothing', async () => {
    const target = subject('nul-target');
    const targetName = recordName();
    await registerOk(sr, target, record(targetName, [{ name: 'street', type: 'string' }]));
    const fullName = `gov.rabt.test.${targetName}`;
    const body = (ref: Record<string, unknown>) => ({ schema: JSON.stringify(record(recordName(), [{ name: 'home', type: fullName }])), references: [ref] });
    const before = await stateDigest();
    for (const ref of [{ name: `${fullName}\u0000`, subject: target, version: 1 }, { name: fullName, subject: `${target}\u0000`, version: 1 }, { name: '', subject: target, version: 1 }]) {
      const res = await sr.request('POST', `${subjectPath(subject('nul-source'))}/versions`, { body: body(ref) });
      expectError(res, 422, 42201);
    }
    expect(await stateDigest()).toBe(before);
  });

  it('a NUL in a subject prefix answers 42208; an id past 2^31-1 answers 40403', async () => {
    expectError(await sr.request('GET', '/subjects?subjectPrefix=mom.%00'), 422, 42208);
    expectError(await sr.request('GET', '/schemas/ids/2147483648'), 404, 40403);
    expectError(await sr.request('GET', '/schemas/ids/9999999999/versions'), 404, 40403);
  });

  it('a subject of 255 characters works; a path that is not valid percent-encoding, or far too long, answers 4xx in the error shape', async () => {
    const long = `mom.${'x'.repeat(245)}-value`;
    expect(long).toHaveLength(255);
    await registerOk(sr, long, record(recordName(), [idField]));
    expectStatus(await sr.request('GET', `${subjectPath(long)}/versions/latest`), 200);
    expectStatus(await sr.request('PUT', `/config/${encodeURIComponent(long)}`, { body: { compatibility: 'NONE' } }), 200);
    expectError(await sr.request('GET', '/subjects/%E0%A4%A/versions'), 400, 400);
    const overLimit = await sr.request('GET', `/subjects/${'x'.repeat(5000)}/versions`);
    expectRefused(overLimit);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: generated hostile requests, per endpoint, from the platform admin (so that any
// refusal comes from validation, not from access control). Every generated request is invalid
// by construction; each must answer 4xx in Confluent's shape and leave the digest unchanged.

const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const protoName = fc.constantFrom(...PROTO_NAMES);
/** Strings that are awkward as UTF-8: lone surrogates, NUL, BOM, control and right-to-left marks. */
const awkwardString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\ud800', '\udfff', 'a\ud800b', '\u0000', '\ufeff', '\u202e', '\uffff', '\u00ff\u00fe'),
  protoName,
);
const hugeString = fc.integer({ min: 100_000, max: 1_200_000 }).map((n) => 'x'.repeat(n));
const deepJsonText = fc.tuple(fc.integer({ min: 200, max: 20_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}'])).map(([d, [o, c]]) => nested(d, o!, c!, '1'));
/** Any JSON value except what an endpoint would accept in its key field. */
const wrongTyped = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.dictionary(awkwardString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }));

/** Schema texts that are not valid Avro: broken JSON, deep nesting, unknown and prototype type names. */
const badSchemaText = fc.oneof(
  awkwardString.filter((s) => !/^\s*"(null|boolean|int|long|float|double|bytes|string)"\s*$/.test(s)),
  deepJsonText,
  protoName.map((n) => JSON.stringify({ type: n })),
  protoName.map((n) => JSON.stringify({ type: 'record', name: 'P', fields: [{ name: 'a', type: n }] })),
  protoName.map((n) => JSON.stringify({ type: 'record', name: 'P', namespace: n, fields: [{ name: 'a', type: `${n}.Q` }] })),
  protoName.map((n) => JSON.stringify({ type: 'enum', name: 'E', symbols: [n, n] })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ type: 'record', name: 'R', fields: v })).filter((t) => !t.includes('"fields":[]')),
  hugeString.map((s) => JSON.stringify({ type: s })),
);

/** Extra fields: unknown names, prototype names (as own keys of the JSON text), deep values, huge strings. */
const extras = fc.array(
  fc.tuple(fc.oneof(awkwardString, protoName), fc.oneof(fc.jsonValue({ maxDepth: 2 }), deepJsonText.map((t) => ({ raw: t })), hugeString)),
  { maxLength: 3 },
);

/** Serialises `base` plus `extra` keys by hand, so that `__proto__` stays an own key of the text. */
function jsonWith(base: Record<string, unknown>, extra: [string, unknown][]): string {
  const parts = Object.entries(base).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  for (const [k, v] of extra) {
    const value = typeof v === 'object' && v !== null && 'raw' in v ? (v as { raw: string }).raw : JSON.stringify(v);
    parts.push(`${JSON.stringify(k)}:${value ?? 'null'}`);
  }
  return `{${parts.join(',')}}`;
}

/** Bodies invalid for `field` (schema / compatibility / mode): the field missing, of a wrong type, or a bad value; plus extras. */
function hostileBody(field: 'schema' | 'compatibility' | 'mode', badValue: fc.Arbitrary<unknown>): fc.Arbitrary<{ raw: string; contentType: string }> {
  const structured = fc
    .tuple(fc.oneof(fc.constant(undefined), wrongTyped, badValue), extras, fc.constantFrom(SR_JSON, 'application/json', 'application/vnd.schemaregistry+json', 'application/octet-stream'))
    .map(([value, extra, contentType]) => ({ raw: jsonWith(value === undefined ? {} : { [field]: value }, extra), contentType }));
  const raw = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)),
    deepJsonText,
    protoName.map((n) => `{"${n}":{"${field}":"NONE","schema":"\\"string\\""}}`),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    fc.constant(`{"${field}":"\ud800"`),
  ).map((r) => ({ raw: r, contentType: SR_JSON }));
  const foreignType = fc
    .tuple(badValue, fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'bogus', ''))
    .map(([v, contentType]) => ({ raw: jsonWith({ [field]: v }, []), contentType }));
  return fc.oneof(structured, raw, foreignType);
}

const LEVELS = ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE'];
const badCompatibility = fc.oneof(awkwardString, fc.constantFrom('BACKWARDS', 'full_transitive ', 'NONE\u0000', 'null')).filter((v) => !LEVELS.includes(v.toUpperCase()));
const badMode = fc.oneof(awkwardString, fc.constantFrom('WRITEONLY', 'READ_WRITE', 'IMPORT ', 'import\u0000')).filter((v) => !['READWRITE', 'READONLY', 'IMPORT'].includes(v.toUpperCase()));

let owned: string;
let digest: string;

async function hostile(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: { raw: string; contentType: string }): Promise<void> {
  const res = await sr.request(method, path, body === undefined ? {} : { rawBody: body.raw, contentType: body.contentType });
  expectRefused(res);
  expect(await stateDigest()).toBe(digest);
}

describe('generated hostile requests answer 4xx and change nothing (fast-check)', () => {
  beforeAll(async () => {
    owned = subject('property-owned');
    await registerOk(sr, owned, record(recordName(), [idField]));
    digest = await stateDigest();
  });

  const subjects = () => fc.constantFrom(owned, subject('property-fresh'));

  it('POST /subjects/{s}/versions', async () => {
    await fc.assert(fc.asyncProperty(subjects(), hostileBody('schema', badSchemaText), (s, body) => hostile('POST', `${subjectPath(s)}/versions`, body)), { numRuns: RUNS });
  });

  it('POST /subjects/{s} (lookup)', async () => {
    await fc.assert(fc.asyncProperty(subjects(), hostileBody('schema', badSchemaText), (s, body) => hostile('POST', subjectPath(s), body)), { numRuns: RUNS });
  });

  it('POST /compatibility/subjects/{s}/versions[/{v}]', async () => {
    const version = fc.constantFrom('', '/latest', '/1', '/-1', '/0', '/2147483648', '/__proto__', '/1e3');
    await fc.assert(
      fc.asyncProperty(subjects(), version, hostileBody('schema', badSchemaText), (s, v, body) => hostile('POST', `/compatibility/subjects/${encodeURIComponent(s)}/versions${v}`, body)),
      { numRuns: RUNS },
    );
  });

  it('PUT /config and /config/{s}', async () => {
    const path = fc.oneof(fc.constant('/config'), subjects().map((s) => `/config/${encodeURIComponent(s)}`));
    await fc.assert(fc.asyncProperty(path, hostileBody('compatibility', badCompatibility), (p, body) => hostile('PUT', p, body)), { numRuns: RUNS });
  });

  it('PUT /mode and /mode/{s}', async () => {
    const path = fc.oneof(fc.constant('/mode'), subjects().map((s) => `/mode/${encodeURIComponent(s)}`));
    await fc.assert(fc.asyncProperty(path, hostileBody('mode', badMode), (p, body) => hostile('PUT', p, body)), { numRuns: RUNS });
  });

  it('DELETE of subjects, versions, config and mode that do not exist, with hostile bodies and query strings', async () => {
    const ghost = fc.oneof(fc.constant(subject('property-ghost')), protoName.map((n) => `mom.${n}`), protoName);
    const path = fc.tuple(ghost, fc.constantFrom('', '/versions/1', '/versions/latest', '/versions/2147483647'), fc.constantFrom('', '?permanent=true', '?permanent=__proto__', '?permanent[]=1&permanent=true', '?constructor=1'))
      .map(([g, v, q]) => `${subjectPath(g)}${v}${q}`);
    const body = fc.option(hostileBody('schema', badSchemaText), { nil: undefined });
    await fc.assert(fc.asyncProperty(path, body, (p, b) => hostile('DELETE', p, b)), { numRuns: RUNS });
    const settings = fc.tuple(fc.constantFrom('/config/', '/mode/'), ghost).map(([kind, g]) => `${kind}${encodeURIComponent(g)}`);
    await fc.assert(fc.asyncProperty(settings, body, (p, b) => hostile('DELETE', p, b)), { numRuns: RUNS });
  });

  it('GET routes with hostile path segments and query strings', async () => {
    /** Percent-encodes every byte, so that lone surrogates (which encodeURIComponent refuses) go out as U+FFFD. */
    const encodeAll = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    const segment = fc.oneof(
      fc.oneof(protoName, awkwardString.filter((s) => s.length > 0), fc.constantFrom('-1', '0', '2147483648', '99999999999', '1.0')).map(encodeAll),
      fc.constantFrom('%00', '%FF', '%C3%28', '%ED%A0%80', '..%2F..', '%252e'),
    );
    const path = fc
      .tuple(fc.constantFrom('/schemas/ids/', '/schemas/ids/X/versions', '/subjects/X/versions/', '/subjects/X/versions/latest/referencedby', '/config/', '/mode/'), segment)
      .map(([prefix, seg]) => (prefix.includes('X') ? prefix.replace('X', seg) : `${prefix}${seg}`));
    await fc.assert(
      fc.asyncProperty(path, async (p) => {
        const res = await sr.request('GET', p);
        expect(res.status, show(res)).toBeLessThan(500);
        if (res.status >= 400) expectRefused(res);
        expect(await stateDigest()).toBe(digest);
      }),
      { numRuns: RUNS },
    );
  });

  it('…and the owned subject still reads back as it was', async () => {
    expect((await sr.request('GET', `${subjectPath(owned)}/versions`)).body).toEqual([1]);
    expect(await stateDigest()).toBe(digest);
    expect(Object.prototype).not.toHaveProperty('compatibility');
    expect(Object.prototype).not.toHaveProperty('mode');
  });
});
