import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Counter } from 'prom-client';
import { catalogueEntry, EventTypes } from '@rabt/contracts';
import {
  CloudEventsBindingError,
  DEAD_LETTER_TOPIC,
  EventConsumer,
  EventProducer,
  fromKafkaMessage,
  KAFKA_CLIENT,
  PermanentError,
  TopicAdmin,
  type ConsumedRecord,
  type KafkaClient,
} from '@rabt/kafka';
import { MetricsService } from '@rabt/observability';
import { exitOnFatal } from '@rabt/runtime';
import { WorkflowConfig } from '../config/workflow.config';
import { WorkflowDefinitions } from '../definitions/workflow-definitions';
import type { IncomingEvent } from '../engine/transaction.machine';
import { TransactionEngine } from '../transactions/transaction.engine';

const AGENCY_SOURCE = /^urn:rabt:agency:([a-z][a-z0-9]{0,15})$/;
/** As the gateway accepts it (and as long as the tables hold it). */
const TRANSACTION_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A consumed record as an event of a transaction, or why it is not one. */
export function toTransactionEvent(record: ConsumedRecord): { transactionId: string; event: IncomingEvent } | { skip: string } {
  let attributes;
  try {
    attributes = fromKafkaMessage({ key: record.key === null ? null : Buffer.from(record.key), value: record.value, headers: record.headers, timestamp: record.timestamp }).attributes;
  } catch (e) {
    if (e instanceof CloudEventsBindingError) throw new PermanentError('NOT_A_CLOUDEVENT', e.message);
    throw e;
  }
  if (!attributes.transactionid) return { skip: 'no-transactionid' };
  // Records that did not come through the gateway could carry anything: never let one block a partition.
  if (!TRANSACTION_ID.test(attributes.transactionid) || attributes.id.length > 200 || attributes.source.length > 200 || attributes.type.length > 200) return { skip: 'unusable-attributes' };
  const agency = AGENCY_SOURCE.exec(attributes.source)?.[1];
  if (!agency) return { skip: 'not-an-agency-source' };
  const time = new Date(attributes.time);
  return {
    transactionId: attributes.transactionid,
    event: { source: attributes.source, id: attributes.id, type: attributes.type, agency, time: Number.isNaN(time.getTime()) ? new Date(Number(record.timestamp)) : time },
  };
}

/**
 * Consumes every event type the definitions name, in its own group (WORKFLOW_GROUP_ID). Only the
 * CloudEvents headers are read (the Avro data is not needed to advance a transaction). Offsets
 * are committed after the Postgres transaction: a crash re-delivers, and the engine's
 * (source, id) record makes the re-delivery a no-op.
 */
@Injectable()
export class WorkflowEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('intake');
  private consumer: EventConsumer | undefined;
  private readonly skipped: Counter<'reason'>;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: KafkaClient,
    private readonly producer: EventProducer,
    private readonly topics: TopicAdmin,
    private readonly engine: TransactionEngine,
    private readonly definitions: WorkflowDefinitions,
    private readonly config: WorkflowConfig,
    metrics: MetricsService,
  ) {
    this.skipped = new Counter({ name: 'rabt_workflow_skipped_total', help: 'Consumed records that belong to no transaction, by reason', labelNames: ['reason'], registers: [metrics.registry] });
  }

  async onApplicationBootstrap(): Promise<void> {
    const consumed = this.definitions.consumedTypes();
    const emitted = [EventTypes.RabtTransactionStepCompleted, EventTypes.RabtTransactionCompleted, EventTypes.RabtTransactionSlaBreached, EventTypes.RabtTransactionCompensated];
    await this.topics.ensureTopics([
      { name: DEAD_LETTER_TOPIC },
      ...[...consumed, ...emitted].map((type) => {
        const entry = catalogueEntry(type);
        return { name: entry.topic, partitions: entry.partitions, retentionMs: entry.retentionMs };
      }),
    ]);
    this.consumer = new EventConsumer(this.kafka, {
      groupId: this.config.groupId,
      topics: consumed,
      fromBeginning: this.config.startFrom === 'earliest',
      producer: this.producer,
      partitionsConsumedConcurrently: this.config.concurrency,
      sessionTimeoutMs: this.config.sessionTimeoutMs,
      handle: (record) => this.handle(record),
      onError: (error, record, policy) =>
        this.log.warn({ err: error, topic: record.topic, partition: record.partition, offset: record.offset }, policy === 'dead-letter' ? 'record dead-lettered' : 'record failed; retrying'),
      onFatal: exitOnFatal(this.log, 'the workflow events consumer'),
    });
    await this.consumer.start();
    this.log.log(`following ${this.definitions.all.length} workflow definitions over ${consumed.length} event types as group ${this.config.groupId}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  async handle(record: ConsumedRecord): Promise<void> {
    const found = toTransactionEvent(record);
    if ('skip' in found) {
      this.skipped.inc({ reason: found.skip });
      return;
    }
    await this.engine.handle(found.transactionId, found.event);
  }
}
