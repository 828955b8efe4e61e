import { Client } from 'pg';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from '@rabt/config';
import { createDataSource, type DatabaseConnection } from './data-source.factory';
import { runMigrationsLocked } from './migration.runner';

const DB_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Creates the database named in `url` if it does not exist. Returns whether it created it. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!DB_NAME.test(name)) throw new Error(`database name ${JSON.stringify(name)} is not a plain identifier`);
  target.pathname = '/postgres';
  const client = new Client({ connectionString: target.toString(), connectionTimeoutMillis: 5000, statement_timeout: DEFAULT_STATEMENT_TIMEOUT_MS });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (e) {
      if ((e as { code?: string }).code === '42P04') return false; // created meanwhile by another process
      throw e;
    }
    return true;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!DB_NAME.test(name)) throw new Error(`database name ${JSON.stringify(name)} is not a plain identifier`);
  target.pathname = '/postgres';
  const client = new Client({ connectionString: target.toString(), connectionTimeoutMillis: 5000, statement_timeout: DEFAULT_STATEMENT_TIMEOUT_MS });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Applies every pending migration under the advisory lock; returns the names applied. Without a
 * statement timeout: a migrator waits for another's lock, and a migration may rebuild a large
 * table; both are run on purpose, by command.
 */
export async function migrateDatabase(config: DatabaseConnection, applicationName: string): Promise<string[]> {
  const dataSource = createDataSource({ ...config, statementTimeoutMs: 0 }, `rabt-${applicationName}`);
  await dataSource.initialize();
  try {
    return await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
