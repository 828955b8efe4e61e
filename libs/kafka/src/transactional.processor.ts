import type { Consumer, Kafka, Producer } from 'kafkajs';
import { headersToStrings } from './cloudevents.binding';
import { firstJoin, onFatalCrash } from './consumer.lifecycle';
import { cacheKafkaCoordinators } from './coordinator.cache';
import { retryWhile } from './topic.admin';
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
  /** Largest number of consumed records per partition per transaction. */
  readonly maxRecordsPerTransaction?: number;
  /**
   * Partitions worked at once (default 1). Their results still commit through the one
   * transactional producer: whatever is ready when a transaction starts goes into it together
   * (see {@link TransactionGroup}).
   */
  readonly partitionsConcurrently?: number;
  readonly onError?: (error: unknown) => void;
  /** The consumer crashed for good while running; see `ConsumerOptions.onFatal`. */
  readonly onFatal?: (error: Error) => void;
  /** How long the group waits for a silent member (a killed process) before reassigning its partitions. */
  readonly sessionTimeoutMs?: number;
}

/** One partition's processed chunk, waiting for a transaction. */
export interface TransactionPart {
  readonly topic: string;
  readonly partition: number;
  /** The consumer group's next offset for this partition once the part commits. */
  readonly nextOffset: string;
  readonly records: readonly OutgoingRecord[];
}

/** What one Kafka transaction does with the parts gathered for it. */
export type CommitParts = (parts: readonly TransactionPart[]) => Promise<void>;

/**
 * Group commit of transaction parts. A transactional producer holds one open transaction at a
 * time, so parts that are ready while a transaction commits wait, and the next transaction takes
 * all of them at once: every part's records and offsets commit together or not at all. Each
 * `commit()` settles when the transaction holding its part does — resolved once committed,
 * rejected with its error if it aborted (then every part in it is redone by its partition).
 *
 * One producer, one transaction at a time, keeps one producer's transactions from interleaving in
 * a partition. Stock kafkajs' read_committed filter mishandled interleaved aborted transactions of
 * several producers; Rabt's install is patched (docs/routing.md, "kafkajs' read_committed filter,
 * patched"), but readers with stock kafkajs remain.
 */
export class TransactionGroup {
  private waiting: { part: TransactionPart; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private committing = false;

  constructor(private readonly commitParts: CommitParts) {}

  commit(part: TransactionPart): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ part, resolve, reject });
      if (!this.committing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.committing = true;
    try {
      while (this.waiting.length) {
        const taken = this.waiting;
        this.waiting = [];
        try {
          await this.commitParts(mergeParts(taken.map((t) => t.part)));
          for (const t of taken) t.resolve();
        } catch (error) {
          for (const t of taken) t.reject(error);
        }
      }
    } finally {
      this.committing = false;
    }
  }
}

/**
 * Parts of one partition keep their order (records appended, the later offset kept). kafkajs runs
 * one batch of a partition at a time and its chunks one after another, so this is a safeguard.
 */
export function mergeParts(parts: readonly TransactionPart[]): TransactionPart[] {
  const byPartition = new Map<string, { topic: string; partition: number; nextOffset: string; records: OutgoingRecord[] }>();
  for (const p of parts) {
    const key = `${p.topic}\u0000${p.partition}`;
    const seen = byPartition.get(key);
    if (!seen) byPartition.set(key, { topic: p.topic, partition: p.partition, nextOffset: p.nextOffset, records: [...p.records] });
    else {
      seen.records.push(...p.records);
      if (BigInt(p.nextOffset) > BigInt(seen.nextOffset)) seen.nextOffset = p.nextOffset;
    }
  }
  return [...byPartition.values()];
}

/**
 * Consume → transform → produce with Kafka transactions: the records written for consumed
 * records and the consumer group's new offsets commit in one transaction, or not at all. A crash
 * anywhere leaves the batch uncommitted; the next owner of the partition re-processes it, and
 * readers with read_committed isolation never see the aborted attempt's records. So each
 * consumed record yields its output records exactly once. Several partitions may be processed at
 * once; their results share transactions (group commit through one producer).
 */
export class TransactionalProcessor {
  private readonly consumer: Consumer;
  private producer: Producer;
  /** The last abort failed: kafkajs left the producer in a state no transaction can start from. */
  private producerStuck = false;
  private readonly group: TransactionGroup;
  private running = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: TransactionalProcessorOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 3)),
      // kafkajs' consumer default (5 retries), plus: restart after a crash only while running —
      // a crash that stop() caused must not bring back a member that nobody runs.
      retry: { retries: 5, restartOnFailure: async () => this.running },
    });
    const onFatal = options.onFatal;
    if (onFatal) onFatalCrash(this.consumer, () => !this.running, onFatal);
    this.producer = this.newProducer();
    this.group = new TransactionGroup((parts) => this.transact(parts));
    // Four FindCoordinator round trips fewer per transaction (see coordinator.cache.ts).
    cacheKafkaCoordinators();
  }

  private newProducer(): Producer {
    return this.kafka.producer({
      transactionalId: this.options.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      transactionTimeout: 30_000,
      // A transaction that begins right after the last one committed finds the coordinator still
      // writing that one's markers: AddPartitionsToTxn answers CONCURRENT_TRANSACTIONS for a few
      // ms. kafkajs retries it with the producer's backoff; the client default (200 ms) made every
      // back-to-back transaction wait ~200 ms. The Java client backs off a fixed 20 ms in this
      // case; here 2 ms growing by 1.3 (markers usually take a few ms; doubling overshot them),
      // about 10 s in all before the transaction is given up (a broker that is down).
      retry: { retries: 30, initialRetryTime: 2, multiplier: 1.3, maxRetryTime: 1_000 },
    });
  }

  async start(): Promise<void> {
    const joined = firstJoin(this.consumer);
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const max = this.options.maxRecordsPerTransaction ?? 500;
        for (let start = 0; start < batch.messages.length; start += max) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(start, start + max);
          const records: OutgoingRecord[] = [];
          try {
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
              records.push(...(await this.options.process(record)));
            }
          } catch (error) {
            this.options.onError?.(error);
            throw error; // kafkajs restarts the consumer from the last committed offset
          }
          // Revoked while processing: the partition's new owner redoes the chunk.
          if (!isRunning() || isStale()) return;
          const nextOffset = (BigInt(chunk[chunk.length - 1]!.offset) + 1n).toString();
          await this.group.commit({ topic: batch.topic, partition: batch.partition, nextOffset, records });
          for (const m of chunk) resolveOffset(m.offset);
          await heartbeat();
        }
      },
    });
    await joined;
  }

  /** One Kafka transaction: every part's records, then every part's offsets, then commit. */
  private async transact(parts: readonly TransactionPart[]): Promise<void> {
    if (this.producerStuck) await this.replaceProducer();
    const transaction = await this.producer.transaction();
    try {
      const byTopic = new Map<string, OutgoingRecord[]>();
      for (const part of parts) {
        for (const r of part.records) {
          const list = byTopic.get(r.topic);
          if (list) list.push(r);
          else byTopic.set(r.topic, [r]);
        }
      }
      if (byTopic.size) {
        await transaction.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, records]) => ({ topic, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers ?? {} })) })),
        });
      }
      const offsets = new Map<string, { partition: number; offset: string }[]>();
      for (const part of parts) {
        const list = offsets.get(part.topic);
        if (list) list.push({ partition: part.partition, offset: part.nextOffset });
        else offsets.set(part.topic, [{ partition: part.partition, offset: part.nextOffset }]);
      }
      const topics = [...offsets].map(([topic, partitions]) => ({ topic, partitions }));
      await whileConcurrentTransaction(() => transaction.sendOffsets({ consumerGroupId: this.options.groupId, topics }));
      await transaction.commit();
    } catch (error) {
      this.options.onError?.(error);
      // A failed commit or abort (the broker away) leaves kafkajs' producer COMMITTING or ABORTING,
      // states no transaction can begin from: every later transaction() would throw. The next
      // transaction then starts on a new producer with the same transactional id, which fences
      // this one and has the broker abort its open transaction.
      await transaction.abort().catch(() => (this.producerStuck = true));
      throw error; // each part's eachBatch throws: kafkajs restarts the consumer from the last committed offsets
    }
  }

  private async replaceProducer(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    this.producer = this.newProducer();
    await this.producer.connect(); // throws while the broker is still away: the parts are redone later
    this.producerStuck = false;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }
}

/**
 * kafkajs sends AddOffsetsToTxn once, without retrying; in a transaction with no records it is the
 * first call and may meet the previous transaction's markers still being written
 * (CONCURRENT_TRANSACTIONS). Nothing was added then, so sending the offsets again is safe.
 */
export function whileConcurrentTransaction<T>(call: () => Promise<T>, attempts = 10): Promise<T> {
  return retryWhile(call, isConcurrentTransactions, { retries: attempts - 1, firstDelayMs: 10, maxDelayMs: 1_000 });
}

function isConcurrentTransactions(error: unknown): boolean {
  for (let e = error as { type?: unknown; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.type === 'CONCURRENT_TRANSACTIONS') return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}
