// Schema ids: who may choose one (platform admins, in IMPORT mode), which ids are valid, and how
// automatic ids come from a Postgres sequence that imported ids can never exhaust or collide with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createDataSource, migrateDatabase, MIGRATIONS } from '@rabt/persistence';
import { createThrowawayDatabase } from '@rabt/testing';
import { type Principal, type RegistryHarness, startRegistry } from './registry.harness';
import {
  type AvroSchema,
  expectError,
  expectStatus,
  idField,
  record,
  recordNames,
  register,
  registerBody,
  registerOk,
  setMode,
  show,
  subjectNames,
  subjectPath,
  versionsOf,
} from './registry.helpers';

let sr: RegistryHarness;
const subject = subjectNames('ids');
const recordName = recordNames('IdsRec');
const MAX_ID = 2 ** 31 - 1;

beforeAll(async () => {
  sr = await startRegistry();
});

afterAll(async () => {
  await sr?.close();
});

const modePath = (s: string) => `/mode/${encodeURIComponent(s)}`;
const schema = () => record(recordName(), [idField]);
const importBody = (body: AvroSchema, id: unknown, version?: unknown) => ({ ...registerBody(body), id, ...(version === undefined ? {} : { version }) });
const importAs = (s: string, body: AvroSchema, id: unknown, as: Principal = 'admin', version?: unknown) =>
  sr.request('POST', `${subjectPath(s)}/versions`, { body: importBody(body, id, version), as });

/** Everything a write could change, to show that a refusal changed nothing. */
async function registryState(): Promise<unknown> {
  return {
    schemas: await sr.query('SELECT id, fingerprint FROM sr_schema ORDER BY id'),
    versions: await sr.query('SELECT subject, version, schema_id, deleted FROM sr_subject_version ORDER BY subject, version'),
    settings: await sr.query('SELECT subject, compatibility, mode FROM sr_setting ORDER BY subject'),
  };
}

describe('IMPORT mode and explicit ids are for platform admins only', () => {
  it('the attack: an agency key puts an empty subject of its own into IMPORT mode and registers id 2^31-1; both are refused 40301', async () => {
    const own = subject('attack');
    const before = await registryState();

    expectError(await sr.request('PUT', modePath(own), { body: { mode: 'IMPORT' }, as: 'mom' }), 403, 40301);
    expectError(await sr.request('PUT', `${modePath(own)}?force=true`, { body: { mode: 'import' }, as: 'mom' }), 403, 40301);
    expectError(await importAs(own, schema(), MAX_ID, 'mom', 1), 403, 40301);

    expect(await registryState()).toEqual(before);
    expectError(await sr.request('GET', modePath(own)), 404, 40409);
    expectError(await sr.request('GET', `/schemas/ids/${MAX_ID}`), 404, 40403);
    // Everyone else keeps registering.
    const id = await registerOk(sr, subject('after-attack', 'rop'), schema(), { as: 'rop' });
    expect(id).toBeLessThan(1000);
  });

  it.each<Principal>(['mom-admin', 'integrator', 'platform'])('%s may not set IMPORT on a subject or globally, nor give an id', async (as) => {
    const own = as === 'integrator' ? subject('roles', 'moh') : subject('roles', as === 'platform' ? 'ita' : 'mom');
    const before = await registryState();
    expectError(await sr.request('PUT', modePath(own), { body: { mode: 'IMPORT' }, as }), 403, 40301);
    expectError(await sr.request('PUT', '/mode?force=true', { body: { mode: 'IMPORT' }, as }), 403, 40301);
    expectError(await importAs(own, schema(), 900_000, as, 1), 403, 40301);
    expect(await registryState()).toEqual(before);
    expect((await sr.request('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
  });

  it('while a platform admin has a subject in IMPORT mode, its owner may neither give ids nor register unchecked versions', async () => {
    const own = subject('owner-in-import');
    const name = recordName();
    await setMode(sr, 'IMPORT', own);
    const before = await registryState();
    expectError(await importAs(own, record(name, [idField]), 910_000, 'mom', 3), 403, 40301);
    expectError(await register(sr, own, record(name, [idField]), { as: 'mom' }), 403, 40301);
    // Nor leave IMPORT mode behind the admin's back by dropping or replacing it.
    expectError(await sr.request('DELETE', modePath(own), { as: 'mom' }), 403, 40301);
    expectError(await sr.request('PUT', modePath(own), { body: { mode: 'READWRITE' }, as: 'mom' }), 403, 40301);
    expect(await registryState()).toEqual(before);

    const imported = await importAs(own, record(name, [idField]), 910_000, 'admin', 3);
    expectStatus(imported, 200);
    expect(imported.body).toEqual({ id: 910_000 });
    await setMode(sr, 'READWRITE', own);
    await registerOk(sr, own, record(name, [idField, { name: 'n', type: 'int', default: 0 }]), { as: 'mom' });
    expect(await versionsOf(sr, own)).toEqual([3, 4]);
  });

  it('an inherited global IMPORT mode gives agencies no import rights either', async () => {
    const own = subject('global-import');
    try {
      expectStatus(await sr.request('PUT', '/mode?force=true', { body: { mode: 'IMPORT' } }), 200);
      const before = await registryState();
      expectError(await importAs(own, schema(), 920_000, 'mom', 1), 403, 40301);
      expectError(await register(sr, own, schema(), { as: 'mom' }), 403, 40301);
      expect(await registryState()).toEqual(before);
    } finally {
      await sr.request('PUT', '/mode', { body: { mode: 'READWRITE' } });
    }
    expect((await sr.request('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
  });
});

describe('explicit ids are checked', () => {
  it.each<[string, unknown]>([
    ['zero', 0],
    ['negative', -7],
    ['2^31', 2 ** 31],
    ['far too large', 1e15],
    ['a fraction', 1.5],
    ['a string', '12'],
    ['a boolean', true],
    ['an object', { id: 1 }],
  ])('an id that is %s is refused 400 and stores nothing', async (_, id) => {
    const s = subject('range');
    await setMode(sr, 'IMPORT', s);
    const before = await registryState();
    const res = await importAs(s, schema(), id, 'admin', 1);
    expectError(res, 400, 400);
    expect(res.body.message).toMatch(/id must be an integer between 1 and 2147483647/);
    expect(await registryState()).toEqual(before);
  });

  it.each<[string, unknown]>([
    ['zero', 0],
    ['2^31', 2 ** 31],
    ['a string', '2'],
  ])('an imported version that is %s is refused 42202', async (_, version) => {
    const s = subject('version-range');
    await setMode(sr, 'IMPORT', s);
    const before = await registryState();
    expectError(await importAs(s, schema(), 930_000, 'admin', version), 422, 42202);
    expect(await registryState()).toEqual(before);
  });

  it('an id that another schema holds, or a second id for one schema, is refused 42205', async () => {
    const s = subject('collide');
    const taken = await registerOk(sr, subject('collide-owner'), record(recordName(), [idField]));
    const reused = record(recordName(), [idField]);
    await setMode(sr, 'IMPORT', s);
    const before = await registryState();
    expectError(await importAs(s, schema(), taken, 'admin', 1), 422, 42205);
    expect(await registryState()).toEqual(before);

    expectStatus(await importAs(s, reused, 940_000, 'admin', 1), 200);
    expectError(await importAs(subject('collide-again'), reused, 940_001, 'admin', 1), 422, 42205);
  });
});

describe('automatic ids come from a sequence', () => {
  it('after a platform admin imports id 2^31-1, every later registration still gets an id', async () => {
    const s = subject('import-max');
    await setMode(sr, 'IMPORT', s);
    const imported = await importAs(s, schema(), MAX_ID, 'admin', 1);
    expectStatus(imported, 200);
    expect(imported.body).toEqual({ id: MAX_ID });
    await setMode(sr, 'READWRITE', s);

    const ids: number[] = [];
    for (const [as, owner] of [['mom', 'mom'], ['rop', 'rop'], ['admin', 'mom']] as const) {
      const res = await register(sr, subject('after-max', owner), schema(), { as });
      expect(res.status, show(res)).toBe(200);
      ids.push(res.body.id as number);
    }
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toBeLessThan(MAX_ID);
    expect((await sr.request('GET', `/schemas/ids/${MAX_ID}`)).status).toBe(200);
  });

  it('skips ids that were imported ahead of it, and never hands out an imported id', async () => {
    const next = (await registerOk(sr, subject('seq-probe'), schema())) + 1;
    const s = subject('import-ahead');
    await setMode(sr, 'IMPORT', s);
    for (const [i, id] of [next, next + 1, next + 3].entries()) expectStatus(await importAs(s, schema(), id, 'admin', i + 1), 200);
    await setMode(sr, 'READWRITE', s);

    const fresh: number[] = [];
    for (let i = 0; i < 3; i++) fresh.push(await registerOk(sr, subject('after-ahead'), schema(), { as: 'mom' }));
    expect(fresh).toEqual([next + 2, next + 4, next + 5]);
  });

  it('keeps counting across a restart', async () => {
    const before = await registerOk(sr, subject('restart'), schema());
    await sr.restart();
    const after = await registerOk(sr, subject('restart'), schema());
    expect(after).toBe(before + 1);
  });

  it('a subject whose last version number was imported refuses further versions 42205, not 500', async () => {
    const s = subject('last-version');
    const name = recordName();
    await setMode(sr, 'IMPORT', s);
    expectStatus(await importAs(s, record(name, [idField]), 950_000, 'admin', MAX_ID), 200);
    await setMode(sr, 'READWRITE', s);
    const before = await registryState();
    expectError(await register(sr, s, record(name, [idField, { name: 'n', type: 'int', default: 0 }]), { as: 'mom' }), 422, 42205);
    expect(await registryState()).toEqual(before);
    expect(await versionsOf(sr, s)).toEqual([MAX_ID]);
  });
});

describe('the migration that creates the sequence', () => {
  it('starts it past the highest id already stored', async () => {
    const db = await createThrowawayDatabase('rabt_registry_seq');
    const config = { url: db.url, poolMax: 2, ssl: false };
    const sequenceMigration = MIGRATIONS.findIndex((m) => m.name.startsWith('SchemaIdSequence'));
    expect(sequenceMigration).toBeGreaterThan(0);
    const earlier = createDataSource(config, 'seq-earlier');
    earlier.setOptions({ migrations: MIGRATIONS.slice(0, sequenceMigration) });
    let after: DataSource | undefined;
    try {
      await earlier.initialize();
      await earlier.runMigrations();
      for (const id of [1, 2, 41]) {
        await earlier.query(`INSERT INTO sr_schema (id, fingerprint, schema_text) VALUES ($1, $2, '"string"')`, [id, String(id).padStart(64, '0')]);
      }
      await earlier.destroy();
      await migrateDatabase(config, 'seq-later');
      after = createDataSource(config, 'seq-after');
      await after.initialize();
      const [{ next }] = await after.query(`SELECT nextval('sr_schema_id_seq')::int AS next`);
      expect(next).toBe(42);
    } finally {
      if (earlier.isInitialized) await earlier.destroy();
      if (after?.isInitialized) await after.destroy();
      await db.drop();
    }
  });
});
