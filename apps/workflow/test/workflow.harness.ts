// The workflow service under test on its own broker (fresh topics) and a fresh database, with the
// real schema registry (built service) holding every catalogue schema. Agencies' events are
// produced straight onto the catalogue topics, as the gateway does (Avro, CloudEvents headers,
// transactionid), and the service's state is read back from Postgres and Kafka.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { CATALOGUE, catalogueEntry, registerCatalogueSchemas } from '@rabt/contracts';
import { AvroSerde, createKafka, EventProducer, readMatching, TopicAdmin, type ConsumedRecord, type KafkaClient } from '@rabt/kafka';
import { createDataSource, migrateDatabase, seedAgencies, WorkflowStepEntity, WorkflowTransactionEntity, serviceDatabaseUrl } from '@rabt/persistence';
import { createService } from '@rabt/runtime';
import { WORKSPACE_ROOT, createThrowawayDatabase, ephemeralBroker, kafkaEnv, startBuiltService, uniqueName, type EphemeralBroker, type ServiceProcess, type ThrowawayDatabase } from '@rabt/testing';
import { AppModule } from '../src/app.module';
import { loadWorkflowConfig } from '../src/config/workflow.config';
import { loadWorkflowDefinitions } from '../src/definitions/workflow-definitions';

export const REPORTED = 'mom.employee.left-work-reported';
export const ROP = 'rop.residence.absconding-registered';
export const MOCI = 'moci.employer.labour-record-updated';
export const MOM = 'mom.work-permit.suspended';
export const WITHDRAWN = 'mom.employee.left-work-withdrawn';
export const ROP_UNDO = 'rop.residence.absconding-cancelled';
export const MOCI_UNDO = 'moci.employer.labour-record-reverted';
export const MOM_UNDO = 'mom.work-permit.reinstated';

/** The first ok/ golden fixture of a type. */
export function fixture(type: string): Record<string, unknown> {
  const dir = join(WORKSPACE_ROOT, 'test/fixtures', type, 'ok');
  return JSON.parse(readFileSync(join(dir, readdirSync(dir).sort()[0]!), 'utf8')) as Record<string, unknown>;
}

export interface TransactionRow {
  readonly tx: WorkflowTransactionEntity | null;
  readonly steps: WorkflowStepEntity[];
}

export interface WorkflowHarness {
  readonly broker: EphemeralBroker;
  readonly db: DataSource;
  readonly kafka: KafkaClient;
  readonly serde: AvroSerde;
  readonly env: Record<string, string>;
  /**
   * Publishes one event of `type` for transaction `transactionId` as its owner would (id = event
   * id), or as `agency` would with a publish grant on it.
   */
  publish(type: string, transactionId: string, id: string, data?: Record<string, unknown>, agency?: string): Promise<void>;
  transaction(id: string): Promise<TransactionRow>;
  /** How many outbox rows of `type` the transaction has (optionally for one step). */
  emitted(transactionId: string, type: string, step?: string): Promise<number>;
  /** rabt.transaction.* records of one transaction on Kafka. */
  read(type: string, transactionId: string, expected: number): Promise<ConsumedRecord[]>;
  startInProcess(env?: Record<string, string>): Promise<NestFastifyApplication>;
  startProcess(env?: Record<string, string>): Promise<ServiceProcess>;
  close(): Promise<void>;
}

export async function startWorkflowHarness(port: number, env: Record<string, string> = {}): Promise<WorkflowHarness> {
  const broker = ephemeralBroker(port);
  await broker.start();
  const database: ThrowawayDatabase = await createThrowawayDatabase('rabt_workflow_test');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'workflow-test');
  const db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'workflow-test');
  await db.initialize();
  await seedAgencies(db);
  const integrator = (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, 'ita', 'workflow', ['integrator'])).token;
  const registry = await startBuiltService('schema-registry', { DATABASE_URL: serviceDatabaseUrl(database.url, 'schema-registry') }, 'SCHEMA_REGISTRY_PORT');
  const serde = new AvroSerde({ url: registry.url, username: 'ita', password: integrator, latestCacheMs: 60_000 });
  await registerCatalogueSchemas(registry.url, { username: 'ita', password: integrator });
  const { kafka: kafkaConfig } = loadConfig('workflow-test', { kafka: kafkaFragment('workflow-test') }, kafkaEnv('operator-admin', broker.brokers)).values;
  const kafka = createKafka(kafkaConfig);
  const admin = new TopicAdmin(kafka, { partitions: 3, replicationFactor: 1 });
  await admin.ensureTopics(CATALOGUE.map((e) => ({ name: e.topic, partitions: 3 })));
  const producer = new EventProducer(kafka);
  const baseEnv: Record<string, string> = {
    DATABASE_URL: serviceDatabaseUrl(database.url, 'workflow'),
    ...broker.kafkaEnv('workflow'),
    SCHEMA_REGISTRY_URL: registry.url,
    SCHEMA_REGISTRY_USERNAME: 'ita',
    SCHEMA_REGISTRY_PASSWORD: integrator,
    WORKFLOW_GROUP_ID: uniqueName('rabt-workflow-test'),
    WORKFLOW_SESSION_TIMEOUT_MS: '6000',
    WORKFLOW_TIMER_POLL_MS: '200',
    WORKFLOW_OUTBOX_POLL_MS: '200',
    LOG_LEVEL: 'error',
    ...env,
  };
  const apps: NestFastifyApplication[] = [];
  const processes: ServiceProcess[] = [];

  return {
    broker,
    db,
    kafka,
    serde,
    env: baseEnv,
    async publish(type, transactionId, id, data, agency) {
      const entry = catalogueEntry(type);
      const payload = data ?? fixture(type);
      const schemaId = await serde.latestId(entry.subject);
      await producer.publish(entry.topic, [
        {
          attributes: {
            id,
            source: `urn:rabt:agency:${agency ?? entry.owner}`,
            type,
            transactionid: transactionId,
            partitionkey: String(payload[entry.partitionKey]),
            dataschema: `${registry.url}/schemas/ids/${schemaId}`,
            time: new Date().toISOString(),
          },
          value: await serde.encode(schemaId, payload),
        },
      ]);
    },
    async transaction(id) {
      return {
        tx: await db.manager.findOneBy(WorkflowTransactionEntity, { id }),
        steps: await db.manager.find(WorkflowStepEntity, { where: { transactionId: id }, order: { seq: 'ASC' } }),
      };
    },
    async emitted(transactionId, type, step) {
      const rows: { n: string }[] = await db.query(
        `SELECT count(*) AS n FROM workflow_outbox WHERE transaction_id = $1 AND event_type = $2 AND ($3::text IS NULL OR data->>'step' = $3)`,
        [transactionId, type, step ?? null],
      );
      return Number(rows[0]!.n);
    },
    read(type, transactionId, expected) {
      return readMatching(kafka, type, (r) => r.headers['ce_transactionid'] === transactionId, { expected, timeoutMs: 30_000 });
    },
    async startInProcess(overrides = {}) {
      const config = loadWorkflowConfig({ ...baseEnv, ...overrides });
      const { definitionsDir, slaOverrideMs } = config.values.workflow;
      const definitions = loadWorkflowDefinitions(join(WORKSPACE_ROOT, definitionsDir), slaOverrideMs === undefined ? {} : { slaOverrideMs });
      const app = await createService({ rootModule: AppModule.forRoot(config, definitions), config });
      await app.init();
      apps.push(app);
      return app;
    },
    async startProcess(overrides = {}) {
      const p = await startBuiltService('workflow', { ...baseEnv, ...overrides }, 'WORKFLOW_PORT');
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
}
