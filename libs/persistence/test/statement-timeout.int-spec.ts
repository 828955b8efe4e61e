// Every connection of a service carries a statement_timeout (DATABASE_STATEMENT_TIMEOUT_MS): a
// runaway query is cancelled by Postgres instead of holding a connection and its locks.
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseFragment, loadConfig, loggingFragment, RabtConfigModule } from '@rabt/config';
import { testStack } from '@rabt/testing';
import { createDataSource, PersistenceModule } from '../src';

const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

/** The DataSource a service gets from PersistenceModule, configured from these variables. */
async function serviceDataSource(env: Record<string, string>): Promise<DataSource> {
  const config = loadConfig('timeout-test', { database: databaseFragment(), logging: loggingFragment('timeout-test') }, { DATABASE_URL: testStack.databaseUrl, ...env });
  const moduleRef = await Test.createTestingModule({ imports: [RabtConfigModule.forRoot(config), PersistenceModule.forRoot()] }).compile();
  await moduleRef.init();
  closers.push(() => moduleRef.close());
  return moduleRef.get(DataSource);
}

describe('statement_timeout on every connection', () => {
  it("cancels a statement of the service's data source that runs past DATABASE_STATEMENT_TIMEOUT_MS", async () => {
    const dataSource = await serviceDataSource({ DATABASE_STATEMENT_TIMEOUT_MS: '300' });
    const started = Date.now();
    const error = await dataSource.query('SELECT pg_sleep(5)').then(
      () => undefined,
      (e: unknown) => e as { driverError?: { code?: string }; message: string },
    );
    expect(error?.message).toMatch(/canceling statement due to statement timeout/);
    expect(error?.driverError?.code).toBe('57014');
    expect(Date.now() - started).toBeLessThan(4000);
    // The connection is still good for the next statement.
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('is 30 s on every pooled connection when not configured', async () => {
    const dataSource = await serviceDataSource({});
    const settings = await Promise.all(Array.from({ length: 3 }, () => dataSource.query('SHOW statement_timeout')));
    expect(settings.map((rows: { statement_timeout: string }[]) => rows[0]!.statement_timeout)).toEqual(['30s', '30s', '30s']);
  });

  it('also applies to a data source made with createDataSource (CLI, benches, tests)', async () => {
    const dataSource = createDataSource({ url: testStack.databaseUrl, poolMax: 1, ssl: false }, 'timeout-test');
    await dataSource.initialize();
    closers.push(() => dataSource.destroy());
    expect((await dataSource.query('SHOW statement_timeout'))[0].statement_timeout).toBe('30s');
  });
});
