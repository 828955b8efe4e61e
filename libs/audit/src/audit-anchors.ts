import { readToEnd, type EventProducer, type KafkaClient, type TopicAdmin } from '@rabt/kafka';
import type { AuditAnchor } from './audit-record';

/** Parses an anchor record's value; null when it is not one (a foreign record on the topic). */
export function parseAnchor(value: Buffer): AuditAnchor | null {
  try {
    const a = JSON.parse(value.toString('utf8')) as Partial<AuditAnchor>;
    if (typeof a.chain !== 'string' || !Number.isSafeInteger(a.seq) || typeof a.hash !== 'string' || !/^[0-9a-f]{64}$/.test(a.hash) || typeof a.at !== 'string') return null;
    return { chain: a.chain, seq: a.seq!, hash: a.hash, at: a.at };
  } catch {
    return null;
  }
}

/**
 * The anchors topic: one compacted partition, keyed by chain, so it keeps at least the newest
 * anchor of every chain for good (the newest is enough: the hash at its seq covers every record
 * before it). Lives on Kafka, apart from the database the chain is in.
 */
export class AuditAnchorTopic {
  constructor(
    private readonly kafka: KafkaClient,
    readonly topic: string,
  ) {}

  async ensure(admin: TopicAdmin): Promise<void> {
    await admin.ensureTopics([{ name: this.topic, partitions: 1, cleanupPolicy: 'compact' }]);
  }

  async publish(producer: EventProducer, anchor: AuditAnchor): Promise<void> {
    await producer.sendRaw(this.topic, [{ key: anchor.chain, value: Buffer.from(JSON.stringify(anchor)), headers: { 'content-type': 'application/json' } }]);
  }

  /** Every anchor of `chain` the topic holds, oldest first. */
  async read(chain: string, timeoutMs = 30_000): Promise<AuditAnchor[]> {
    const records = await readToEnd(this.kafka, this.topic, { timeoutMs });
    return records.map((r) => parseAnchor(r.value)).filter((a): a is AuditAnchor => a !== null && a.chain === chain);
  }
}
