/**
 * `npm run db:migrate`: creates the database if missing and applies pending migrations as the
 * owner role (migrateDatabase: as a superuser it also creates the roles; in production
 * DATABASE_URL names rabt_owner itself).
 */
import 'reflect-metadata';
import { databaseFragment, loadConfig } from '@rabt/config';
import { ensureDatabase, migrateDatabase } from '../database.admin';

async function main(): Promise<void> {
  const { database } = loadConfig('db:migrate', { database: databaseFragment() }).values;
  if (await ensureDatabase(database.url)) process.stdout.write('created the database\n');
  const applied = await migrateDatabase(database, 'db-migrate');
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'migrations up to date\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`db:migrate failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
