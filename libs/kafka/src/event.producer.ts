import { Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import { toKafkaMessage, type RabtEventAttributes } from './cloudevents.binding';

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
}

const PARTITION_CACHE_MS = 60_000;

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
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly partitionCounts = new Map<string, { count: number; at: number }>();
  private connected: Promise<void> | undefined;

  constructor(kafka: Kafka, options: ProducerOptions = {}) {
    this.producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: options.retries ?? 5, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    this.admin = kafka.admin();
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
    const placed = [];
    for (const e of events) {
      const partitions = await this.partitionCount(e.topic);
      const m = toKafkaMessage(e.attributes, e.value);
      const partition = this.partitioner({ topic: e.topic, partitionMetadata: partitionMetadata(partitions), message: { key: m.key, value: m.value } });
      placed.push({ topic: e.topic, message: { ...m, partition } });
    }
    const byTopic = new Map<string, (typeof placed)[number]['message'][]>();
    for (const p of placed) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.message]);
    let metadata;
    try {
      metadata = await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    } catch (e) {
      for (const topic of byTopic.keys()) this.partitionCounts.delete(topic);
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

  private async partitionCount(topic: string): Promise<number> {
    const cached = this.partitionCounts.get(topic);
    if (cached && Date.now() - cached.at < PARTITION_CACHE_MS) return cached.count;
    const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
    const count = topics[0]?.partitions.length ?? 0;
    if (count === 0) throw new Error(`topic ${topic} has no partitions`);
    this.partitionCounts.set(topic, { count, at: Date.now() });
    return count;
  }
}
