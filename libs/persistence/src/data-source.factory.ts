import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '@rabt/config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** Options every Rabt DataSource shares: never synchronize, migrations only by command. */
export function dataSourceOptions(config: DatabaseConfig, applicationName: string): DataSourceOptions {
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
    extra: { max: config.poolMax, connectionTimeoutMillis: 5000 },
  };
}

export function createDataSource(config: DatabaseConfig, applicationName: string): DataSource {
  return new DataSource(dataSourceOptions(config, applicationName));
}
