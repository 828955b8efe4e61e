import { Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import { toKafkaMessage, type OutgoingKafkaMessage, type RabtEventAttributes } from './cloudevents.binding';
import { partitionForKey } from './murmur2.partitioner';

export interface ProducedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface ProducerOptions {
  /**
   * Retries per send before giving up (about 3 s in all by default). kafkajs' idempotent default
   * is "forever"; Rabt bounds it so callers can answer "unavailable" instead of hanging.
   * Broker-side sequence numbers still keep retried batches free of duplicates.
   */
  readonly retries?: number;
  /**
   * `publishEach` sends at most this many bytes of records in one request, so that a batch of
   * large events never reaches the broker's `socket.request.max.bytes` (100 MiB by default), at
   * which it would close the connection. 16 MiB by default.
   */
  readonly maxRequestBytes?: number;
}

/** A record batch's own bytes (v2 header: offsets, length, epoch, magic, CRC, producer ids, count). */
export const RECORD_BATCH_OVERHEAD_BYTES = 61;
/** The broker's default `message.max.bytes`, used for a topic whose own limit cannot be read. */
export const KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/**
 * What one record takes in a v2 record batch, as an upper bound: its key, value and headers
 * with every length and delta at its widest varint.
 */
export function recordBytes(message: Pick<OutgoingKafkaMessage, 'key' | 'value' | 'headers'>): number {
  let bytes = 5 + 1 + 10 + 5 + 5 + (message.key === null ? 0 : Buffer.byteLength(message.key)) + 5 + message.value.length + 5;
  for (const [name, value] of Object.entries(message.headers)) bytes += 5 + Buffer.byteLength(name) + 5 + Buffer.byteLength(value);
  return bytes;
}

/** The broker would refuse this record (alone) as larger than its topic's `max.message.bytes`. */
export class RecordTooLargeError extends Error {
  override readonly name = 'RecordTooLargeError';

  constructor(
    readonly topic: string,
    readonly recordBytes: number,
    readonly limitBytes: number,
  ) {
    super(`a record of ${recordBytes} bytes is over the ${limitBytes} bytes topic ${topic} takes (max.message.bytes less the record batch overhead)`);
  }
}

/** The broker refused this record for what it is (size, format), not for being unavailable. */
export class RecordRejectedError extends Error {
  override readonly name = 'RecordRejectedError';
}

/** One record's fate in `publishEach`. */
export type RecordOutcome =
  | { readonly ok: true; readonly record: ProducedRecord }
  | { readonly ok: false; readonly error: RecordTooLargeError | RecordRejectedError }
  | { readonly ok: false; readonly error: Error; readonly unavailable: true };

/**
 * Broker error types that are about the records sent, not about the broker: a retry of the
 * same records fails the same way, and other records of the same request are not at fault.
 */
const RECORD_ERRORS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'CORRUPT_MESSAGE', 'INVALID_RECORD', 'INVALID_TIMESTAMP', 'INVALID_REQUIRED_ACKS', 'UNSUPPORTED_FOR_MESSAGE_FORMAT']);

function isRecordError(e: unknown): boolean {
  for (let err = e as { type?: unknown; cause?: unknown } | undefined, depth = 0; err && depth < 5; err = err.cause as typeof err, depth++) {
    if (typeof err.type === 'string' && RECORD_ERRORS.has(err.type)) return true;
  }
  return false;
}

interface Placed {
  readonly index: number;
  readonly topic: string;
  readonly message: OutgoingKafkaMessage & { readonly partition: number };
  readonly bytes: number;
}

/**
 * Splits records (in order) into requests: per topic-partition at most `batchLimit(topic)`
 * bytes of records, per request at most `requestLimit` bytes. Records of one partition keep
 * their order across requests.
 */
export function planRequests<T extends { topic: string; message: { partition: number }; bytes: number }>(
  records: readonly T[],
  batchLimit: (topic: string) => number,
  requestLimit: number,
): T[][] {
  const requests: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  let perPartition = new Map<string, number>();
  for (const r of records) {
    const key = `${r.topic}/${r.message.partition}`;
    const partitionBytes = perPartition.get(key) ?? 0;
    if (current.length && (partitionBytes + r.bytes > batchLimit(r.topic) || currentBytes + r.bytes > requestLimit)) {
      requests.push(current);
      current = [];
      currentBytes = 0;
      perPartition = new Map();
    }
    current.push(r);
    currentBytes += r.bytes;
    perPartition.set(key, (perPartition.get(key) ?? 0) + r.bytes);
  }
  if (current.length) requests.push(current);
  return requests;
}

const TOPIC_CACHE_MS = 60_000;
const LIMIT_READ_TIMEOUT_MS = 2_000;

/** kafkajs' ConfigResourceTypes.TOPIC. */
const TOPIC_RESOURCE = 2;

const partitionMetadata = (count: number) =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0, offlineReplicas: [] }));

/**
 * Idempotent producer with acks=all: a resolved send means every in-sync replica has the
 * record. One in-flight request per broker keeps per-partition order across retries.
 *
 * Rabt picks each record's partition itself with the Java-compatible murmur2 partitioner (the
 * same choice kafkajs and the Java client make from the key), so that it can tell every record's
 * exact offset: records of one send to one partition are consecutive, in send order, from the
 * base offset the broker answers.
 */
export class EventProducer {
  private producer: Producer;
  private readonly admin: Admin;
  /** For records without a key only (round robin); keyed records use `partitionForKey`. */
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly topics = new Map<string, { partitions: number; at: number }>();
  private readonly limits = new Map<string, { bytes: number; at: number; refreshing: boolean }>();
  private readonly maxRequestBytes: number;
  private connected: Promise<void> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ProducerOptions = {},
  ) {
    this.producer = this.createProducer();
    this.admin = kafka.admin();
    this.maxRequestBytes = options.maxRequestBytes ?? 16 * 1024 * 1024;
  }

  private createProducer(): Producer {
    return this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: this.options.retries ?? 5, initialRetryTime: 100, maxRetryTime: 1000 },
    });
  }

  connect(): Promise<void> {
    this.connected ??= Promise.all([this.producer.connect(), this.admin.connect()])
      .then(() => undefined)
      .catch((e: unknown) => {
        this.connected = undefined;
        throw e;
      });
    return this.connected;
  }

  /** Produces CloudEvents (binary mode) to one topic; resolves once all are acknowledged. */
  publish(topic: string, events: readonly { attributes: RabtEventAttributes; value: Buffer }[]): Promise<ProducedRecord[]> {
    return this.publishMany(events.map((e) => ({ topic, ...e })));
  }

  /**
   * Produces CloudEvents to any number of topics in one request per broker; resolves (in input
   * order) once all are acknowledged by every in-sync replica, or rejects as a whole.
   */
  async publishMany(events: readonly { topic: string; attributes: RabtEventAttributes; value: Buffer }[]): Promise<ProducedRecord[]> {
    if (events.length === 0) return [];
    await this.connect();
    const placed: Placed[] = [];
    for (const [index, e] of events.entries()) placed.push(await this.place(index, e));
    return this.send(placed);
  }

  /**
   * The size of an event as a Kafka record, and the most its topic takes: the topic's
   * `max.message.bytes` less the record batch overhead. Nothing is sent.
   */
  async measure(event: { topic: string; attributes: RabtEventAttributes; value: Buffer }): Promise<{ bytes: number; limitBytes: number }> {
    return { bytes: recordBytes(toKafkaMessage(event.attributes, event.value)), limitBytes: await this.batchLimit(event.topic) };
  }

  /**
   * Produces CloudEvents so that no record can fail another: each record is answered on its
   * own, in input order.
   * - A record larger than its topic takes is not sent (RecordTooLargeError).
   * - The rest go in as few requests as fit: per partition at most the topic's
   *   `max.message.bytes`, per request at most `maxRequestBytes`.
   * - If the broker refuses a request for its records (MESSAGE_TOO_LARGE and the like), the
   *   producer is replaced (kafkajs rolls back the sequence numbers of every partition of a
   *   failed request, although the broker may have written some of them: the same producer id
   *   would have later records taken for duplicates) and each record of that request is sent
   *   alone, so only the one at fault fails (RecordRejectedError). Records the broker had
   *   written are then on the topic twice, with the same ce_id; consumers deduplicate by id.
   * - If the broker is unavailable, that request's records and all after it are answered
   *   `unavailable`; records acknowledged before stay acknowledged.
   */
  async publishEach(events: readonly { topic: string; attributes: RabtEventAttributes; value: Buffer }[]): Promise<RecordOutcome[]> {
    const outcomes: RecordOutcome[] = new Array(events.length);
    if (events.length === 0) return outcomes;
    await this.connect();
    const sendable: Placed[] = [];
    for (const [index, e] of events.entries()) {
      const placed = await this.place(index, e);
      const limit = await this.batchLimit(e.topic);
      if (placed.bytes > limit) outcomes[index] = { ok: false, error: new RecordTooLargeError(e.topic, placed.bytes, limit) };
      else sendable.push(placed);
    }
    const limits = new Map<string, number>();
    for (const p of sendable) limits.set(p.topic, await this.batchLimit(p.topic));
    const requests = planRequests(sendable, (topic) => limits.get(topic)!, this.maxRequestBytes);
    for (const [n, request] of requests.entries()) {
      try {
        (await this.send(request)).forEach((record, i) => (outcomes[request[i]!.index] = { ok: true, record }));
      } catch (e) {
        if (!isRecordError(e)) {
          for (const p of requests.slice(n).flat()) outcomes[p.index] = { ok: false, error: e as Error, unavailable: true };
          return outcomes;
        }
        await this.replaceProducer();
        // The topic's limit may have changed: read it again (in the background) for later records.
        for (const p of request) {
          const limit = this.limits.get(p.topic);
          if (limit) limit.at = 0;
        }
        for (const p of request) {
          try {
            outcomes[p.index] = { ok: true, record: (await this.send([p]))[0]! };
          } catch (alone) {
            if (!isRecordError(alone)) {
              for (const q of [...request.slice(request.indexOf(p)), ...requests.slice(n + 1).flat()]) outcomes[q.index] = { ok: false, error: alone as Error, unavailable: true };
              return outcomes;
            }
            await this.replaceProducer();
            outcomes[p.index] = { ok: false, error: new RecordRejectedError(`the broker refused the record: ${(alone as Error).message}`) };
          }
        }
      }
    }
    return outcomes;
  }

  private async place(index: number, e: { topic: string; attributes: RabtEventAttributes; value: Buffer }): Promise<Placed> {
    const { partitions } = await this.topicInfo(e.topic);
    const m = toKafkaMessage(e.attributes, e.value);
    const partition = m.key !== null ? partitionForKey(m.key, partitions) : this.partitioner({ topic: e.topic, partitionMetadata: partitionMetadata(partitions), message: { key: m.key, value: m.value } });
    return { index, topic: e.topic, message: { ...m, partition }, bytes: recordBytes(m) };
  }

  /** One sendBatch; resolves (in input order) once all are acknowledged, or rejects as a whole. */
  private async send(placed: readonly Placed[]): Promise<ProducedRecord[]> {
    const byTopic = new Map<string, Placed['message'][]>();
    for (const p of placed) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.message]);
    let metadata;
    try {
      metadata = await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    } catch (e) {
      for (const topic of byTopic.keys()) this.topics.delete(topic);
      throw e;
    }
    // Records of one request to one partition are consecutive, in request order, from the base offset.
    const base = new Map(metadata.map((m) => [`${m.topicName}/${m.partition}`, BigInt(m.baseOffset ?? '-1')]));
    const rank = new Map<string, bigint>();
    return placed.map((p) => {
      const key = `${p.topic}/${p.message.partition}`;
      const r = rank.get(key) ?? 0n;
      rank.set(key, r + 1n);
      return { topic: p.topic, partition: p.message.partition, offset: ((base.get(key) ?? -1n) + r).toString() };
    });
  }

  /** A fresh idempotent producer (new producer id, sequence numbers from 0); the old one is closed. */
  private async replaceProducer(): Promise<void> {
    const old = this.producer;
    this.producer = this.createProducer();
    await old.disconnect().catch(() => undefined);
    await this.producer.connect();
  }

  /** Produces raw records (already encoded) — for internal topics such as dead letters. */
  async sendRaw(topic: string, messages: { key: string | null; value: Buffer; headers?: Record<string, string> }[]): Promise<void> {
    await this.connect();
    await this.producer.send({ topic, acks: -1, messages });
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = undefined;
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }

  /** A topic's partition count, cached for a minute. */
  private async topicInfo(topic: string): Promise<{ partitions: number }> {
    const cached = this.topics.get(topic);
    if (cached && Date.now() - cached.at < TOPIC_CACHE_MS) return cached;
    const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = topics[0]?.partitions.length ?? 0;
    if (partitions === 0) throw new Error(`topic ${topic} has no partitions`);
    const info = { partitions, at: Date.now() };
    this.topics.set(topic, info);
    return info;
  }

  /**
   * The most record bytes one batch to `topic` may hold: its `max.message.bytes` less the record
   * batch overhead. Read once, then refreshed in the background each minute (the stale value
   * answers meanwhile), so that checking an event's size never waits on the broker for long:
   * a first read that takes over 2 s or fails answers the broker's default, uncached; one that is
   * not allowed (no DescribeConfigs permission) answers the default, cached like a read value.
   */
  private async batchLimit(topic: string): Promise<number> {
    const cached = this.limits.get(topic);
    if (cached) {
      if (Date.now() - cached.at >= TOPIC_CACHE_MS && !cached.refreshing) {
        cached.refreshing = true;
        void this.readLimit(topic).finally(() => (cached.refreshing = false));
      }
      return cached.bytes;
    }
    return this.readLimit(topic);
  }

  private async readLimit(topic: string): Promise<number> {
    const fallback = KAFKA_DEFAULT_MAX_MESSAGE_BYTES - RECORD_BATCH_OVERHEAD_BYTES;
    let timer: NodeJS.Timeout | undefined;
    const read = (async () => {
      await this.connect();
      const configs = await this.admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ['max.message.bytes'] }] });
      const configured = Number(configs.resources[0]?.configEntries.find((c) => c.configName === 'max.message.bytes')?.configValue);
      const bytes = (Number.isFinite(configured) && configured > 0 ? configured : KAFKA_DEFAULT_MAX_MESSAGE_BYTES) - RECORD_BATCH_OVERHEAD_BYTES;
      this.limits.set(topic, { bytes, at: Date.now(), refreshing: false });
      return bytes;
    })();
    try {
      return await Promise.race([read, new Promise<number>((resolve) => (timer = setTimeout(() => resolve(fallback), LIMIT_READ_TIMEOUT_MS)))]);
    } catch (e) {
      // A refusal does not pass by itself: the default is kept like a read value (refreshed each
      // minute), so that a producer without DescribeConfigs does not ask again for every event.
      if (/AUTHORIZATION_FAILED$/.test((e as { type?: string }).type ?? '')) this.limits.set(topic, { bytes: fallback, at: Date.now(), refreshing: false });
      return fallback;
    } finally {
      clearTimeout(timer);
      read.catch(() => undefined);
    }
  }
}
