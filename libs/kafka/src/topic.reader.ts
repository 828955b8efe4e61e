import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { EventConsumer, type ConsumedRecord } from './event.consumer';
import { whileRetriable } from './topic.admin';

/**
 * Reads a topic from the beginning with a throwaway consumer group and returns the records that
 * match, once `expected` of them were seen or `idleMs` passed without a new match. For tools,
 * checks and tests — not for services (they consume with a real group).
 */
export async function readMatching(
  kafka: Kafka,
  topic: string,
  match: (r: ConsumedRecord) => boolean,
  options: {
    expected?: number;
    timeoutMs?: number;
    idleMs?: number;
    /** Start here instead of the beginning: partition -> offset; other partitions start at their end. */
    from?: ReadonlyMap<number, string>;
  } = {},
): Promise<ConsumedRecord[]> {
  const found: ConsumedRecord[] = [];
  let lastMatch = Date.now();
  const take = (r: ConsumedRecord) => {
    if (match(r)) {
      found.push(r);
      lastMatch = Date.now();
    }
  };
  const consumer = new EventConsumer(kafka, {
    groupId: `rabt-reader-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    handle: async (r) => take(r),
    handleBatch: async (rs) => rs.forEach(take), // one offset commit per run, not per record: a long topic reads in seconds
  });
  await consumer.start();
  if (options.from) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const { partition, high } of await whileRetriable(() => admin.fetchTopicOffsets(topic))) consumer.seek(topic, partition, options.from.get(partition) ?? high);
    } finally {
      await admin.disconnect();
    }
  }
  // Idle counts from the group join (start() returns after it), not from before: a join that took
  // longer than idleMs would otherwise end the read before its first fetch.
  lastMatch = Date.now();
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  try {
    while (Date.now() < deadline) {
      if (options.expected !== undefined && found.length >= options.expected) break;
      if (options.idleMs !== undefined && Date.now() - lastMatch > options.idleMs) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await consumer.stop();
  }
  return found;
}

/**
 * Reads every record a topic holds now: from the beginning up to the end offsets at the time of
 * the call, with a throwaway consumer group. Unlike readMatching it never stops on a guess: it
 * returns once each partition was read to its end, or throws when `timeoutMs` passes first. A
 * topic that does not exist holds nothing. For tools and checks (e.g. `rabt audit verify`).
 */
export async function readToEnd(kafka: Kafka, topic: string, options: { timeoutMs?: number } = {}): Promise<ConsumedRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    if (!(await admin.listTopics()).includes(topic)) return [];
    const offsets = await whileRetriable(() => admin.fetchTopicOffsets(topic));
    ends = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high) - 1n]));
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];
  const records: ConsumedRecord[] = [];
  const pending = new Set(ends.keys());
  const take = (r: ConsumedRecord) => {
    const last = ends.get(r.partition);
    if (last === undefined || BigInt(r.offset) > last) return;
    records.push(r);
    if (BigInt(r.offset) === last) pending.delete(r.partition);
  };
  const consumer = new EventConsumer(kafka, {
    groupId: `rabt-reader-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    handle: async (r) => take(r),
    handleBatch: async (rs) => rs.forEach(take),
  });
  await consumer.start();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  try {
    while (pending.size > 0) {
      if (Date.now() > deadline) throw new Error(`could not read ${topic} to its end within ${timeoutMs} ms (partitions ${[...pending].join(', ')} unfinished)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await consumer.stop();
  }
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
