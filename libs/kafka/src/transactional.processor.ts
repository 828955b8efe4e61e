import type { Consumer, Kafka, Producer } from 'kafkajs';
import { headersToStrings } from './cloudevents.binding';
import type { ConsumedRecord } from './event.consumer';

export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers?: Record<string, string>;
}

export interface TransactionalProcessorOptions {
  readonly groupId: string;
  readonly topics: readonly (string | RegExp)[];
  /**
   * Stable per process instance (e.g. `rabt-router-<host>`): a restarted instance with the same
   * id fences its previous incarnation, whose open transaction the broker then aborts.
   */
  readonly transactionalId: string;
  /** Records to write for one consumed record (zero or more). Throwing aborts the batch. */
  readonly process: (record: ConsumedRecord) => Promise<readonly OutgoingRecord[]>;
  readonly fromBeginning?: boolean;
  /** Largest number of consumed records per transaction. */
  readonly maxRecordsPerTransaction?: number;
  readonly onError?: (error: unknown) => void;
  /** How long the group waits for a silent member (a killed process) before reassigning its partitions. */
  readonly sessionTimeoutMs?: number;
  /**
   * How many partitions are worked at once, each in a transaction of its own (default 1). A
   * transactional producer holds one open transaction at a time, so there is one producer per
   * slot, with the transactional id `<transactionalId>-<slot>`.
   */
  readonly concurrency?: number;
}

/**
 * Consume → transform → produce with Kafka transactions: the records written for a consumed
 * batch and the consumer group's new offsets commit in one transaction, or not at all. A crash
 * anywhere leaves the batch uncommitted; the next owner of the partition re-processes it, and
 * readers with read_committed isolation never see the aborted attempt's records. So each
 * consumed record yields its output records exactly once.
 */
export class TransactionalProcessor {
  private readonly consumer: Consumer;
  private readonly producers: Producer[];
  /** Producers with no open transaction; kafkajs runs at most `concurrency` batches at once. */
  private readonly idle: Producer[] = [];
  private running = false;

  constructor(
    kafka: Kafka,
    private readonly options: TransactionalProcessorOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 3)),
    });
    const slots = options.concurrency ?? 1;
    this.producers = Array.from({ length: slots }, (_, slot) =>
      kafka.producer({
        // One slot keeps the plain id, so an instance that ran before pools existed is fenced.
        transactionalId: slots === 1 ? options.transactionalId : `${options.transactionalId}-${slot}`,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        transactionTimeout: 30_000,
      }),
    );
  }

  async start(): Promise<void> {
    const joined = new Promise<void>((resolve) => {
      const off = this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    // Connecting a transactional producer fences its previous incarnation (same transactional id)
    // and aborts that one's open transaction.
    await Promise.all(this.producers.map((p) => p.connect()));
    this.idle.push(...this.producers);
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.producers.length,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const max = this.options.maxRecordsPerTransaction ?? 500;
        for (let start = 0; start < batch.messages.length; start += max) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(start, start + max);
          const producer = this.idle.pop();
          if (!producer) throw new Error('no idle transactional producer: more batches in flight than slots');
          let transaction: Awaited<ReturnType<Producer['transaction']>>;
          try {
            transaction = await producer.transaction();
          } catch (error) {
            this.idle.push(producer);
            throw error;
          }
          try {
            const outgoing: OutgoingRecord[] = [];
            for (const message of chunk) {
              const record: ConsumedRecord = {
                topic: batch.topic,
                partition: batch.partition,
                offset: message.offset,
                key: message.key ? message.key.toString('utf8') : null,
                value: message.value ?? Buffer.alloc(0),
                headers: headersToStrings(message.headers),
                timestamp: message.timestamp,
              };
              outgoing.push(...(await this.options.process(record)));
            }
            const byTopic = new Map<string, OutgoingRecord[]>();
            for (const r of outgoing) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
            if (byTopic.size) {
              await transaction.sendBatch({
                acks: -1,
                topicMessages: [...byTopic].map(([topic, records]) => ({ topic, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers ?? {} })) })),
              });
            }
            const next = (BigInt(chunk[chunk.length - 1]!.offset) + 1n).toString();
            await transaction.sendOffsets({ consumerGroupId: this.options.groupId, topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] });
            await transaction.commit();
          } catch (error) {
            this.options.onError?.(error);
            await transaction.abort().catch(() => undefined);
            throw error; // kafkajs restarts the consumer from the last committed offset
          } finally {
            this.idle.push(producer);
          }
          for (const m of chunk) resolveOffset(m.offset);
          await heartbeat();
        }
      },
    });
    await joined;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.consumer.disconnect();
    await Promise.all(this.producers.map((p) => p.disconnect()));
  }
}
