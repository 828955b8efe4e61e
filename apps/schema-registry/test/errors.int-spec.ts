import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegistryHarness, type RegistryResponse, startRegistry } from './registry.harness';
import {
  NAMESPACE,
  expectError,
  expectRegistryContentType,
  expectStatus,
  idField,
  lookup,
  record,
  recordNames,
  register,
  registerOk,
  setCompatibility,
  setMode,
  show,
  subjectNames,
  subjectPath,
  versionsOf,
} from './registry.helpers';

let sr: RegistryHarness;
const subject = subjectNames('err');
const recordName = recordNames('ErrRec');

beforeAll(async () => {
  sr = await startRegistry();
});

afterAll(async () => {
  await sr?.close();
});

/** Any client error with the Confluent body shape, when the docs do not pin the exact code. */
function expectClientError(res: RegistryResponse): void {
  expect(res.status, show(res)).toBeGreaterThanOrEqual(400);
  expect(res.status, show(res)).toBeLessThan(500);
  expect(res.body, show(res)).toEqual({ error_code: expect.any(Number), message: expect.any(String) });
}

async function existing(tag: string, versions = 1): Promise<{ s: string; name: string }> {
  const s = subject(tag);
  const name = recordName();
  await registerOk(sr, s, record(name, [idField]));
  if (versions > 1) await registerOk(sr, s, record(name, [idField, { name: 'more', type: 'int', default: 0 }]));
  return { s, name };
}

describe('not found (404)', () => {
  it('40401 subject not found, with the Confluent message and content type', async () => {
    const s = subject('no-subject');
    const res = await sr.request('GET', `${subjectPath(s)}/versions`);
    expectError(res, 404, 40401);
    expect(res.body.message).toBe(`Subject '${s}' not found.`);
    expectRegistryContentType(res);
  });

  it('40402 version not found, with the Confluent message', async () => {
    const { s } = await existing('no-version');
    const res = await sr.request('GET', `${subjectPath(s)}/versions/5`);
    expectError(res, 404, 40402);
    expect(res.body.message).toBe('Version 5 not found.');
  });

  it('40403 schema not found, by id and by lookup', async () => {
    const byId = await sr.request('GET', '/schemas/ids/31337');
    expectError(byId, 404, 40403);
    expect(byId.body.message).toMatch(/Schema/);
    expect(byId.body.message).toMatch(/not found/);

    const { s } = await existing('no-schema');
    const byLookup = await lookup(sr, s, record(recordName(), [idField]));
    expectError(byLookup, 404, 40403);
    expect(byLookup.body.message).toMatch(/Schema/);
    expect(byLookup.body.message).toMatch(/not found/);
  });

  it('40404 subject already soft-deleted', async () => {
    const { s } = await existing('soft-twice');
    expectStatus(await sr.request('DELETE', subjectPath(s)), 200);
    expectError(await sr.request('DELETE', subjectPath(s)), 404, 40404);
  });

  it('40405 subject not soft-deleted before permanent delete', async () => {
    const { s } = await existing('hard-first');
    expectError(await sr.request('DELETE', `${subjectPath(s)}?permanent=true`), 404, 40405);
  });

  it('40406 version already soft-deleted', async () => {
    const { s } = await existing('version-twice', 2);
    expectStatus(await sr.request('DELETE', `${subjectPath(s)}/versions/2`), 200);
    expectError(await sr.request('DELETE', `${subjectPath(s)}/versions/2`), 404, 40406);
  });

  it('40407 version not soft-deleted before permanent delete', async () => {
    const { s } = await existing('version-hard-first', 2);
    expectError(await sr.request('DELETE', `${subjectPath(s)}/versions/2?permanent=true`), 404, 40407);
  });

  it('40408 no subject-level compatibility', async () => {
    const { s } = await existing('no-config');
    expectError(await sr.request('GET', `/config/${encodeURIComponent(s)}`), 404, 40408);
  });

  it('40409 no subject-level mode', async () => {
    const { s } = await existing('no-mode');
    expectError(await sr.request('GET', `/mode/${encodeURIComponent(s)}`), 404, 40409);
  });

  it('an unknown route answers 404 in the error shape', async () => {
    const res = await sr.request('GET', '/no/such/resource');
    expect(res.status, show(res)).toBe(404);
    expect(res.body, show(res)).toEqual({ error_code: expect.any(Number), message: expect.any(String) });
  });
});

describe('conflict (409)', () => {
  it('409 incompatible schema', async () => {
    const { s, name } = await existing('incompatible');
    await setCompatibility(sr, 'BACKWARD', s);
    const res = await register(sr, s, record(name, [idField, { name: 'required', type: 'string' }]));
    expectError(res, 409, 409);
    expect(await versionsOf(sr, s)).toEqual([1]);
  });
});

describe('unprocessable (422)', () => {
  const name = () => recordName();
  const invalidSchemas: { title: string; schema: () => string }[] = [
    { title: 'text that is not JSON', schema: () => '{"type": "record", "name": ' },
    { title: 'an empty string', schema: () => '' },
    { title: 'an unknown type name', schema: () => JSON.stringify({ type: 'no.such.Type' }) },
    { title: 'a record without fields', schema: () => JSON.stringify({ type: 'record', name: name() }) },
    { title: 'an illegal record name', schema: () => JSON.stringify(record(`1${name()}`, [idField])) },
    { title: 'duplicate field names', schema: () => JSON.stringify(record(name(), [idField, idField])) },
    { title: 'duplicate enum symbols', schema: () => JSON.stringify({ type: 'enum', name: name(), namespace: NAMESPACE, symbols: ['A', 'A'] }) },
    { title: 'an int field with a string default', schema: () => JSON.stringify(record(name(), [{ name: 'n', type: 'int', default: 'abc' }])) },
    { title: 'a string field with a null default', schema: () => JSON.stringify(record(name(), [{ name: 's', type: 'string', default: null }])) },
    {
      title: 'a union default that does not match the first branch',
      schema: () => JSON.stringify(record(name(), [{ name: 'u', type: ['null', 'string'], default: 'text' }])),
    },
    {
      title: 'a record default missing a required field',
      schema: () =>
        JSON.stringify(record(name(), [{ name: 'inner', type: record(name(), [idField]), default: { other: 'x' } }])),
    },
  ];

  it.each(invalidSchemas)('42201 invalid schema: $title', async ({ schema }) => {
    const s = subject('invalid');
    const res = await sr.request('POST', `${subjectPath(s)}/versions`, { body: { schema: schema() } });
    expectError(res, 422, 42201);
    expectError(await sr.request('GET', `${subjectPath(s)}/versions`), 404, 40401);
  });

  it('42201 for a schema type other than AVRO', async () => {
    const res = await sr.request('POST', `${subjectPath(subject('protobuf'))}/versions`, {
      body: { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; message M { string id = 1; }' },
    });
    expectError(res, 422, 42201);
  });

  it.each(['0', 'abc', '-2', '1.5'])('42202 invalid version %s', async (version) => {
    const { s } = await existing('bad-version');
    expectError(await sr.request('GET', `${subjectPath(s)}/versions/${version}`), 422, 42202);
  });

  it('42203 invalid compatibility level', async () => {
    expectError(await sr.request('PUT', '/config', { body: { compatibility: 'BACKWARDS' } }), 422, 42203);
  });

  it('42204 invalid mode', async () => {
    expectError(await sr.request('PUT', '/mode', { body: { mode: 'READ_WRITE' } }), 422, 42204);
  });

  it('42205 operation not permitted by the mode', async () => {
    const { s } = await existing('readonly');
    await setMode(sr, 'READONLY', s);
    expectError(await register(sr, s, record(recordName(), [idField])), 422, 42205);
  });

  it('42206 references exist', async () => {
    const address = subject('referenced');
    const addressName = recordName();
    await registerOk(sr, address, record(addressName, [{ name: 'street', type: 'string' }]));
    const fullName = `${NAMESPACE}.${addressName}`;
    await registerOk(sr, subject('referencing'), record(recordName(), [{ name: 'home', type: fullName }]), {
      references: [{ name: fullName, subject: address, version: 1 }],
    });
    expectError(await sr.request('DELETE', `${subjectPath(address)}/versions/1`), 422, 42206);
  });

  it('42208 invalid subject: a control character in the name', async () => {
    const res = await sr.request('POST', '/subjects/mom.err-bad%01subject-value/versions', {
      body: { schema: JSON.stringify(record(recordName(), [idField])) },
    });
    expectError(res, 422, 42208);
  });
});

describe('malformed requests', () => {
  it('a body that is not JSON answers 4xx in the error shape', async () => {
    const s = subject('malformed');
    for (const rawBody of ['{"schema": ', 'schema=please', '']) {
      expectClientError(await sr.request('POST', `${subjectPath(s)}/versions`, { rawBody }));
    }
    expectClientError(await sr.request('PUT', '/config', { rawBody: '{compatibility: NONE}' }));
    expectError(await sr.request('GET', `${subjectPath(s)}/versions`), 404, 40401);
  });

  it('JSON of the wrong shape answers 4xx in the error shape', async () => {
    const s = subject('wrong-shape');
    expectClientError(await sr.request('POST', `${subjectPath(s)}/versions`, { body: [1, 2, 3] }));
    expectClientError(await sr.request('POST', `${subjectPath(s)}/versions`, { body: {} }));
    expectClientError(await sr.request('PUT', '/mode', { body: { mode: 42 } }));
    expectError(await sr.request('GET', `${subjectPath(s)}/versions`), 404, 40401);
  });
});

describe('authentication and authorisation', () => {
  it('401 without credentials', async () => {
    expectError(await sr.request('GET', '/subjects', { as: 'anonymous' }), 401, 401);
  });

  it('40301 for a write outside the principal\'s agency', async () => {
    const res = await register(sr, subject('forbidden', 'mom'), record(recordName(), [idField]), { as: 'rop' });
    expectError(res, 403, 40301);
  });
});
