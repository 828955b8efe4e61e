import { DataSource, type DataSourceOptions } from 'typeorm';
import { DEFAULT_STATEMENT_TIMEOUT_MS, type DatabaseConfig } from '@rabt/config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** Where and how to connect; without `statementTimeoutMs` the default ceiling applies. */
export type DatabaseConnection = Pick<DatabaseConfig, 'url' | 'poolMax' | 'ssl'> & {
  readonly statementTimeoutMs?: number;
  /** A role every connection takes on at start (`SET ROLE`): the migration runner's owner role. */
  readonly role?: string;
};

/**
 * Options every Rabt DataSource shares: never synchronize, migrations only by command, and a
 * `statement_timeout` on every connection, so that no query (a runaway plan, a lock wait) holds
 * a connection and its locks for longer than the ceiling (0: none).
 */
export function dataSourceOptions(config: DatabaseConnection, applicationName: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.url,
    ssl: config.ssl ? { rejectUnauthorized: true } : false,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'rabt_migrations',
    synchronize: false,
    migrationsRun: false,
    // Failed queries surface as exceptions to the caller, who decides what is worth logging.
    logging: ['warn', 'migration'],
    applicationName,
    extra: {
      max: config.poolMax,
      connectionTimeoutMillis: 5000,
      statement_timeout: config.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      ...(config.role ? { options: `-c role=${config.role}` } : {}),
    },
  };
}

export function createDataSource(config: DatabaseConnection, applicationName: string): DataSource {
  return new DataSource(dataSourceOptions(config, applicationName));
}
