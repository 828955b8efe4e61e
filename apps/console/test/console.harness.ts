// The whole bus for the console's browser tests, every service started from dist/: schema
// registry, gateway, router, dispatcher (short retry schedule), workflow and the ops service that
// serves the built console. MoM publishes through the gateway; ROP's receiver is down, so its
// deliveries become real dead letters that the dispatcher redelivers when they are replayed.
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createOperator, DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import { findCatalogueEntry, registerCatalogueSchemas } from '@rabt/contracts';
import type { OperatorRole } from '@rabt/ops-contracts';
import { createDataSource, migrateDatabase, seedAgencies, serviceDatabaseUrl, type ServiceName } from '@rabt/persistence';
import { RabtClient } from '@rabt/sdk';
import { createThrowawayDatabase, ephemeralBroker, startBuiltService, uniqueName, WORKSPACE_ROOT, type ServiceProcess } from '@rabt/testing';
import { startReceiver, type Receiver } from './receiver';

export const REPORTED = 'mom.employee.left-work-reported';
/** Subscribers of MoM's report in these tests, each with a receiver of its own. */
export const SUBSCRIBERS = ['rop', 'moci'] as const;

export interface ConsoleStack {
  readonly db: DataSource;
  readonly opsUrl: string;
  readonly registryUrl: string;
  readonly mom: RabtClient;
  readonly receivers: Readonly<Record<(typeof SUBSCRIBERS)[number], Receiver>>;
  /** A key of `agency` for the gateway. */
  readonly keys: Readonly<Record<string, string>>;
  /** Writes an operator account straight into the database (the first admin has no one to create it). */
  /** Registers a second version of REPORTED's subject with one more optional field; returns the subject. */
  evolveReportedSchema(): Promise<string>;
  createOperator(account: { username: string; password: string; role: OperatorRole; displayName: string; agency?: string }): Promise<void>;
  close(): Promise<void>;
}

/** Builds the stack on a Kafka broker of its own (ports 20392/20393) and a throwaway database. */
export async function startConsoleStack(): Promise<ConsoleStack> {
  const broker = ephemeralBroker(20392);
  const services: ServiceProcess[] = [];
  const receivers: Receiver[] = [];
  await broker.start();
  const database = await createThrowawayDatabase('rabt_console_test');
  const db = createDataSource({ url: database.url, poolMax: 2, ssl: false }, 'console-test');
  const close = async () => {
    for (const s of services.reverse()) await s.kill();
    for (const r of receivers) await r.close();
    if (db.isInitialized) await db.destroy();
    await database.drop();
    await broker.destroy();
  };
  try {
    await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'console-test');
    await db.initialize();
    await seedAgencies(db);
    const keys: Record<string, string> = {};
    for (const agency of ['mom', ...SUBSCRIBERS]) keys[agency] = (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, agency, 'console test')).token;
    const integrator = (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, 'ita', 'services', ['integrator'])).token;

    const registry = await startBuiltService('schema-registry', { DATABASE_URL: serviceDatabaseUrl(database.url, 'schema-registry') }, 'SCHEMA_REGISTRY_PORT');
    services.push(registry);
    await registerCatalogueSchemas(registry.url, { username: 'ita', password: integrator });
    const env: Record<string, string> = {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: broker.brokers,
      SCHEMA_REGISTRY_URL: registry.url,
      SCHEMA_REGISTRY_USERNAME: 'ita',
      SCHEMA_REGISTRY_PASSWORD: integrator,
      RABT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      ROUTER_SESSION_TIMEOUT_MS: '6000',
      ROUTER_SUBSCRIPTION_REFRESH_MS: '200',
      ROUTER_INSTANCE_ID: uniqueName('console-router'),
      DISPATCHER_SESSION_TIMEOUT_MS: '6000',
      DISPATCHER_SUBSCRIPTION_CACHE_MS: '200',
      DISPATCHER_TOPIC_REFRESH_MS: '1000',
      DISPATCHER_POLL_MS: '50',
      // Three quick attempts, then the dead letter.
      DISPATCHER_RETRY_SCHEDULE: '200ms,400ms',
      DISPATCHER_LEASE_GRACE_MS: '2000',
      // ROP's receiver is down on purpose: its circuit must not hold back the dead letters.
      DISPATCHER_BREAKER_FAILURES: '1000',
      GATEWAY_RATE_PER_SECOND: '100000',
      GATEWAY_RATE_BURST: '100000',
    };
    // Each service connects as its own database role.
    const as = (service: ServiceName) => ({ ...env, DATABASE_URL: serviceDatabaseUrl(database.url, service) });
    const gateway = await startBuiltService('gateway', as('gateway'), 'GATEWAY_PORT');
    services.push(gateway);
    const byAgency: Record<string, Receiver> = {};
    for (const agency of SUBSCRIBERS) {
      const granted = await gatewayCall(gateway.url, keys['mom']!, 'POST', '/v1/grants', { agency, eventType: REPORTED, permission: 'subscribe' });
      if (granted.status !== 201) throw new Error(`grant to ${agency}: ${granted.status} ${JSON.stringify(granted.body)}`);
      const receiver = await startReceiver();
      receivers.push(receiver);
      const created = await gatewayCall(gateway.url, keys[agency]!, 'POST', '/v1/subscriptions', { eventType: REPORTED, webhook: { url: receiver.url } });
      if (created.status !== 201) throw new Error(`subscription of ${agency}: ${created.status} ${JSON.stringify(created.body)}`);
      receiver.secret = String(created.body['webhookSecret']);
      byAgency[agency] = receiver;
    }
    byAgency['moci']!.healthy = true;
    services.push(await startBuiltService('router', as('router'), 'ROUTER_PORT'));
    services.push(await startBuiltService('dispatcher', as('dispatcher'), 'DISPATCHER_PORT'));
    services.push(await startBuiltService('workflow', { ...as('workflow'), WORKFLOW_GROUP_ID: uniqueName('rabt-workflow-console'), WORKFLOW_SESSION_TIMEOUT_MS: '6000', WORKFLOW_TIMER_POLL_MS: '200', WORKFLOW_OUTBOX_POLL_MS: '100' }, 'WORKFLOW_PORT'));
    const ops = await startBuiltService('ops', { ...as('ops'), OPS_CONSOLE_DIR: join(WORKSPACE_ROOT, 'dist/apps/console'), OPS_REPLAY_POLL_MS: '200' }, 'OPS_PORT');
    services.push(ops);

    return {
      db,
      opsUrl: ops.url,
      registryUrl: registry.url,
      mom: new RabtClient({ baseUrl: gateway.url, apiKey: keys['mom']!, agency: 'mom' }),
      receivers: byAgency as ConsoleStack['receivers'],
      keys,
      async evolveReportedSchema() {
        const entry = findCatalogueEntry(REPORTED)!;
        const schema = entry.schema;
        const evolved = { ...schema, fields: [...schema.fields, { name: 'consoleNote', type: ['null', 'string'], default: null, doc: 'Added by the console test to show a diff.' }] };
        await registerCatalogueSchemas(registry.url, { username: 'ita', password: integrator }, [{ subject: entry.subject, schema: evolved as never }]);
        return entry.subject;
      },
      async createOperator(account) {
        await createOperator(db.manager, account);
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

async function gatewayCall(url: string, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Signs in over HTTP and answers the session token, which only the rabt_ops_session cookie carries. */
export async function sessionToken(opsUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${opsUrl}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('rabt_ops_session='));
  if (res.status !== 200 || !cookie) throw new Error(`sign-in of ${username} failed: ${res.status}`);
  return decodeURIComponent(cookie.slice('rabt_ops_session='.length).split(';')[0]!);
}
