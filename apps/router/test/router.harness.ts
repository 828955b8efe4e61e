// The router under test on its own broker (fresh topics), a fresh database with agencies,
// grants and subscriptions, and the real schema registry (built service) holding every
// catalogue schema. Events are produced straight onto the catalogue topics, as the gateway does.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { expect } from 'vitest';
import { DEVELOPMENT_PEPPER, DEVELOPMENT_SECRET_KEY, issueAgencyKey, SecretBox } from '@rabt/auth';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { CATALOGUE, catalogueEntry, registerCatalogueSchemas } from '@rabt/contracts';
import { AvroSerde, createKafka, EventProducer, readMatching, TopicAdmin, type ConsumedRecord, type KafkaClient } from '@rabt/kafka';
import { createDataSource, migrateDatabase, seedAgencies, serviceDatabaseUrl } from '@rabt/persistence';
import { createSubscription, inboxTopic, parseAllowList } from '@rabt/routing';
import { createService } from '@rabt/runtime';
import { WORKSPACE_ROOT, createThrowawayDatabase, ephemeralBroker, eventually, kafkaEnv, startBuiltService, uniqueName, type EphemeralBroker, type ServiceProcess, type ThrowawayDatabase } from '@rabt/testing';
import { AppModule } from '../src/app.module';
import { loadRouterConfig } from '../src/config/router.config';

export const REPORTED = 'mom.employee.left-work-reported';

/**
 * `count` absconding reports (the golden fixture), ids `<prefix>-<n>` for n from `from`, each for
 * a worker of its own (the partition key), numbered from `firstWorker + from`: the stream the
 * fault tests route while they do their worst.
 */
export function absconding(prefix: string, from: number, count: number, firstWorker: number): { id: string; data: Record<string, unknown> }[] {
  const data = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'test/fixtures', REPORTED, 'ok', 'absconded-seeb.json'), 'utf8')) as Record<string, unknown>;
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${from + i}`, data: { ...data, workerCivilNumber: String(firstWorker + from + i) } }));
}

export interface RouterHarness {
  readonly broker: EphemeralBroker;
  readonly db: DataSource;
  readonly kafka: KafkaClient;
  readonly serde: AvroSerde;
  readonly routerEnv: Record<string, string>;
  /** Subscribes `agency` (granting it first unless told not to) and returns the subscription id. */
  subscribe(agency: string, type: string, options?: { filter?: string; projection?: string[]; grant?: boolean }): Promise<string>;
  /** Produces events of `type` (data objects) as the gateway would: Avro, CloudEvents headers, keyed. */
  publish(type: string, events: { id: string; data: Record<string, unknown> }[]): Promise<void>;
  /** Inbox records of `agency`, read committed, once `expected` arrived or `idleMs` passed. */
  inbox(agency: string, options?: { expected?: number; idleMs?: number; timeoutMs?: number; topicWaitMs?: number }): Promise<ConsumedRecord[]>;
  /** Records in `agency`'s inbox log, aborted attempts included (0 before the topic exists). */
  inboxLogEnd(agency: string): Promise<number>;
  /** Waits until `agency`'s inbox log holds `count` more records than now; returns the count it started from. */
  inboxGrows(agency: string, count: number): Promise<number>;
  /**
   * Publishes `absconding(prefix, …)` reports, 20 every 50 ms, until `stop()`, so that whatever a
   * test does meanwhile falls in the middle of a stream. `stop()` returns every event published.
   */
  streamAbsconding(prefix: string, firstWorker: number): { stop(): Promise<{ id: string }[]> };
  /** Waits for every one of `events` in each agency's inbox, then checks the whole log (read committed) holds each exactly once and nothing else. */
  expectEachOnceInInboxes(agencies: readonly string[], events: readonly { id: string }[]): Promise<void>;
  startInProcess(): Promise<NestFastifyApplication>;
  startProcess(overrides?: Record<string, string>): Promise<ServiceProcess>;
  close(): Promise<void>;
}

/** A broker of its own on `port`; `databaseServer`: the PostgreSQL server of the router and the registry (default: the shared test server). */
export async function startRouterHarness(port: number, options: { databaseServer?: string } = {}): Promise<RouterHarness> {
  const broker = ephemeralBroker(port);
  await broker.start();
  const database: ThrowawayDatabase = await createThrowawayDatabase('rabt_router_test', options.databaseServer);
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'router-test');
  const db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'router-test');
  await db.initialize();
  await seedAgencies(db);
  const integrator = (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, 'ita', 'router', ['integrator'])).token;
  const registry = await startBuiltService('schema-registry', { DATABASE_URL: serviceDatabaseUrl(database.url, 'schema-registry') }, 'SCHEMA_REGISTRY_PORT');
  const serde = new AvroSerde({ url: registry.url, username: 'ita', password: integrator, latestCacheMs: 60_000 });
  await registerCatalogueSchemas(registry.url, { username: 'ita', password: integrator });
  const { kafka: kafkaConfig } = loadConfig('router-test', { kafka: kafkaFragment('router-test') }, kafkaEnv('operator-admin', broker.brokers)).values;
  const kafka = createKafka(kafkaConfig);
  const admin = new TopicAdmin(kafka, { partitions: 3, replicationFactor: 1 });
  await admin.ensureTopics(CATALOGUE.map((e) => ({ name: e.topic, partitions: e.partitions })));
  const producer = new EventProducer(kafka);
  const routerEnv = {
    DATABASE_URL: serviceDatabaseUrl(database.url, 'router'),
    ...broker.kafkaEnv('router'),
    SCHEMA_REGISTRY_URL: registry.url,
    SCHEMA_REGISTRY_USERNAME: 'ita',
    SCHEMA_REGISTRY_PASSWORD: integrator,
    ROUTER_INSTANCE_ID: uniqueName('router-test'),
    ROUTER_SUBSCRIPTION_REFRESH_MS: '200',
    ROUTER_SESSION_TIMEOUT_MS: '6000',
    LOG_LEVEL: 'error',
  };
  const apps: NestFastifyApplication[] = [];
  const processes: ServiceProcess[] = [];
  const secrets = SecretBox.fromBase64(DEVELOPMENT_SECRET_KEY);

  const harness: RouterHarness = {
    broker,
    db,
    kafka,
    serde,
    routerEnv,
    async subscribe(agency, type, options = {}) {
      const owner = catalogueEntry(type).owner;
      if (options.grant !== false && agency !== owner) {
        await db.query(`INSERT INTO agency_grant (agency_code, event_type, permission, granted_by) VALUES ($1, $2, 'subscribe', $3) ON CONFLICT DO NOTHING`, [agency, type, owner]);
      }
      const created = await createSubscription(
        { manager: db.manager, actor: 'agency:test', secrets, webhooks: { allowHosts: parseAllowList(''), previousSecretTtlMs: 0 } },
        { agency, eventType: type, inbox: true, ...(options.filter ? { filter: options.filter } : {}), ...(options.projection ? { projection: options.projection } : {}) },
      );
      return created.id;
    },
    async publish(type, events) {
      const entry = catalogueEntry(type);
      const id = await serde.latestId(entry.subject);
      const encoded = [];
      for (const e of events) {
        encoded.push({
          attributes: { id: e.id, source: `urn:rabt:agency:${entry.owner}`, type, partitionkey: String(e.data[entry.partitionKey]), dataschema: `${registry.url}/schemas/ids/${id}`, time: new Date().toISOString() },
          value: await serde.encode(id, e.data),
        });
      }
      await producer.publish(entry.topic, encoded);
    },
    async inbox(agency, options = {}) {
      // The router creates an inbox topic when it first routes to that agency.
      const topic = inboxTopic(agency);
      const deadline = Date.now() + (options.topicWaitMs ?? 20_000);
      while (!(await admin.listTopics()).includes(topic)) {
        if (Date.now() > deadline) return [];
        await new Promise((r) => setTimeout(r, 200));
      }
      // With an expected count, wait for it (a restarted router first waits out the old session).
      return readMatching(kafka, topic, () => true, { idleMs: options.expected === undefined ? 3000 : 30_000, timeoutMs: 60_000, ...options });
    },
    async inboxLogEnd(agency) {
      const topic = inboxTopic(agency);
      if (!(await admin.listTopics()).includes(topic)) return 0;
      return [...(await admin.endOffsets(topic)).values()].reduce((n, o) => n + Number(o), 0);
    },
    async inboxGrows(agency, count) {
      const from = await harness.inboxLogEnd(agency);
      await eventually(async () => (await harness.inboxLogEnd(agency)) >= from + count, 60_000, 20);
      return from;
    },
    streamAbsconding(prefix, firstWorker) {
      let published = 0;
      let publishing = true;
      const publisher = (async () => {
        while (publishing) {
          await harness.publish(REPORTED, absconding(prefix, published, 20, firstWorker));
          published += 20;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      return {
        async stop() {
          publishing = false;
          await publisher;
          return absconding(prefix, 0, published, firstWorker);
        },
      };
    },
    async expectEachOnceInInboxes(agencies, events) {
      // First wait until each inbox holds as many records as there are events; then read each
      // log again in full, until 5 s pass without a record, so a duplicate that comes after all
      // the events' first copies (a later partition, a later transaction) is counted too.
      await Promise.all(agencies.map((agency) => harness.inbox(agency, { expected: events.length, timeoutMs: 120_000 })));
      const inboxes = await Promise.all(agencies.map((agency) => harness.inbox(agency, { idleMs: 5_000, timeoutMs: 120_000 })));
      for (const [i, records] of inboxes.entries()) {
        const ids = records.map((r) => r.headers['ce_id']);
        expect(new Set(ids), `${agencies[i]}: every event`).toEqual(new Set(events.map((e) => e.id)));
        expect(ids.length, `${agencies[i]}: records (no duplicates)`).toBe(events.length);
      }
    },
    async startInProcess() {
      const config = loadRouterConfig(routerEnv);
      const app = await createService({ rootModule: AppModule.forRoot(config), config });
      await app.init();
      apps.push(app);
      return app;
    },
    async startProcess(overrides = {}) {
      const p = await startBuiltService('router', { ...routerEnv, ...overrides }, 'ROUTER_PORT');
      processes.push(p);
      return p;
    },
    async close() {
      for (const app of apps) await app.close().catch(() => undefined);
      for (const p of processes) await p.kill();
      await producer.disconnect();
      await admin.disconnect();
      await registry.stop();
      await db.destroy();
      await database.drop();
      await broker.destroy();
    },
  };
  return harness;
}
