import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import { AgencyEntity, createDataSource, MIGRATIONS, migrateDatabase } from '../src';

let db: ThrowawayDatabase;
let dataSource: DataSource;
const config = () => ({ url: db.url, poolMax: 4, ssl: false });

beforeAll(async () => {
  db = await createThrowawayDatabase();
});

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  await db.drop();
});

describe('migrations', () => {
  it('two migrators racing on an empty database apply each migration exactly once (advisory lock)', async () => {
    const [a, b] = await Promise.all([migrateDatabase(config(), 'migrator-a'), migrateDatabase(config(), 'migrator-b')]);
    expect([...a, ...b].sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    expect(await migrateDatabase(config(), 'migrator-c')).toEqual([]);
  });

  it('leaves the schema exactly as the entities describe it (no pending changes)', async () => {
    dataSource = createDataSource(config(), 'schema-check');
    await dataSource.initialize();
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('writes and reads a row through TypeORM', async () => {
    const agencies = dataSource.getRepository(AgencyEntity);
    await agencies.save({ code: 'mom', nameEn: 'Ministry of Manpower', nameAr: 'وزارة العمل', status: 'active' });
    const read = await agencies.findOneByOrFail({ code: 'mom' });
    expect(read).toMatchObject({ code: 'mom', nameEn: 'Ministry of Manpower', nameAr: 'وزارة العمل', status: 'active' });
    expect(read.createdAt).toBeInstanceOf(Date);
  });

  it('the database refuses what the domain forbids, whatever the caller', async () => {
    const agencies = dataSource.getRepository(AgencyEntity);
    await expect(agencies.insert({ code: 'Bad Code', nameEn: 'x', nameAr: 'x' })).rejects.toThrow(/CHK_agency_code/);
    await expect(agencies.insert({ code: 'rop', nameEn: 'x', nameAr: 'x', status: 'closed' as never })).rejects.toThrow(/CHK_agency_status/);
  });

  it('every migration can be reverted in order', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'rabt_migrations'`);
    expect(tables).toEqual([]);
  });
});
