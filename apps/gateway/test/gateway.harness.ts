// The gateway under test, in process, on a fresh database, with the real schema registry (the
// built service, as a process) holding every catalogue schema, and a real Kafka broker.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import { registerCatalogueSchemas } from '@rabt/contracts';
import { createDataSource, migrateDatabase, seedAgencies, serviceDatabaseUrl } from '@rabt/persistence';
import { createService } from '@rabt/runtime';
import { createThrowawayDatabase, kafkaEnv, startBuiltService, testStack, type ServiceProcess, type ThrowawayDatabase } from '@rabt/testing';
import { AppModule } from '../src/app.module';
import { loadGatewayConfig } from '../src/config/gateway.config';
import { configureGatewayHttp, gatewayExceptionFilter } from '../src/gateway.http';

export type Agency = 'mom' | 'rop' | 'moci' | 'ita';

export interface GatewayHarness {
  readonly url: string;
  readonly registryUrl: string;
  readonly db: DataSource;
  readonly keys: Record<Agency, string>;
  app(): NestFastifyApplication;
  /** Stops the gateway and starts it again (same database, same broker). */
  restart(env?: Record<string, string>): Promise<void>;
  /** A second gateway instance on the same database and broker; the caller closes it. */
  another(env?: Record<string, string>): Promise<{ url: string; app: NestFastifyApplication }>;
  close(): Promise<void>;
}

/** `databaseServer`: a PostgreSQL server of the test's own (an outage test stops it); the shared one by default. */
export async function startGateway(options: { kafkaBrokers?: string; databaseServer?: string; env?: Record<string, string> } = {}): Promise<GatewayHarness> {
  const database: ThrowawayDatabase = await createThrowawayDatabase('rabt_gateway_test', options.databaseServer);
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'gateway-test');
  const db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'gateway-test');
  await db.initialize();
  await seedAgencies(db);
  const issue = async (agency: string, roles: ('admin' | 'integrator')[] = []) => (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, agency, 'test', roles)).token;
  const keys: Record<Agency, string> = { mom: await issue('mom'), rop: await issue('rop'), moci: await issue('moci'), ita: await issue('ita', ['admin']) };
  const serviceKey = await issue('ita', ['integrator']);

  let registry: ServiceProcess | undefined;
  try {
    registry = await startBuiltService('schema-registry', { DATABASE_URL: serviceDatabaseUrl(database.url, 'schema-registry') }, 'SCHEMA_REGISTRY_PORT');
    await registerCatalogueSchemas(registry.url, { username: 'ita', password: serviceKey });
  } catch (e) {
    await registry?.stop();
    await db.destroy();
    await database.drop();
    throw e;
  }

  const baseEnv = {
    DATABASE_URL: serviceDatabaseUrl(database.url, 'gateway'),
    ...kafkaEnv('gateway', options.kafkaBrokers ?? testStack.kafkaBrokers),
    SCHEMA_REGISTRY_URL: registry.url,
    SCHEMA_REGISTRY_USERNAME: 'ita',
    SCHEMA_REGISTRY_PASSWORD: serviceKey,
    // Tests provoke failures on purpose (broker outages, bad input): only real errors are shown.
    LOG_LEVEL: 'error',
    ...options.env,
  };
  let app: NestFastifyApplication | undefined;
  let url = '';
  const instance = async (env: Record<string, string>) => {
    const config = loadGatewayConfig({ ...baseEnv, ...env });
    const created = await createService({ rootModule: AppModule.forRoot(config), config, exceptionFilter: gatewayExceptionFilter(), configure: configureGatewayHttp });
    await created.listen({ host: '127.0.0.1', port: 0 });
    const { port } = created.getHttpServer().address() as { port: number };
    return { app: created, url: `${config.values.http.tls.certFile ? 'https' : 'http'}://127.0.0.1:${port}` };
  };
  const start = async (env: Record<string, string> = {}) => {
    ({ app, url } = await instance(env));
  };
  await start();

  return {
    get url() {
      return url;
    },
    registryUrl: registry.url,
    db,
    keys,
    app: () => app!,
    another: (env = {}) => instance(env),
    async restart(env) {
      await app?.close();
      await start(env);
    },
    async close() {
      await app?.close();
      await registry?.stop();
      await db.destroy();
      await database.drop();
    },
  };
}
