import { CliException, CliExceptionCode } from './cli.exception';

/** `e` as the CLI's DATABASE_NOT_MIGRATED when Postgres said a table does not exist (42P01), else `e`. */
export function notMigratedOr(e: unknown, tables: string): unknown {
  if ((e as { driverError?: { code?: string } }).driverError?.code === '42P01') {
    return new CliException(CliExceptionCode.DATABASE_NOT_MIGRATED, `the database has no ${tables} yet: run \`npm run db:migrate\` first`);
  }
  return e;
}

/** Runs `action` on a session from `open` and always closes it; a database without `tables` says so. */
export async function withDatabaseSession<S extends { close(): Promise<void> }, T>(open: () => Promise<S>, tables: string, action: (session: S) => Promise<T>): Promise<T> {
  const session = await open();
  try {
    return await action(session);
  } catch (e) {
    throw notMigratedOr(e, tables);
  } finally {
    await session.close();
  }
}
