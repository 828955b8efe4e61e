import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegistryHarness, startRegistry } from './registry.harness';
import {
  expectError,
  expectRegistryContentType,
  expectStatus,
  idField,
  lookup,
  parseSchema,
  record,
  recordNames,
  register,
  registerOk,
  setCompatibility,
  subjectNames,
  subjectPath,
  versionsOf,
} from './registry.helpers';

let sr: RegistryHarness;
const subject = subjectNames('sv');
const recordName = recordNames('SubjectsRec');

beforeAll(async () => {
  sr = await startRegistry();
});

afterAll(async () => {
  await sr?.close();
});

/** v1 of a record, and a backward-compatible v2 that adds a field with a default. */
function evolvingPair(): { v1: Record<string, unknown>; v2: Record<string, unknown> } {
  const name = recordName();
  return {
    v1: record(name, [idField]),
    v2: record(name, [idField, { name: 'amount', type: 'int', default: 0 }]),
  };
}

describe('service root', () => {
  it('GET / answers 200 with a JSON object', async () => {
    const res = await sr.request('GET', '/');
    expectStatus(res, 200);
    expect(typeof res.body).toBe('object');
    expect(Array.isArray(res.body)).toBe(false);
    expect(res.body).not.toBeNull();
  });
});

describe('POST /subjects/{subject}/versions', () => {
  it('registers the first schema of a subject as version 1 and answers its id', async () => {
    const s = subject('first');
    const schema = record(recordName(), [idField]);
    const id = await registerOk(sr, s, schema);

    expect(await versionsOf(sr, s)).toEqual([1]);
    const v1 = await sr.request('GET', `${subjectPath(s)}/versions/1`);
    expectStatus(v1, 200);
    expect(v1.body).toMatchObject({ subject: s, version: 1, id });
    expect(parseSchema(v1.body.schema)).toEqual(schema);
  });

  it('numbers versions per subject from 1, adding one version per new schema', async () => {
    const { v1, v2 } = evolvingPair();
    const a = subject('numbering-a');
    const b = subject('numbering-b');
    const id1 = await registerOk(sr, a, v1);
    const id2 = await registerOk(sr, a, v2);
    expect(id2).not.toBe(id1);
    expect(await versionsOf(sr, a)).toEqual([1, 2]);

    // The same v2 schema under another subject starts that subject at version 1 and keeps its id.
    expect(await registerOk(sr, b, v2)).toBe(id2);
    expect(await versionsOf(sr, b)).toEqual([1]);
    const bv1 = await sr.request('GET', `${subjectPath(b)}/versions/1`);
    expect(bv1.body).toMatchObject({ subject: b, version: 1, id: id2 });
  });

  it('re-registering the latest schema answers the same id and adds no version', async () => {
    const s = subject('reregister');
    const schema = record(recordName(), [idField]);
    const id = await registerOk(sr, s, schema);
    expect(await registerOk(sr, s, schema)).toBe(id);
    expect(await versionsOf(sr, s)).toEqual([1]);
  });

  it('re-registering an older version answers its id with no new version and no compatibility check', async () => {
    const s = subject('reregister-old');
    const name = recordName();
    const withRequired = record(name, [idField, { name: 'note', type: 'string' }]);
    const withoutNote = record(name, [idField]);
    await setCompatibility(sr, 'NONE', s);
    const oldId = await registerOk(sr, s, withRequired);
    await registerOk(sr, s, withoutNote);
    await setCompatibility(sr, 'BACKWARD', s);

    // As a new schema, `withRequired` cannot read data written with `withoutNote` (no default for note).
    const check = await sr.request('POST', `/compatibility/subjects/${encodeURIComponent(s)}/versions/latest`, {
      body: { schema: JSON.stringify(withRequired) },
    });
    expect(check.body).toMatchObject({ is_compatible: false });

    expect(await registerOk(sr, s, withRequired)).toBe(oldId);
    expect(await versionsOf(sr, s)).toEqual([1, 2]);
  });

  it('treats a schema that differs only in whitespace as the same schema', async () => {
    const s = subject('whitespace');
    const schema = record(recordName(), [idField, { name: 'count', type: 'long' }]);
    const id = await registerOk(sr, s, schema);
    const pretty = await sr.request('POST', `${subjectPath(s)}/versions`, { body: { schema: JSON.stringify(schema, null, 4) } });
    expectStatus(pretty, 200);
    expect(pretty.body).toMatchObject({ id });
    expect(await versionsOf(sr, s)).toEqual([1]);
  });

  it('registers a primitive schema and serves it back', async () => {
    const s = subject('primitive');
    const id = await registerOk(sr, s, 'string');
    const res = await sr.request('GET', `${subjectPath(s)}/versions/1`);
    expect(res.body).toMatchObject({ subject: s, version: 1, id });
    expect(parseSchema(res.body.schema)).toBe('string');
  });

  it('accepts an explicit schemaType of AVRO', async () => {
    const s = subject('schematype');
    const schema = record(recordName(), [idField]);
    const res = await sr.request('POST', `${subjectPath(s)}/versions`, { body: { schemaType: 'AVRO', schema: JSON.stringify(schema) } });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ id: expect.any(Number) });
  });
});

describe('GET /subjects/{subject}/versions/{version}', () => {
  it('answers subject, version, id and schema for each version', async () => {
    const s = subject('read');
    const { v1, v2 } = evolvingPair();
    const id1 = await registerOk(sr, s, v1);
    const id2 = await registerOk(sr, s, v2);

    const first = await sr.request('GET', `${subjectPath(s)}/versions/1`);
    expectStatus(first, 200);
    expect(first.body).toMatchObject({ subject: s, version: 1, id: id1 });
    expect(parseSchema(first.body.schema)).toEqual(v1);

    const second = await sr.request('GET', `${subjectPath(s)}/versions/2`);
    expect(second.body).toMatchObject({ subject: s, version: 2, id: id2 });
    expect(parseSchema(second.body.schema)).toEqual(v2);
  });

  it('resolves "latest" and -1 to the highest version', async () => {
    const s = subject('latest');
    const { v1, v2 } = evolvingPair();
    await registerOk(sr, s, v1);
    const id2 = await registerOk(sr, s, v2);
    for (const alias of ['latest', '-1']) {
      const res = await sr.request('GET', `${subjectPath(s)}/versions/${alias}`);
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ subject: s, version: 2, id: id2 });
    }
  });

  it('/schema answers the bare schema of a version', async () => {
    const s = subject('bare');
    const { v1, v2 } = evolvingPair();
    await registerOk(sr, s, v1);
    await registerOk(sr, s, v2);
    const first = await sr.request('GET', `${subjectPath(s)}/versions/1/schema`);
    expectStatus(first, 200);
    expect(first.body).toEqual(v1);
    const latest = await sr.request('GET', `${subjectPath(s)}/versions/latest/schema`);
    expectStatus(latest, 200);
    expect(latest.body).toEqual(v2);
  });

  it('answers 40402 for a version the subject does not have', async () => {
    const s = subject('missing-version');
    await registerOk(sr, s, record(recordName(), [idField]));
    const res = await sr.request('GET', `${subjectPath(s)}/versions/7`);
    expectError(res, 404, 40402);
    expect(res.body.message).toBe('Version 7 not found.');
  });

  it('answers 40401 for versions of an unknown subject', async () => {
    const s = subject('never-registered');
    const list = await sr.request('GET', `${subjectPath(s)}/versions`);
    expectError(list, 404, 40401);
    expect(list.body.message).toBe(`Subject '${s}' not found.`);
    expectError(await sr.request('GET', `${subjectPath(s)}/versions/latest`), 404, 40401);
  });
});

describe('POST /subjects/{subject} (lookup)', () => {
  it('answers subject, id, version and schema for a registered schema, ignoring whitespace', async () => {
    const s = subject('lookup');
    const { v1, v2 } = evolvingPair();
    const id1 = await registerOk(sr, s, v1);
    await registerOk(sr, s, v2);

    const res = await lookup(sr, s, v1);
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ subject: s, id: id1, version: 1 });
    expect(parseSchema(res.body.schema)).toEqual(v1);

    const pretty = await sr.request('POST', subjectPath(s), { body: { schema: JSON.stringify(v1, null, 2) } });
    expectStatus(pretty, 200);
    expect(pretty.body).toMatchObject({ subject: s, id: id1, version: 1 });
  });

  it('does not register anything', async () => {
    const s = subject('lookup-readonly');
    const { v1, v2 } = evolvingPair();
    await registerOk(sr, s, v1);
    expectError(await lookup(sr, s, v2), 404, 40403);
    expect(await versionsOf(sr, s)).toEqual([1]);
  });

  it('answers 40403 for a schema not registered under the subject, even if registered elsewhere', async () => {
    const s = subject('lookup-other');
    const elsewhere = subject('lookup-elsewhere');
    const { v1, v2 } = evolvingPair();
    await registerOk(sr, s, v1);
    await registerOk(sr, elsewhere, v2);
    const res = await lookup(sr, s, v2);
    expectError(res, 404, 40403);
    expect(res.body.message).toMatch(/Schema/);
    expect(res.body.message).toMatch(/not found/);
  });

  it('answers 40401 under an unknown subject', async () => {
    const s = subject('lookup-unknown');
    const res = await lookup(sr, s, record(recordName(), [idField]));
    expectError(res, 404, 40401);
    expect(res.body.message).toBe(`Subject '${s}' not found.`);
  });
});

describe('GET /subjects', () => {
  it('lists every registered subject', async () => {
    const a = subject('list-a');
    const b = subject('list-b', 'rop');
    await registerOk(sr, a, record(recordName(), [idField]));
    await registerOk(sr, b, record(recordName(), [idField]));
    const res = await sr.request('GET', '/subjects');
    expectStatus(res, 200);
    expect(res.body).toEqual(expect.arrayContaining([a, b]));
  });

  it('filters by subjectPrefix', async () => {
    const inside = subject('prefix', 'rop');
    const outside = subject('prefix', 'mom');
    await registerOk(sr, inside, record(recordName(), [idField]));
    await registerOk(sr, outside, record(recordName(), [idField]));
    const res = await sr.request('GET', `/subjects?subjectPrefix=${encodeURIComponent('rop.sv-prefix')}`);
    expectStatus(res, 200);
    const subjects = res.body as string[];
    expect(subjects).toContain(inside);
    expect(subjects).not.toContain(outside);
    for (const s of subjects) expect(s.startsWith('rop.sv-prefix')).toBe(true);
  });
});

describe('content types and query parameters', () => {
  it('answers with Content-Type application/vnd.schemaregistry.v1+json', async () => {
    const s = subject('content-type');
    const registered = await register(sr, s, record(recordName(), [idField]));
    expectStatus(registered, 200);
    expectRegistryContentType(registered);
    expectRegistryContentType(await sr.request('GET', `${subjectPath(s)}/versions`));
    expectRegistryContentType(await sr.request('GET', `${subjectPath(s)}/versions/1`));
    expectRegistryContentType(await sr.request('GET', '/subjects'));
  });

  it('accepts requests sent as application/json', async () => {
    const s = subject('plain-json');
    const schema = record(recordName(), [idField]);
    const res = await sr.request('POST', `${subjectPath(s)}/versions`, {
      body: { schema: JSON.stringify(schema) },
      contentType: 'application/json',
    });
    expectStatus(res, 200);
    const found = await sr.request('POST', subjectPath(s), { body: { schema: JSON.stringify(schema) }, contentType: 'application/json' });
    expectStatus(found, 200);
    expect(found.body).toMatchObject({ id: res.body.id, version: 1 });
  });

  it('ignores unknown query parameters', async () => {
    const s = subject('unknown-query');
    const reg = await sr.request('POST', `${subjectPath(s)}/versions?flavour=vanilla`, {
      body: { schema: JSON.stringify(record(recordName(), [idField])) },
    });
    expectStatus(reg, 200);
    expectStatus(await sr.request('GET', '/subjects?flavour=vanilla'), 200);
    const versions = await sr.request('GET', `${subjectPath(s)}/versions?flavour=vanilla`);
    expectStatus(versions, 200);
    expect(versions.body).toEqual([1]);
  });
});

describe('persistence', () => {
  it('keeps subjects, versions, ids and the id sequence across a restart', async () => {
    const s = subject('restart');
    const { v1, v2 } = evolvingPair();
    const id1 = await registerOk(sr, s, v1);
    const id2 = await registerOk(sr, s, v2);

    await sr.restart();

    expect(await versionsOf(sr, s)).toEqual([1, 2]);
    const latest = await sr.request('GET', `${subjectPath(s)}/versions/latest`);
    expect(latest.body).toMatchObject({ subject: s, version: 2, id: id2 });
    expect(parseSchema((await sr.request('GET', `/schemas/ids/${id1}`)).body.schema)).toEqual(v1);
    // Re-registering after the restart still finds the existing schema.
    expect(await registerOk(sr, s, v2)).toBe(id2);
    // A new schema gets a fresh id, above every id handed out before the restart.
    const id3 = await registerOk(sr, subject('restart-next'), record(recordName(), [idField]));
    expect(id3).toBeGreaterThan(Math.max(id1, id2));
  });
});
