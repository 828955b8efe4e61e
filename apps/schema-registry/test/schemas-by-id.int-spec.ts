import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegistryHarness, startRegistry } from './registry.harness';
import {
  expectError,
  expectRegistryContentType,
  expectStatus,
  idField,
  parseSchema,
  record,
  recordNames,
  registerOk,
  subjectNames,
  subjectPath,
} from './registry.helpers';

let sr: RegistryHarness;
const subject = subjectNames('ids');
const recordName = recordNames('IdsRec');

beforeAll(async () => {
  sr = await startRegistry();
});

afterAll(async () => {
  await sr?.close();
});

function sorted<T>(values: T[], key: (v: T) => string): T[] {
  return [...values].sort((a, b) => key(a).localeCompare(key(b)));
}

describe('schema ids', () => {
  // Must stay the first registration of this file: the harness starts on an empty database.
  it('assigns id 1 to the first schema ever registered and increasing ids to new schemas', async () => {
    const first = await registerOk(sr, subject('first'), record(recordName(), [idField]));
    expect(first).toBe(1);
    const second = await registerOk(sr, subject('second'), record(recordName(), [idField]));
    const third = await registerOk(sr, subject('second'), record(recordName(), [idField]));
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
  });

  it('reuses the id of an identical schema registered under another subject', async () => {
    const schema = record(recordName(), [idField, { name: 'total', type: 'double' }]);
    const id = await registerOk(sr, subject('shared-a'), schema);
    expect(await registerOk(sr, subject('shared-b'), schema)).toBe(id);
  });

  it('reuses the id when the schema differs only in whitespace', async () => {
    const schema = record(recordName(), [idField]);
    const id = await registerOk(sr, subject('ws-a'), schema);
    const res = await sr.request('POST', `${subjectPath(subject('ws-b'))}/versions`, {
      body: { schema: `\n  ${JSON.stringify(schema, null, 3)}\n` },
    });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ id });
  });

  it('reuses the id when the schema differs only in doc attributes', async () => {
    const name = recordName();
    const plain = record(name, [idField, { name: 'city', type: 'string' }]);
    const documented = record(name, [idField, { name: 'city', type: 'string', doc: 'Where the applicant lives' }], {
      doc: 'An applicant address',
    });
    const id = await registerOk(sr, subject('doc-a'), plain);
    expect(await registerOk(sr, subject('doc-b'), documented)).toBe(id);
  });

  it('gives a different id to a schema that differs in more than formatting', async () => {
    const name = recordName();
    const a = await registerOk(sr, subject('differ-a'), record(name, [idField]));
    const b = await registerOk(sr, subject('differ-b'), record(name, [{ name: 'id', type: 'long' }]));
    expect(b).not.toBe(a);
  });
});

describe('GET /schemas/ids/{id}', () => {
  it('answers the schema string of the id', async () => {
    const schema = record(recordName(), [idField, { name: 'items', type: { type: 'array', items: 'string' } }]);
    const id = await registerOk(sr, subject('get'), schema);
    const res = await sr.request('GET', `/schemas/ids/${id}`);
    expectStatus(res, 200);
    expectRegistryContentType(res);
    expect(res.body).toMatchObject({ schema: expect.any(String) });
    expect(parseSchema(res.body.schema)).toEqual(schema);
  });

  it('answers a primitive schema', async () => {
    const id = await registerOk(sr, subject('primitive'), 'bytes');
    const res = await sr.request('GET', `/schemas/ids/${id}`);
    expectStatus(res, 200);
    expect(parseSchema(res.body.schema)).toBe('bytes');
  });

  it('/schema answers the bare schema', async () => {
    const schema = record(recordName(), [idField, { name: 'flag', type: 'boolean', default: false }]);
    const id = await registerOk(sr, subject('bare'), schema);
    const res = await sr.request('GET', `/schemas/ids/${id}/schema`);
    expectStatus(res, 200);
    expect(res.body).toEqual(schema);
  });

  it('answers 40403 for an id that was never assigned', async () => {
    for (const path of ['/schemas/ids/987654', '/schemas/ids/987654/schema', '/schemas/ids/987654/subjects', '/schemas/ids/987654/versions']) {
      const res = await sr.request('GET', path);
      expectError(res, 404, 40403);
      expect(res.body.message).toMatch(/Schema/);
      expect(res.body.message).toMatch(/not found/);
    }
  });

  it('still resolves a schema whose only version was soft-deleted', async () => {
    const s = subject('soft');
    const schema = record(recordName(), [idField]);
    const id = await registerOk(sr, s, schema);
    expectStatus(await sr.request('DELETE', subjectPath(s)), 200);
    const res = await sr.request('GET', `/schemas/ids/${id}`);
    expectStatus(res, 200);
    expect(parseSchema(res.body.schema)).toEqual(schema);
  });
});

describe('GET /schemas/ids/{id}/subjects and /versions', () => {
  it('lists every subject that uses the schema', async () => {
    const schema = record(recordName(), [idField]);
    const a = subject('subjects-a');
    const b = subject('subjects-b', 'rop');
    const id = await registerOk(sr, a, schema);
    await registerOk(sr, b, schema);
    const res = await sr.request('GET', `/schemas/ids/${id}/subjects`);
    expectStatus(res, 200);
    expect([...(res.body as string[])].sort()).toEqual([a, b].sort());
  });

  it('lists every subject-version pair that uses the schema', async () => {
    const name = recordName();
    const v1 = record(name, [idField]);
    const v2 = record(name, [idField, { name: 'score', type: 'int', default: 0 }]);
    const a = subject('versions-a');
    const b = subject('versions-b');
    await registerOk(sr, a, v1);
    const id = await registerOk(sr, a, v2);
    await registerOk(sr, b, v2);

    const res = await sr.request('GET', `/schemas/ids/${id}/versions`);
    expectStatus(res, 200);
    const key = (p: { subject: string; version: number }) => `${p.subject}#${p.version}`;
    expect(sorted(res.body as { subject: string; version: number }[], key)).toEqual(
      sorted(
        [
          { subject: a, version: 2 },
          { subject: b, version: 1 },
        ],
        key,
      ),
    );
  });

  it('includes a subject only once per version even after re-registration', async () => {
    const schema = record(recordName(), [idField]);
    const s = subject('once');
    const id = await registerOk(sr, s, schema);
    expect(await registerOk(sr, s, schema)).toBe(id);
    const res = await sr.request('GET', `/schemas/ids/${id}/versions`);
    expect(res.body).toEqual([{ subject: s, version: 1 }]);
  });
});

describe('GET /schemas/types', () => {
  it('answers ["AVRO"]', async () => {
    const res = await sr.request('GET', '/schemas/types');
    expectStatus(res, 200);
    expectRegistryContentType(res);
    expect(res.body).toEqual(['AVRO']);
  });
});
