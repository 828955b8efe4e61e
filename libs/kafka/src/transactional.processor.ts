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
  private readonly producer: Producer;
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
    this.producer = kafka.producer({
      transactionalId: options.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      transactionTimeout: 30_000,
    });
  }

  async start(): Promise<void> {
    const joined = new Promise<void>((resolve) => {
      const off = this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const max = this.options.maxRecordsPerTransaction ?? 500;
        for (let start = 0; start < batch.messages.length; start += max) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(start, start + max);
          const transaction = await this.producer.transaction();
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
    await this.producer.disconnect();
  }
}
