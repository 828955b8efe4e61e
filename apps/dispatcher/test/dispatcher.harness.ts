// The dispatcher under test on a fresh database, with the real schema registry (the built
// service, as a process) holding every catalogue schema, the shared Kafka broker, and inbox
// records written exactly as the router writes them. The dispatcher runs in process
// (`start`) or as the built service (`startBuilt`, for kill -9).
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { expect } from 'vitest';
import { DEVELOPMENT_PEPPER, DEVELOPMENT_SECRET_KEY, issueAgencyKey, SecretBox } from '@rabt/auth';
import { findCatalogueEntry, registerCatalogueSchemas } from '@rabt/contracts';
import { AvroSerde, commitGroupPositions, createKafka, EventProducer, toKafkaMessage, TopicAdmin, type GroupPosition, type KafkaClient } from '@rabt/kafka';
import { createDataSource, DeliveryAttemptEntity, DeliveryEntity, migrateDatabase, seedAgencies, serviceDatabaseUrl } from '@rabt/persistence';
import { createSubscription, inboxTopic, parseAllowList, type HostResolver } from '@rabt/routing';
import { createService } from '@rabt/runtime';
import { createThrowawayDatabase, eventually, kafkaConfigFor, kafkaEnv, startBuiltService, testStack, uniqueName, WORKSPACE_ROOT, type ServiceProcess, type ThrowawayDatabase } from '@rabt/testing';
import { AppModule } from '../src/app.module';
import { loadDispatcherConfig } from '../src/config/dispatcher.config';
import { SUBSCRIPTION_HEADER } from '@rabt/routing';
import { deliveryId } from '../src/intake/inbox-record';
import { startReceiver, type Receiver } from './receivers';

export const REPORTED = 'mom.employee.left-work-reported';

/** A valid payload of `type` from the golden fixtures, with the partition key set to `key`. */
export function dataFor(type: string, key: string): Record<string, unknown> {
  const dir = join(WORKSPACE_ROOT, 'test/fixtures', type, 'ok');
  const data = JSON.parse(readFileSync(join(dir, readdirSync(dir).sort()[0]!), 'utf8')) as Record<string, unknown>;
  return { ...data, [findCatalogueEntry(type)!.partitionKey]: key };
}

export interface TestSubscription {
  readonly id: string;
  readonly agency: string;
  readonly secret: string;
}

export interface InboxEvent {
  readonly key: string;
  readonly id?: string;
  readonly type?: string;
  readonly data?: Record<string, unknown>;
  readonly transactionid?: string;
}

export interface DispatcherHarness {
  readonly db: DataSource;
  readonly registryUrl: string;
  readonly box: SecretBox;
  /** What the dispatcher is started with (before per-start overrides). */
  readonly env: Readonly<Record<string, string>>;
  /** The in-process dispatcher's HTTP URL (health, metrics). */
  readonly url: string;
  start(env?: Record<string, string>): Promise<NestFastifyApplication>;
  stop(): Promise<void>;
  startBuilt(env?: Record<string, string>): Promise<ServiceProcess>;
  subscribe(agency: string, url: string, options?: { eventType?: string; resolve?: HostResolver; allowHosts?: string }): Promise<TestSubscription>;
  /** Writes one inbox record for `subscription` as the router would; returns the event id and its webhook-id. */
  toInbox(subscription: Pick<TestSubscription, 'id' | 'agency'>, event: InboxEvent): Promise<{ id: string; webhookId: string }>;
  /** Writes a record to an agency's inbox as given (for malformed input). */
  rawToInbox(agency: string, record: { key: string | null; value: Buffer; headers: Record<string, string> }): Promise<void>;
  readonly kafka: KafkaClient;
  deliveries(subscriptionId?: string): Promise<DeliveryEntity[]>;
  attempts(deliveryId: string): Promise<DeliveryAttemptEntity[]>;
  close(): Promise<void>;
}

/**
 * `databaseServer`: the PostgreSQL server of the dispatcher and the registry (default: the shared
 * test server); `kafkaBrokers`: the broker of the inboxes (default: the shared test broker).
 */
export async function startDispatcherHarness(env: Record<string, string> = {}, options: { databaseServer?: string; kafkaBrokers?: string } = {}): Promise<DispatcherHarness> {
  const brokers = options.kafkaBrokers ?? testStack.kafkaBrokers;
  const database: ThrowawayDatabase = await createThrowawayDatabase('rabt_dispatcher_test', options.databaseServer);
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'dispatcher-test');
  const db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'dispatcher-test');
  await db.initialize();
  await seedAgencies(db);
  const serviceKey = (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, 'ita', 'test', ['integrator'])).token;

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
  const registryUrl = registry.url;

  const baseEnv: Record<string, string> = {
    DATABASE_URL: serviceDatabaseUrl(database.url, 'dispatcher'),
    // The dispatcher's own certificate: the ACLs of User:service.dispatcher apply.
    ...kafkaEnv('dispatcher', brokers),
    SCHEMA_REGISTRY_URL: registryUrl,
    SCHEMA_REGISTRY_USERNAME: 'ita',
    SCHEMA_REGISTRY_PASSWORD: serviceKey,
    RABT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    // A group of its own: the shared broker's inbox topics hold other tests' records too.
    DISPATCHER_GROUP_ID: uniqueName('rabt-dispatcher-test'),
    DISPATCHER_RETRY_SCHEDULE: '200ms,400ms,800ms',
    DISPATCHER_TIMEOUT_MS: '1000',
    DISPATCHER_LEASE_GRACE_MS: '2000',
    DISPATCHER_POLL_MS: '50',
    LOG_LEVEL: 'error',
    ...env,
  };
  // The test writes inbox records as the router would and sets group positions: operator-admin.
  const kafka: KafkaClient = createKafka({ ...kafkaConfigFor('operator-admin', brokers), clientId: 'dispatcher-test' });
  const producer = new EventProducer(kafka);
  const serde = new AvroSerde({ url: registryUrl, username: 'ita', password: serviceKey, latestCacheMs: 60_000 });
  const box = SecretBox.fromBase64(DEVELOPMENT_SECRET_KEY);
  await startGroupAtTheEnd(kafka, baseEnv['DISPATCHER_GROUP_ID']!, db);
  const built: ServiceProcess[] = [];
  let app: NestFastifyApplication | undefined;
  let url = '';

  return {
    db,
    registryUrl,
    box,
    env: baseEnv,
    get url() {
      return url;
    },
    async start(overrides = {}) {
      const config = loadDispatcherConfig({ ...baseEnv, ...overrides });
      app = await createService({ rootModule: AppModule.forRoot(config), config });
      await app.listen({ host: '127.0.0.1', port: 0 });
      url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      return app;
    },
    async stop() {
      await app?.close();
      app = undefined;
    },
    async startBuilt(overrides = {}) {
      const service = await startBuiltService('dispatcher', { ...baseEnv, LOG_LEVEL: 'warn', ...overrides }, 'DISPATCHER_PORT');
      built.push(service);
      return service;
    },
    async subscribe(agency, webhookUrl, options = {}) {
      const created = await createSubscription(
        {
          manager: db.manager,
          actor: `agency:${agency}`,
          secrets: box,
          webhooks: { allowHosts: parseAllowList(options.allowHosts ?? '127.0.0.1'), previousSecretTtlMs: 3_600_000 },
          isGranted: async () => true,
          ...(options.resolve ? { resolve: options.resolve } : {}),
        },
        { agency, eventType: options.eventType ?? REPORTED, webhook: { url: webhookUrl } },
      );
      return { id: created.id, agency, secret: created.webhookSecret! };
    },
    async toInbox(subscription, event) {
      const type = event.type ?? REPORTED;
      const entry = findCatalogueEntry(type)!;
      const schemaId = await serde.latestId(entry.subject);
      const id = event.id ?? `evt-${randomUUID()}`;
      const source = `urn:rabt:agency:${entry.owner}`;
      const value = await serde.encode(schemaId, event.data ?? dataFor(type, event.key));
      const message = toKafkaMessage(
        { id, source, type, time: new Date().toISOString(), dataschema: `${registryUrl}/schemas/ids/${schemaId}`, partitionkey: event.key, transactionid: event.transactionid ?? randomUUID() },
        value,
      );
      await producer.sendRaw(inboxTopic(subscription.agency), [{ key: event.key, value, headers: { ...message.headers, [SUBSCRIPTION_HEADER]: subscription.id } }]);
      return { id, webhookId: deliveryId(subscription.id, source, id) };
    },
    async rawToInbox(agency, record) {
      await producer.sendRaw(inboxTopic(agency), [record]);
    },
    kafka,
    deliveries(subscriptionId) {
      return db.getRepository(DeliveryEntity).find({ where: subscriptionId ? { subscriptionId } : {}, order: { seq: 'ASC' } });
    },
    attempts(id) {
      return db.getRepository(DeliveryAttemptEntity).find({ where: { deliveryId: id }, order: { attemptNo: 'ASC', id: 'ASC' } });
    },
    async close() {
      await app?.close();
      for (const b of built) await b.kill();
      await producer.disconnect();
      await registry?.stop();
      await db.destroy();
      await database.drop();
    },
  };
}

/** Scrapes one metric from a service's /metrics. */
export { scrapeMetric as metric } from '@rabt/testing';

/**
 * The shared broker's inbox topics hold what earlier runs (and other suites) wrote: the test's
 * new consumer group starts at their current end, so it reads only this run's records.
 */
async function startGroupAtTheEnd(kafka: KafkaClient, groupId: string, db: DataSource): Promise<void> {
  const admin = new TopicAdmin(kafka, { partitions: 3, replicationFactor: 1 });
  try {
    const agencies: { code: string }[] = await db.query(`SELECT code FROM agency`);
    await admin.ensureTopics(agencies.map((a) => ({ name: inboxTopic(a.code) })));
    const positions: GroupPosition[] = [];
    for (const topic of (await admin.listTopics()).filter((t) => t.startsWith('rabt.inbox.'))) {
      for (const [partition, offset] of await admin.endOffsets(topic)) positions.push({ topic, partition, offset });
    }
    await commitGroupPositions(kafka, groupId, positions);
  } finally {
    await admin.disconnect();
  }
}

/**
 * One receiver per agency, each answering 204 after `delayMs`, each with a webhook subscription
 * of its agency: the stream a fault test delivers while it does its worst. `write` puts
 * `perSubscriber` inbox records in for every subscription, each with its own key (led by
 * `keyDigit`), pausing `pauseMs` after every ten. `processed` holds what receivers that
 * deduplicate by webhook-id act on.
 */
export async function subscribedReceivers(h: DispatcherHarness, agencies: readonly string[], delayMs: number) {
  const receivers: Receiver[] = [];
  for (const _ of agencies) receivers.push(await startReceiver(() => ({ status: 204, delayMs })));
  const subscriptions = await Promise.all(agencies.map((agency, i) => h.subscribe(agency, receivers[i]!.url)));
  const expected = new Set<string>();
  const processed = new Set<string>();
  const unique = (): number => {
    for (const r of receivers) for (const q of r.requests) processed.add(q.webhookId);
    return processed.size;
  };
  const raw = (): number => receivers.reduce((n, r) => n + r.requests.length, 0);
  return {
    expected,
    processed,
    total: (perSubscriber: number) => agencies.length * perSubscriber,
    async write(perSubscriber: number, keyDigit: string, pauseMs: number): Promise<void> {
      for (let e = 0; e < perSubscriber; e++) {
        const written = await Promise.all(subscriptions.map((s, i) => h.toInbox(s, { key: `${keyDigit}${i}${String(e).padStart(7, '0')}` })));
        for (const w of written) expected.add(w.webhookId);
        if (e % 10 === 9) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    },
    /** Webhook-ids processed so far. */
    unique,
    /** Requests received in all, duplicates included. */
    raw,
    /**
     * Waits until every event written is delivered, then checks that each has one delivery row
     * (though records may have been read again) and that the receivers processed each webhook-id.
     * Returns the raw duplicates: requests beyond one per event.
     */
    async deliveredOnceEach(timeoutMs: number): Promise<number> {
      await eventually(async () => unique() >= expected.size && (await h.deliveries()).every((d) => d.state === 'delivered'), timeoutMs, 200);
      const rows = await h.deliveries();
      expect(rows).toHaveLength(expected.size);
      expect(new Set(rows.map((d) => d.id))).toEqual(expected);
      expect(processed).toEqual(expected);
      return raw() - expected.size;
    },
    close: async () => {
      for (const r of receivers) await r.close();
    },
  };
}

export type SubscribedReceivers = Awaited<ReturnType<typeof subscribedReceivers>>;
