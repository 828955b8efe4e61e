// The audit chain as `rabt audit` sees it: the records in Postgres (DATABASE_URL) and the anchors
// on Kafka (KAFKA_BROKERS, AUDIT_ANCHOR_TOPIC), through @rabt/audit, without any Nest container.
import { AuditAnchorTopic, auditFragment, chainName, takeAuditAnchor, verifyAuditChain, type AuditAnchor, type AuditVerification } from '@rabt/audit';
import { databaseFragment, kafkaFragment, loadConfig } from '@rabt/config';
import { createKafka, EventProducer, TopicAdmin } from '@rabt/kafka';
import { createDataSource } from '@rabt/persistence';
import { CliException, CliExceptionCode } from '../cli/cli.exception';
import { notMigratedOr } from '../cli/database-session';
import { CLI_NAME } from '../config/cli.config';

export interface AuditChain {
  /** Where anchors are read and written. */
  readonly anchorTopic: string;
  /** Walks the chain and checks it against every anchor of it on the anchors topic. */
  verify(): Promise<AuditVerification>;
  /** Seals what is unsealed and publishes the head as an anchor; null while the log is empty. */
  anchor(): Promise<AuditAnchor | null>;
}

export interface AuditChainSession {
  readonly chain: AuditChain;
  close(): Promise<void>;
}

const kafkaFailure = (brokers: string, e: unknown) =>
  new CliException(CliExceptionCode.KAFKA_UNREACHABLE, `Kafka at ${brokers} did not answer for the audit anchors (set KAFKA_BROKERS): ${(e as Error).message}`);

/**
 * Connects to DATABASE_URL; anchors go to AUDIT_ANCHOR_TOPIC on KAFKA_BROKERS. Bad configuration
 * is a ConfigValidationError (exit 2); a database or broker that does not answer, exit 3.
 */
export async function openAuditChain(env?: Record<string, string | undefined>): Promise<AuditChainSession> {
  const config = loadConfig(CLI_NAME, { database: databaseFragment(), kafka: kafkaFragment(`${CLI_NAME}-cli`), audit: auditFragment() }, env);
  const { database, kafka: kafkaConfig, audit } = config.values;
  const brokers = config.printable['KAFKA_BROKERS'] ?? '';
  const dataSource = createDataSource({ ...database, poolMax: 1 }, `${CLI_NAME}-cli`);
  try {
    await dataSource.initialize();
  } catch (e) {
    throw new CliException(CliExceptionCode.DATABASE_UNREACHABLE, `database ${config.printable['DATABASE_URL']} is unreachable (set DATABASE_URL): ${(e as Error).message}`);
  }
  const kafka = createKafka(kafkaConfig, undefined, { retries: 2 });
  const topic = new AuditAnchorTopic(kafka, audit.anchorTopic);
  const notMigrated = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      throw notMigratedOr(e, 'audit_record table');
    }
  };
  const chain: AuditChain = {
    anchorTopic: audit.anchorTopic,
    verify: () =>
      notMigrated(async () => {
        const name = await chainName(dataSource);
        const anchors = await topic.read(name).catch((e: unknown) => {
          throw kafkaFailure(brokers, e);
        });
        return verifyAuditChain(dataSource, anchors);
      }),
    anchor: () =>
      notMigrated(async () => {
        const producer = new EventProducer(kafka, { retries: 2 });
        const admin = new TopicAdmin(kafka, { partitions: 1, replicationFactor: kafkaConfig.replicationFactor });
        try {
          await topic.ensure(admin).catch((e: unknown) => {
            throw kafkaFailure(brokers, e);
          });
          const anchor = await takeAuditAnchor(dataSource);
          if (anchor) {
            await topic.publish(producer, anchor).catch((e: unknown) => {
              throw kafkaFailure(brokers, e);
            });
          }
          return anchor;
        } finally {
          await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
        }
      }),
  };
  return { chain, close: () => dataSource.destroy() };
}
