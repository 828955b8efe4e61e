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
  registerBody,
  registerOk,
  setMode,
  subjectNames,
  subjectPath,
  versionsOf,
} from './registry.helpers';

let sr: RegistryHarness;
const subject = subjectNames('mode');
const recordName = recordNames('ModeRec');

beforeAll(async () => {
  sr = await startRegistry();
});

afterAll(async () => {
  await sr?.close();
});

const modePath = (s: string) => `/mode/${encodeURIComponent(s)}`;

function pair(): { v1: AvroSchema; v2: AvroSchema } {
  const name = recordName();
  return { v1: record(name, [idField]), v2: record(name, [idField, { name: 'n', type: 'int', default: 0 }]) };
}

describe('global mode', () => {
  // First test of the file: nothing has changed the global mode yet.
  it('defaults to READWRITE', async () => {
    const res = await sr.request('GET', '/mode');
    expectStatus(res, 200);
    expect(res.body).toEqual({ mode: 'READWRITE' });
  });

  it('READONLY blocks registration and deletion in every subject with 42205, reads still work, READWRITE restores writes', async () => {
    const s = subject('global-ro');
    const { v1, v2 } = pair();
    const id = await registerOk(sr, s, v1);
    try {
      await setMode(sr, 'READONLY');
      expect((await sr.request('GET', '/mode')).body).toEqual({ mode: 'READONLY' });

      expectError(await register(sr, s, v2), 422, 42205);
      expectError(await register(sr, subject('global-ro-new'), v2), 422, 42205);
      expectError(await sr.request('DELETE', `${subjectPath(s)}/versions/1`), 422, 42205);
      expectError(await sr.request('DELETE', subjectPath(s)), 422, 42205);

      expect(await versionsOf(sr, s)).toEqual([1]);
      expect((await sr.request('GET', `/schemas/ids/${id}`)).status).toBe(200);
      expect((await lookup(sr, s, v1)).body).toMatchObject({ id, version: 1 });
    } finally {
      await setMode(sr, 'READWRITE');
    }
    expect((await sr.request('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
    await registerOk(sr, s, v2);
    expect(await versionsOf(sr, s)).toEqual([1, 2]);
  });

  it('a subject-level READWRITE mode overrides a global READONLY mode', async () => {
    const open = subject('override-open');
    const closed = subject('override-closed');
    await setMode(sr, 'READWRITE', open);
    try {
      await setMode(sr, 'READONLY');
      await registerOk(sr, open, pair().v1);
      expectError(await register(sr, closed, pair().v1), 422, 42205);
    } finally {
      await setMode(sr, 'READWRITE');
    }
  });

  it('rejects an unknown mode with 42204 and keeps the current one', async () => {
    expectError(await sr.request('PUT', '/mode', { body: { mode: 'WRITEONLY' } }), 422, 42204);
    expect((await sr.request('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
  });
});

describe('subject mode', () => {
  it('GET answers 40409 without a subject mode, and the global mode with defaultToGlobal=true', async () => {
    const s = subject('unset');
    await registerOk(sr, s, pair().v1);
    expectError(await sr.request('GET', modePath(s)), 404, 40409);
    const fallback = await sr.request('GET', `${modePath(s)}?defaultToGlobal=true`);
    expectStatus(fallback, 200);
    expect(fallback.body).toEqual({ mode: 'READWRITE' });
  });

  it('READONLY on one subject blocks writes there with 42205 and nowhere else', async () => {
    const s = subject('subject-ro');
    const other = subject('subject-ro-other');
    const { v1, v2 } = pair();
    await registerOk(sr, s, v1);
    await setMode(sr, 'READONLY', s);
    expect((await sr.request('GET', modePath(s))).body).toEqual({ mode: 'READONLY' });

    expectError(await register(sr, s, v2), 422, 42205);
    expectError(await sr.request('DELETE', `${subjectPath(s)}/versions/1`), 422, 42205);
    await registerOk(sr, other, v2);
    expect(await versionsOf(sr, s)).toEqual([1]);
    expectStatus(await sr.request('GET', `${subjectPath(s)}/versions/latest`), 200);
  });

  it('DELETE removes the subject mode, answering the old one, and writes resume', async () => {
    const s = subject('subject-delete');
    const { v1, v2 } = pair();
    await registerOk(sr, s, v1);
    await setMode(sr, 'READONLY', s);
    const res = await sr.request('DELETE', modePath(s));
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ mode: 'READONLY' });

    expectError(await sr.request('GET', modePath(s)), 404, 40409);
    await registerOk(sr, s, v2);
    expect(await versionsOf(sr, s)).toEqual([1, 2]);
  });

  it('setting READWRITE again after READONLY restores writes', async () => {
    const s = subject('subject-rw');
    const { v1, v2 } = pair();
    await registerOk(sr, s, v1);
    await setMode(sr, 'READONLY', s);
    expectError(await register(sr, s, v2), 422, 42205);
    await setMode(sr, 'READWRITE', s);
    expect((await sr.request('GET', modePath(s))).body).toEqual({ mode: 'READWRITE' });
    await registerOk(sr, s, v2);
  });

  it('rejects an unknown mode with 42204', async () => {
    const s = subject('invalid');
    expectError(await sr.request('PUT', modePath(s), { body: { mode: 'SOMETIMES' } }), 422, 42204);
    expectError(await sr.request('GET', modePath(s)), 404, 40409);
  });
});

describe('IMPORT mode', () => {
  const importBody = (schema: AvroSchema, id: number, version: number) => ({ ...registerBody(schema), id, version });

  it('keeps the id and version given in the body and skips compatibility checks', async () => {
    const s = subject('import');
    const name = recordName();
    const first = record(name, [idField]);
    // Not backward compatible with `first` (type change): only accepted because IMPORT skips checks.
    const second = record(name, [{ name: 'id', type: 'long' }]);
    await setMode(sr, 'IMPORT', s);
    expect((await sr.request('GET', modePath(s))).body).toEqual({ mode: 'IMPORT' });

    const a = await sr.request('POST', `${subjectPath(s)}/versions`, { body: importBody(first, 500, 5) });
    expectStatus(a, 200);
    expect(a.body).toMatchObject({ id: 500 });
    const b = await sr.request('POST', `${subjectPath(s)}/versions`, { body: importBody(second, 501, 7) });
    expectStatus(b, 200);
    expect(b.body).toMatchObject({ id: 501 });

    expect(await versionsOf(sr, s)).toEqual([5, 7]);
    const v5 = await sr.request('GET', `${subjectPath(s)}/versions/5`);
    expect(v5.body).toMatchObject({ subject: s, version: 5, id: 500 });
    const latest = await sr.request('GET', `${subjectPath(s)}/versions/latest`);
    expect(latest.body).toMatchObject({ subject: s, version: 7, id: 501 });
    expect(parseSchema((await sr.request('GET', '/schemas/ids/501')).body.schema)).toEqual(second);
    expect((await sr.request('GET', '/schemas/ids/500/versions')).body).toEqual([{ subject: s, version: 5 }]);
  });

  it('back in READWRITE, checks compatibility again, numbers after the imported versions and never reuses imported ids', async () => {
    const s = subject('import-then-rw');
    const name = recordName();
    await setMode(sr, 'IMPORT', s);
    const imported = await sr.request('POST', `${subjectPath(s)}/versions`, { body: importBody(record(name, [idField]), 600, 3) });
    expectStatus(imported, 200);

    await setMode(sr, 'READWRITE', s);
    expectError(await register(sr, s, record(name, [{ name: 'id', type: 'int' }])), 409, 409);
    const id = await registerOk(sr, s, record(name, [idField, { name: 'extra', type: 'string', default: '' }]));
    expect(id).not.toBe(600);
    expect(await versionsOf(sr, s)).toEqual([3, 4]);
    // A fresh schema elsewhere gets a fresh id too, not one of the imported ones.
    const fresh = await registerOk(sr, subject('import-fresh'), record(recordName(), [idField]));
    expect([500, 501, 600, id]).not.toContain(fresh);
  });

  it('refuses an explicit id in READWRITE mode with 42205', async () => {
    const s = subject('id-in-readwrite');
    const res = await sr.request('POST', `${subjectPath(s)}/versions`, { body: importBody(record(recordName(), [idField]), 700, 1) });
    expectError(res, 422, 42205);
    expectError(await sr.request('GET', '/schemas/ids/700'), 404, 40403);
  });

  it('cannot be entered on a subject that has schemas unless force=true', async () => {
    const s = subject('import-force');
    await registerOk(sr, s, pair().v1);
    expectError(await sr.request('PUT', modePath(s), { body: { mode: 'IMPORT' } }), 422, 42205);
    expectError(await sr.request('GET', modePath(s)), 404, 40409);
    const forced = await sr.request('PUT', `${modePath(s)}?force=true`, { body: { mode: 'IMPORT' } });
    expectStatus(forced, 200);
    expect(forced.body).toEqual({ mode: 'IMPORT' });
  });
});

describe('persistence', () => {
  it('keeps global and subject modes across a restart', async () => {
    const s = subject('restart');
    await registerOk(sr, s, pair().v1);
    await setMode(sr, 'READONLY', s);
    await sr.restart();
    expect((await sr.request('GET', modePath(s))).body).toEqual({ mode: 'READONLY' });
    expect((await sr.request('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
    expectError(await register(sr, s, pair().v2), 422, 42205);
  });
});
