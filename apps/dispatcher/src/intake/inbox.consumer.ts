import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Counter } from 'prom-client';
import {
  AvroSerde,
  CloudEventsBindingError,
  DEAD_LETTER_TOPIC,
  EventConsumer,
  EventProducer,
  fromKafkaMessage,
  KAFKA_CLIENT,
  PermanentError,
  SchemaRegistryUnavailableError,
  TopicAdmin,
  type ConsumedRecord,
  type KafkaClient,
} from '@rabt/kafka';
import { AuditTrail } from '@rabt/audit';
import { MetricsService } from '@rabt/observability';
import { exitOnFatal } from '@rabt/runtime';
import { inboxTopic } from '@rabt/routing';
import { DispatcherConfig } from '../config/dispatcher.config';
import { DeliveryWorker } from '../delivery/delivery.worker';
import { SubscriptionsCache } from '../subscriptions/subscriptions.cache';
import { SUBSCRIPTION_HEADER } from '@rabt/routing';
import { newDelivery, type NewDelivery } from './inbox-record';
import { InboxRepository } from './inbox.repository';

export const INBOX_TOPICS = /^rabt\.inbox\..+/;
/** The dead-letter code of an inbox record that names another agency's subscription. */
export const INBOX_AGENCY_MISMATCH = 'INBOX_AGENCY_MISMATCH';

/** Why an inbox record makes no delivery (the `result` label of its count). */
type SkipReason = 'no-subscription' | 'disabled' | 'no-webhook';

/**
 * Takes inbox records in as deliveries. kafkajs subscribes to the topics matching the pattern
 * when the consumer starts, so every agency's inbox topic is created first; every
 * DISPATCHER_TOPIC_REFRESH_MS the agencies are read again and, when the set of inbox topics
 * changed, the consumer is restarted to pick the new ones up. Offsets are committed only after
 * the delivery row is written (or the record was skipped or dead-lettered).
 */
@Injectable()
export class InboxConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('intake');
  private consumer: EventConsumer | undefined;
  private topics = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private stopped = false;
  private readonly records: Counter<'result'>;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: KafkaClient,
    private readonly producer: EventProducer,
    private readonly admin: TopicAdmin,
    private readonly serde: AvroSerde,
    private readonly repository: InboxRepository,
    private readonly subscriptions: SubscriptionsCache,
    private readonly worker: DeliveryWorker,
    private readonly config: DispatcherConfig,
    private readonly audit: AuditTrail,
    metrics: MetricsService,
  ) {
    this.records = new Counter({ name: 'rabt_dispatcher_inbox_records_total', help: 'Inbox records taken in, by result', labelNames: ['result'], registers: [metrics.registry] });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureTopics();
    await this.start();
    this.timer = setInterval(() => void this.refresh(), this.config.topicRefreshMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.refreshing;
    await this.consumer?.stop();
  }

  /** One inbox record → at most one new delivery row. */
  handle(record: ConsumedRecord): Promise<void> {
    return this.handleBatch([record]);
  }

  /**
   * A run of one partition's records → their new delivery rows, in one statement (in offset
   * order, so per-key order holds). Any failure sends the run back to `handle`, record by record;
   * so the run's results are counted only once it is stored.
   */
  async handleBatch(records: readonly ConsumedRecord[]): Promise<void> {
    const deliveries: NewDelivery[] = [];
    const skipped: SkipReason[] = [];
    for (const record of records) {
      const taken = await this.toDelivery(record);
      if (typeof taken === 'string') skipped.push(taken);
      else deliveries.push(taken);
    }
    // Deliveries the worker would claim at once are inserted claimed and handed to it: no wake-up and claim round trip.
    const claim = deliveries.length ? this.worker.intakeClaim() : undefined;
    const { inserted, claimed } = deliveries.length ? await this.repository.insert(deliveries, claim) : { inserted: 0, claimed: [] };
    if (claim) this.worker.adopt(claimed, claim.deadline);
    for (const result of skipped) this.records.inc({ result });
    if (deliveries.length > inserted) this.records.inc({ result: 'duplicate' }, deliveries.length - inserted);
    if (inserted > 0) this.records.inc({ result: 'delivery' }, inserted);
    if (inserted > claimed.length) this.worker.wake();
  }

  /** The delivery an inbox record makes, or why it makes none (its subscription takes no webhooks now). */
  private async toDelivery(record: ConsumedRecord): Promise<NewDelivery | SkipReason> {
    const subscriptionId = record.headers[SUBSCRIPTION_HEADER];
    if (!subscriptionId || !SubscriptionsCache.isId(subscriptionId)) throw new PermanentError('NO_SUBSCRIPTION', `inbox record without a valid ${SUBSCRIPTION_HEADER} header`);
    let subscription = await this.subscriptions.get(subscriptionId);
    // Only a skip is re-checked against Postgres: a subscription enabled a moment ago must not lose events.
    if (subscription && (subscription.state !== 'active' || !subscription.webhookUrl)) subscription = await this.subscriptions.get(subscriptionId, { fresh: true });
    if (!subscription) return 'no-subscription';
    // Before anything is signed: a record delivers only for a subscription of the agency whose
    // inbox it is on. A record on rabt.inbox.a naming b's subscription is forged (or misrouted).
    if (record.topic !== inboxTopic(subscription.agencyCode)) await this.refuseForeignInbox(record, subscription.id, subscription.agencyCode);
    if (!subscription.webhookUrl) return 'no-webhook';
    if (subscription.state !== 'active') return 'disabled';
    let attributes;
    try {
      attributes = fromKafkaMessage({ key: record.key === null ? null : Buffer.from(record.key), value: record.value, headers: record.headers, timestamp: record.timestamp }).attributes;
    } catch (e) {
      if (e instanceof CloudEventsBindingError) throw new PermanentError('NOT_A_CLOUDEVENT', e.message);
      throw e;
    }
    let data: unknown;
    try {
      data = await this.serde.decode(record.value);
    } catch (e) {
      if (e instanceof SchemaRegistryUnavailableError) throw e; // passing: retried in place
      throw new PermanentError('UNDECODABLE', (e as Error).message);
    }
    return newDelivery(record, subscription, attributes, data);
  }

  /** Audits and dead-letters (INBOX_AGENCY_MISMATCH) a record whose inbox is not its subscription's agency's. */
  private async refuseForeignInbox(record: ConsumedRecord, subscriptionId: string, agency: string): Promise<never> {
    const message = `inbox record on ${record.topic} names subscription ${subscriptionId} of agency ${agency}, whose inbox is ${inboxTopic(agency)}`;
    this.records.inc({ result: 'inbox-mismatch' });
    this.log.warn({ topic: record.topic, partition: record.partition, offset: record.offset, subscription: subscriptionId, agency }, 'inbox record refused: its inbox is not its subscription agency\'s');
    await this.audit.record({
      actor: 'service:dispatcher',
      action: 'inbox.record-refused',
      subject: `inbox:${record.topic}/${record.partition}/${record.offset}`,
      details: { code: INBOX_AGENCY_MISMATCH, subscription: subscriptionId, agency, topic: record.topic, eventId: record.headers['ce_id'] ?? null },
    });
    throw new PermanentError(INBOX_AGENCY_MISMATCH, message);
  }

  private async ensureTopics(): Promise<void> {
    const codes = await this.repository.agencyCodes();
    await this.admin.ensureTopics([{ name: DEAD_LETTER_TOPIC }, ...codes.map((code) => ({ name: inboxTopic(code) }))]);
  }

  private async inboxTopics(): Promise<Set<string>> {
    return new Set((await this.admin.listTopics()).filter((t) => INBOX_TOPICS.test(t)));
  }

  private async start(): Promise<void> {
    this.topics = await this.inboxTopics();
    this.consumer = new EventConsumer(this.kafka, {
      groupId: this.config.groupId,
      topics: [INBOX_TOPICS],
      producer: this.producer,
      partitionsConsumedConcurrently: this.config.intakeConcurrency,
      sessionTimeoutMs: this.config.sessionTimeoutMs,
      handle: (record) => this.handle(record),
      handleBatch: (records) => this.handleBatch(records),
      onError: (error, record, policy) =>
        this.log.warn({ err: error, topic: record.topic, partition: record.partition, offset: record.offset }, policy === 'dead-letter' ? 'inbox record dead-lettered' : 'inbox record failed; retrying'),
      onFatal: exitOnFatal(this.log, 'the inbox intake consumer'),
    });
    await this.consumer.start();
    this.log.log(`taking in ${this.topics.size} inbox topics as group ${this.config.groupId}`);
  }

  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        await this.ensureTopics();
        const now = await this.inboxTopics();
        if (this.stopped || (now.size === this.topics.size && [...now].every((t) => this.topics.has(t)))) return;
        this.log.log(`inbox topics changed (${this.topics.size} → ${now.size}): restarting the intake consumer`);
        await this.consumer?.stop();
        if (!this.stopped) await this.start();
      } catch (e) {
        this.log.warn({ err: e }, 'could not refresh the inbox topics; trying again later');
      }
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }
}
