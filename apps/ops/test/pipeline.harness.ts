// Real dead letters: gateway → router → dispatcher on a broker of the test's own (ports
// 20292–20293, so the shared broker's old records never reach this database), with receivers
// that fail until told to recover. The ops service runs as the built service (for kill -9).
import { createServer, type Server } from 'node:http';
import type { DataSource } from 'typeorm';
import { DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import { registerCatalogueSchemas } from '@rabt/contracts';
import { createDataSource, migrateDatabase, seedAgencies, serviceDatabaseUrl } from '@rabt/persistence';
import { RabtClient, verifyWebhook } from '@rabt/sdk';
import { createThrowawayDatabase, ephemeralBroker, startBuiltService, type EphemeralBroker, type ServiceProcess, type ThrowawayDatabase } from '@rabt/testing';

export const REPORTED = 'mom.employee.left-work-reported';

/** A receiver that answers 503 while `failing`, then 204; counts the 2xx answers per webhook-id. */
export interface Receiver {
  readonly url: string;
  secret: string;
  failing: boolean;
  /** webhook-id → deliveries answered 2xx. */
  readonly delivered: Map<string, number>;
  failedCalls: number;
  close(): Promise<void>;
}

export async function receiver(): Promise<Receiver> {
  const r: Receiver = { url: '', secret: '', failing: true, delivered: new Map(), failedCalls: 0, close: () => new Promise((res) => server.close(() => res())) };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (r.failing) {
        r.failedCalls++;
        res.writeHead(503).end('down for maintenance');
        return;
      }
      try {
        verifyWebhook(r.secret, req.headers as Record<string, string>, Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(401).end();
        return;
      }
      const id = String(req.headers['webhook-id']);
      r.delivered.set(id, (r.delivered.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  (r as { url: string }).url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  return r;
}

export interface Pipeline {
  readonly broker: EphemeralBroker;
  readonly database: ThrowawayDatabase;
  readonly db: DataSource;
  readonly services: Record<string, ServiceProcess>;
  readonly env: Record<string, string>;
  readonly mom: RabtClient;
  /** Calls the gateway as `agency`. */
  gateway(method: string, path: string, agency: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startPipeline(agencies: readonly string[]): Promise<Pipeline> {
  const broker = ephemeralBroker(20292);
  await broker.start();
  const database = await createThrowawayDatabase('rabt_ops_pipeline');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'ops-pipeline');
  const db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'ops-pipeline');
  await db.initialize();
  await seedAgencies(db);
  const keys: Record<string, string> = {};
  for (const agency of ['mom', ...agencies]) keys[agency] = (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, agency, 'ops pipeline test')).token;
  const integrator = (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, 'ita', 'services', ['integrator'])).token;
  const services: Record<string, ServiceProcess> = {};
  services['schema-registry'] = await startBuiltService('schema-registry', { DATABASE_URL: serviceDatabaseUrl(database.url, 'schema-registry') }, 'SCHEMA_REGISTRY_PORT');
  await registerCatalogueSchemas(services['schema-registry'].url, { username: 'ita', password: integrator });
  // Each service connects as its own role; the dispatcher's is the default here.
  const env: Record<string, string> = {
    DATABASE_URL: serviceDatabaseUrl(database.url, 'dispatcher'),
    KAFKA_BROKERS: broker.brokers,
    SCHEMA_REGISTRY_URL: services['schema-registry'].url,
    SCHEMA_REGISTRY_USERNAME: 'ita',
    SCHEMA_REGISTRY_PASSWORD: integrator,
    RABT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    ROUTER_SESSION_TIMEOUT_MS: '6000',
    ROUTER_SUBSCRIPTION_REFRESH_MS: '200',
    DISPATCHER_SESSION_TIMEOUT_MS: '6000',
    DISPATCHER_SUBSCRIPTION_CACHE_MS: '200',
    DISPATCHER_TOPIC_REFRESH_MS: '1000',
    DISPATCHER_POLL_MS: '50',
    // Three quick attempts, then the dead letter; no circuit breaking, so every delivery gets them.
    DISPATCHER_RETRY_SCHEDULE: '100ms,100ms',
    DISPATCHER_BREAKER_FAILURES: '1000000',
    DISPATCHER_ENDPOINT_CONCURRENCY: '16',
    DISPATCHER_LEASE_GRACE_MS: '2000',
    GATEWAY_RATE_PER_SECOND: '100000',
    GATEWAY_RATE_BURST: '100000',
  };
  services['gateway'] = await startBuiltService('gateway', { ...env, DATABASE_URL: serviceDatabaseUrl(database.url, 'gateway') }, 'GATEWAY_PORT');
  const gateway = async (method: string, path: string, agency: string, body?: unknown) => {
    const res = await fetch(`${services['gateway']!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${keys[agency]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  services['router'] = await startBuiltService('router', { ...env, DATABASE_URL: serviceDatabaseUrl(database.url, 'router') }, 'ROUTER_PORT');
  services['dispatcher'] = await startBuiltService('dispatcher', env, 'DISPATCHER_PORT');
  return {
    broker,
    database,
    db,
    services,
    env,
    mom: new RabtClient({ baseUrl: services['gateway'].url, apiKey: keys['mom']!, agency: 'mom' }),
    gateway,
    async close() {
      for (const s of Object.values(services)) await s.kill();
      await db.destroy();
      await database.drop();
      await broker.destroy();
    },
  };
}
