import { Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import { toKafkaMessage, type RabtEventAttributes } from './cloudevents.binding';

export interface ProducedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface ProducerOptions {
  /**
   * Retries per send before giving up. kafkajs' idempotent default is "forever"; Rabt bounds it
   * so callers can answer "unavailable" instead of hanging. Broker-side sequence numbers still
   * keep retried batches free of duplicates.
   */
  readonly retries?: number;
}

const PARTITION_CACHE_MS = 60_000;

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
      retry: { retries: options.retries ?? 10, initialRetryTime: 100, maxRetryTime: 3000 },
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
  async publish(topic: string, events: readonly { attributes: RabtEventAttributes; value: Buffer }[]): Promise<ProducedRecord[]> {
    if (events.length === 0) return [];
    await this.connect();
    const partitions = await this.partitionCount(topic);
    const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0, offlineReplicas: [] }));
    const messages = events.map((e) => {
      const m = toKafkaMessage(e.attributes, e.value);
      const partition = this.partitioner({ topic, partitionMetadata, message: { key: m.key, value: m.value } });
      return { ...m, partition };
    });
    let metadata;
    try {
      metadata = await this.producer.send({ topic, acks: -1, messages });
    } catch (e) {
      this.partitionCounts.delete(topic);
      throw e;
    }
    const base = new Map(metadata.map((m) => [m.partition, BigInt(m.baseOffset ?? '-1')]));
    const rank = new Map<number, bigint>();
    return messages.map((m) => {
      const r = rank.get(m.partition) ?? 0n;
      rank.set(m.partition, r + 1n);
      return { topic, partition: m.partition, offset: ((base.get(m.partition) ?? -1n) + r).toString() };
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
