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
  const consumer = new EventConsumer(kafka, {
    groupId: `rabt-reader-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    handle: async (r) => {
      if (match(r)) {
        found.push(r);
        lastMatch = Date.now();
      }
    },
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
