import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { headersToStrings } from './cloudevents.binding';
import { firstJoin, onFatalCrash } from './consumer.lifecycle';
import type { EventProducer } from './event.producer';

export const DEAD_LETTER_TOPIC = 'rabt.deadletter';

/** A consumed record, with headers already as strings. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  readonly timestamp: string;
}

/**
 * What a handler's failure means. `retry`: a passing fault (database down, broker hiccup) —
 * back off and run the same record again, holding that partition so order is kept.
 * `dead-letter`: the record itself is wrong and never will succeed — park it with the reason
 * and move on.
 */
export type FailurePolicy = 'retry' | 'dead-letter';

/** Throw (or classify as) this for a failure that will never succeed for this record. */
export class PermanentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

export interface ConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly (string | RegExp)[];
  readonly fromBeginning?: boolean;
  readonly handle: (record: ConsumedRecord) => Promise<void>;
  /**
   * Optional: handles a run of records of one partition at once (one database write, one offset
   * commit for many records). It must mean exactly what `handle` on each record in order means.
   * When it throws, the run is handled again record by record with `handle`, so one bad record is
   * dead-lettered on its own and a passing fault is retried in place.
   */
  readonly handleBatch?: (records: readonly ConsumedRecord[]) => Promise<void>;
  /** The most records given to `handleBatch` at once. Default 500. */
  readonly maxBatchRecords?: number;
  /** Default: PermanentError dead-letters, anything else retries. */
  readonly classify?: (error: unknown) => FailurePolicy;
  /** Where dead letters go; needs `producer`. Default rabt.deadletter. */
  readonly deadLetterTopic?: string;
  readonly producer?: EventProducer;
  readonly partitionsConsumedConcurrently?: number;
  readonly maxBackoffMs?: number;
  readonly onError?: (error: unknown, record: ConsumedRecord, policy: FailurePolicy) => void;
  /**
   * The consumer crashed for good while running (kafkajs will not restart it: an error it deems
   * not retriable, such as an authorisation failure): it consumes nothing more. A service should
   * exit, so that its supervisor starts it afresh; offsets are committed only after handling, so
   * nothing is lost.
   */
  readonly onFatal?: (error: Error) => void;
  /** How long the group waits for a silent member (a killed process) before reassigning its partitions. */
  readonly sessionTimeoutMs?: number;
}

const defaultClassify = (e: unknown): FailurePolicy => (e instanceof PermanentError ? 'dead-letter' : 'retry');

/**
 * Runs a consumer group with commit discipline: an offset is committed only after its record
 * was handled (or dead-lettered), so a crash re-delivers instead of losing (at-least-once).
 * Retryable failures back off and retry in place, heart-beating meanwhile; `stop()` lets the
 * record in hand finish, commits, and leaves the group.
 */
export class EventConsumer {
  private readonly consumer: Consumer;
  private stopping = false;
  private running = false;

  constructor(
    kafka: Kafka,
    private readonly options: ConsumerOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 3)),
      // A crash while running restarts (a broker outage must not end consumption); a crash our
      // own stop() caused must not: the restarted consumer would rejoin as a member nobody runs.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000, restartOnFailure: async () => !this.stopping },
    });
    const onFatal = options.onFatal;
    if (onFatal) onFatalCrash(this.consumer, () => this.stopping, onFatal);
  }

  /** Resolves once the consumer joined its group and got its first assignment. */
  async start(): Promise<void> {
    const joined = firstJoin(this.consumer);
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    this.running = true;
    const handleBatch = this.options.handleBatch;
    if (handleBatch) {
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          const size = this.options.maxBatchRecords ?? 500;
          for (let i = 0; i < batch.messages.length; i += size) {
            if (!isRunning() || isStale()) return; // stopping or rebalanced: the rest stays uncommitted
            const records = batch.messages.slice(i, i + size).map((m) => toRecord(batch.topic, batch.partition, m));
            await this.processRun(records, handleBatch, heartbeat);
            const last = records[records.length - 1];
            if (last) {
              resolveOffset(last.offset); // the fetch position moves on
              await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
            }
            await heartbeat();
          }
        },
      });
    } else {
      await this.consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
        eachMessage: async ({ topic, partition, message, heartbeat }) => {
          const record = toRecord(topic, partition, message);
          await this.process(record, heartbeat);
          await this.consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        },
      });
    }
    await joined;
  }

  /** A run at once; if that fails for any reason, record by record (each with its own failure policy). */
  private async processRun(records: readonly ConsumedRecord[], handleBatch: (records: readonly ConsumedRecord[]) => Promise<void>, heartbeat: () => Promise<void>): Promise<void> {
    if (records.length > 1) {
      try {
        await handleBatch(records);
        return;
      } catch {
        // fall through: record by record tells which record it was, and what its failure means
      }
    }
    for (const record of records) await this.process(record, heartbeat);
  }

  private async process(record: ConsumedRecord, heartbeat: () => Promise<void>): Promise<void> {
    const classify = this.options.classify ?? defaultClassify;
    let backoff = 100;
    for (;;) {
      try {
        await this.options.handle(record);
        return;
      } catch (error) {
        const policy = classify(error);
        this.options.onError?.(error, record, policy);
        if (policy === 'dead-letter') {
          await this.deadLetter(record, error);
          return;
        }
        if (this.stopping) throw error; // leave it uncommitted; the next owner retries it
        await sleep(backoff);
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 30_000);
        await heartbeat();
      }
    }
  }

  private async deadLetter(record: ConsumedRecord, error: unknown): Promise<void> {
    if (!this.options.producer) throw new Error(`no producer to dead-letter ${record.topic}/${record.partition}@${record.offset}`);
    const code = error instanceof PermanentError ? error.code : 'UNCLASSIFIED';
    await this.options.producer.sendRaw(this.options.deadLetterTopic ?? DEAD_LETTER_TOPIC, [
      {
        key: record.key,
        value: record.value,
        headers: {
          ...record.headers,
          rabt_dlq_topic: record.topic,
          rabt_dlq_partition: String(record.partition),
          rabt_dlq_offset: record.offset,
          rabt_dlq_group: this.options.groupId,
          rabt_dlq_error_code: code,
          rabt_dlq_error: error instanceof Error ? error.message : String(error),
        },
      },
    ]);
  }

  /** Moves the group's position on one partition (after start); the next fetch reads from there. */
  seek(topic: string, partition: number, offset: string): void {
    this.consumer.seek({ topic, partition, offset });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.running = false;
    await this.consumer.disconnect();
  }
}

function toRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : null,
    value: message.value ?? Buffer.alloc(0),
    headers: headersToStrings(message.headers),
    timestamp: message.timestamp,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
