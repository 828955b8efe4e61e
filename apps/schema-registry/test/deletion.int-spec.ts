import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegistryHarness, startRegistry } from './registry.harness';
import {
  type AvroSchema,
  expectError,
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
const subject = subjectNames('del');
const recordName = recordNames('DelRec');

beforeAll(async () => {
  sr = await startRegistry();
});

afterAll(async () => {
  await sr?.close();
});

/** Three mutually backward-compatible versions of one record (each adds a field with a default). */
function threeVersions(): [AvroSchema, AvroSchema, AvroSchema] {
  const name = recordName();
  return [
    record(name, [idField]),
    record(name, [idField, { name: 'a', type: 'int', default: 0 }]),
    record(name, [idField, { name: 'a', type: 'int', default: 0 }, { name: 'b', type: 'string', default: '' }]),
  ];
}

async function subjectWith(tag: string, schemas: AvroSchema[]): Promise<{ s: string; ids: number[] }> {
  const s = subject(tag);
  const ids: number[] = [];
  for (const schema of schemas) ids.push(await registerOk(sr, s, schema));
  return { s, ids };
}

async function listSubjects(query = ''): Promise<string[]> {
  const res = await sr.request('GET', `/subjects${query}`);
  expectStatus(res, 200);
  return res.body as string[];
}

describe('soft-deleting a version', () => {
  it('answers the deleted version number and hides the version', async () => {
    const [v1, v2] = threeVersions();
    const { s } = await subjectWith('version', [v1, v2]);
    const res = await sr.request('DELETE', `${subjectPath(s)}/versions/2`);
    expectStatus(res, 200);
    expect(res.body).toBe(2);
    expect(await versionsOf(sr, s)).toEqual([1]);
    expectError(await sr.request('GET', `${subjectPath(s)}/versions/2`), 404, 40402);
    const latest = await sr.request('GET', `${subjectPath(s)}/versions/latest`);
    expect(latest.body).toMatchObject({ version: 1 });
  });

  it('accepts "latest" as the version to delete', async () => {
    const [v1, v2, v3] = threeVersions();
    const { s } = await subjectWith('latest', [v1, v2, v3]);
    const res = await sr.request('DELETE', `${subjectPath(s)}/versions/latest`);
    expectStatus(res, 200);
    expect(res.body).toBe(3);
    expect(await versionsOf(sr, s)).toEqual([1, 2]);
  });

  it('never reuses a soft-deleted version number', async () => {
    const [v1, v2, v3] = threeVersions();
    const { s } = await subjectWith('no-reuse', [v1, v2]);
    expectStatus(await sr.request('DELETE', `${subjectPath(s)}/versions/2`), 200);
    await registerOk(sr, s, v3);
    expect(await versionsOf(sr, s)).toEqual([1, 3]);
  });

  it('registering the deleted schema again creates a new version with the same id', async () => {
    const [v1, v2] = threeVersions();
    const { s, ids } = await subjectWith('again', [v1, v2]);
    expectStatus(await sr.request('DELETE', `${subjectPath(s)}/versions/2`), 200);
    expect(await registerOk(sr, s, v2)).toBe(ids[1]);
    expect(await versionsOf(sr, s)).toEqual([1, 3]);
  });

  it('keeps the schema resolvable by id', async () => {
    const [v1, v2] = threeVersions();
    const { s, ids } = await subjectWith('by-id', [v1, v2]);
    expectStatus(await sr.request('DELETE', `${subjectPath(s)}/versions/2`), 200);
    const res = await sr.request('GET', `/schemas/ids/${ids[1]}`);
    expectStatus(res, 200);
    expect(parseSchema(res.body.schema)).toEqual(v2);
  });

  it('answers 40406 when the version is already soft-deleted', async () => {
    const [v1, v2] = threeVersions();
    const { s } = await subjectWith('twice', [v1, v2]);
    expectStatus(await sr.request('DELETE', `${subjectPath(s)}/versions/1`), 200);
    expectError(await sr.request('DELETE', `${subjectPath(s)}/versions/1`), 404, 40406);
  });

  it('answers 40402 for a version that never existed and 40401 for an unknown subject', async () => {
    const [v1] = threeVersions();
    const { s } = await subjectWith('never', [v1]);
    expectError(await sr.request('DELETE', `${subjectPath(s)}/versions/9`), 404, 40402);
    expectError(await sr.request('DELETE', `${subjectPath(subject('ghost'))}/versions/1`), 404, 40401);
  });

  it('hides the subject once every version is soft-deleted', async () => {
    const [v1, v2] = threeVersions();
    const { s } = await subjectWith('one-by-one', [v1, v2]);
    expectStatus(await sr.request('DELETE', `${subjectPath(s)}/versions/1`), 200);
    expectStatus(await sr.request('DELETE', `${subjectPath(s)}/versions/2`), 200);
    expect(await listSubjects()).not.toContain(s);
    expect(await listSubjects('?deleted=true')).toContain(s);
  });
});

describe('soft-deleting a subject', () => {
  it('answers the deleted versions and hides the subject', async () => {
    const [v1, v2] = threeVersions();
    const { s, ids } = await subjectWith('subject', [v1, v2]);
    const res = await sr.request('DELETE', subjectPath(s));
    expectStatus(res, 200);
    expect(res.body).toEqual([1, 2]);

    expect(await listSubjects()).not.toContain(s);
    expect(await listSubjects('?deleted=true')).toContain(s);
    expectError(await sr.request('GET', `${subjectPath(s)}/versions`), 404, 40401);
    expectError(await sr.request('GET', `${subjectPath(s)}/versions/1`), 404, 40401);
    // Schema ids stay resolvable for consumers of existing data.
    expectStatus(await sr.request('GET', `/schemas/ids/${ids[0]}`), 200);
    expectStatus(await sr.request('GET', `/schemas/ids/${ids[1]}`), 200);
  });

  it('lookup answers 40401, and finds the schema with deleted=true', async () => {
    const [v1, v2] = threeVersions();
    const { s, ids } = await subjectWith('lookup', [v1, v2]);
    expectStatus(await sr.request('DELETE', subjectPath(s)), 200);
    expectError(await lookup(sr, s, v1), 404, 40401);
    const found = await lookup(sr, s, v1, '?deleted=true');
    expectStatus(found, 200);
    expect(found.body).toMatchObject({ subject: s, id: ids[0], version: 1 });
  });

  it('answers 40404 when the subject is already soft-deleted', async () => {
    const [v1] = threeVersions();
    const { s } = await subjectWith('subject-twice', [v1]);
    expectStatus(await sr.request('DELETE', subjectPath(s)), 200);
    expectError(await sr.request('DELETE', subjectPath(s)), 404, 40404);
  });

  it('answers 40401 for an unknown subject', async () => {
    const s = subject('unknown');
    const res = await sr.request('DELETE', subjectPath(s));
    expectError(res, 404, 40401);
    expect(res.body.message).toBe(`Subject '${s}' not found.`);
  });

  it('registering again continues the version numbers and ignores deleted versions in compatibility checks', async () => {
    const name = recordName();
    const { s } = await subjectWith('revive', [record(name, [idField])]);
    await setCompatibility(sr, 'BACKWARD', s);
    // A type change is not backward compatible with version 1 ...
    const incompatible = record(name, [{ name: 'id', type: 'int' }]);
    expectError(await register(sr, s, incompatible), 409, 409);
    // ... but once version 1 is soft-deleted nothing live constrains the subject.
    expectStatus(await sr.request('DELETE', subjectPath(s)), 200);
    await registerOk(sr, s, incompatible);
    expect(await versionsOf(sr, s)).toEqual([2]);
  });
});

describe('permanent (hard) delete', () => {
  it('of a subject answers 40405 unless it was soft-deleted first, and leaves it intact', async () => {
    const [v1, v2] = threeVersions();
    const { s } = await subjectWith('hard-first', [v1, v2]);
    const res = await sr.request('DELETE', `${subjectPath(s)}?permanent=true`);
    expectError(res, 404, 40405);
    expect(await versionsOf(sr, s)).toEqual([1, 2]);
  });

  it('of a soft-deleted subject answers its versions and removes it and its unshared ids', async () => {
    const [v1, v2] = threeVersions();
    const { s, ids } = await subjectWith('hard', [v1, v2]);
    expectStatus(await sr.request('DELETE', subjectPath(s)), 200);
    const res = await sr.request('DELETE', `${subjectPath(s)}?permanent=true`);
    expectStatus(res, 200);
    expect(res.body).toEqual([1, 2]);

    expect(await listSubjects('?deleted=true')).not.toContain(s);
    expectError(await sr.request('GET', `${subjectPath(s)}/versions`), 404, 40401);
    expectError(await lookup(sr, s, v1, '?deleted=true'), 404, 40401);
    for (const id of ids) {
      const gone = await sr.request('GET', `/schemas/ids/${id}`);
      expectError(gone, 404, 40403);
    }
    expectError(await sr.request('DELETE', `${subjectPath(s)}?permanent=true`), 404, 40401);
  });

  it('of a subject keeps a schema id that another subject still uses', async () => {
    const [v1] = threeVersions();
    const { s, ids } = await subjectWith('hard-shared', [v1]);
    const other = subject('hard-shared-other');
    expect(await registerOk(sr, other, v1)).toBe(ids[0]);
    expectStatus(await sr.request('DELETE', subjectPath(s)), 200);
    expectStatus(await sr.request('DELETE', `${subjectPath(s)}?permanent=true`), 200);
    const res = await sr.request('GET', `/schemas/ids/${ids[0]}`);
    expectStatus(res, 200);
    expect(parseSchema(res.body.schema)).toEqual(v1);
    expect(await sr.request('GET', `/schemas/ids/${ids[0]}/subjects`)).toMatchObject({ status: 200, body: [other] });
  });

  it('of a version answers 40407 unless it was soft-deleted first', async () => {
    const [v1, v2] = threeVersions();
    const { s } = await subjectWith('hard-version-first', [v1, v2]);
    expectError(await sr.request('DELETE', `${subjectPath(s)}/versions/1?permanent=true`), 404, 40407);
    expect(await versionsOf(sr, s)).toEqual([1, 2]);
  });

  it('of a soft-deleted version answers the version and removes only that version', async () => {
    const [v1, v2] = threeVersions();
    const { s, ids } = await subjectWith('hard-version', [v1, v2]);
    expectStatus(await sr.request('DELETE', `${subjectPath(s)}/versions/1`), 200);
    const res = await sr.request('DELETE', `${subjectPath(s)}/versions/1?permanent=true`);
    expectStatus(res, 200);
    expect(res.body).toBe(1);

    expect(await versionsOf(sr, s)).toEqual([2]);
    expectError(await sr.request('GET', `/schemas/ids/${ids[0]}`), 404, 40403);
    expectStatus(await sr.request('GET', `/schemas/ids/${ids[1]}`), 200);
    // Gone for good: neither soft- nor hard-deletable any more.
    expectError(await sr.request('DELETE', `${subjectPath(s)}/versions/1`), 404, 40402);
    expectError(await sr.request('DELETE', `${subjectPath(s)}/versions/1?permanent=true`), 404, 40402);
  });

  it('survives a restart', async () => {
    const [v1, v2] = threeVersions();
    const { s } = await subjectWith('restart', [v1, v2]);
    expectStatus(await sr.request('DELETE', `${subjectPath(s)}/versions/2`), 200);
    await sr.restart();
    expect(await versionsOf(sr, s)).toEqual([1]);
    expectError(await sr.request('DELETE', `${subjectPath(s)}/versions/2`), 404, 40406);
    expectStatus(await sr.request('DELETE', `${subjectPath(s)}/versions/2?permanent=true`), 200);
  });
});
