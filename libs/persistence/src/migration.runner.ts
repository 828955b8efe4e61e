import type { DataSource } from 'typeorm';

/** Arbitrary but fixed: every Rabt migrator takes this same advisory lock. */
export const MIGRATION_LOCK_KEY = 727_384_001;

/**
 * Applies pending migrations while holding a session-level Postgres advisory lock on a
 * connection of its own, so two migrators (two services starting, CI and a developer) never
 * interleave: the second waits, then finds nothing left to do. Each migration runs in its own
 * transaction.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lockRunner.release();
  }
}
