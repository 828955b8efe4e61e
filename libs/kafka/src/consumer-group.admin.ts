import type { Kafka } from 'kafkajs';

export interface GroupPosition {
  readonly topic: string;
  readonly partition: number;
  /** The next offset the group reads there. */
  readonly offset: string;
}

/**
 * Commits where a consumer group continues, on any number of topics at once (one group join;
 * kafkajs' admin.setOffsets joins once per topic). The group must have no running member. For
 * tools and tests that start a new group at a known position — e.g. at the current end, to
 * skip what other runs left on a shared broker.
 */
export async function commitGroupPositions(kafka: Kafka, groupId: string, positions: readonly GroupPosition[]): Promise<void> {
  if (positions.length === 0) return;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  try {
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set(positions.map((p) => p.topic))], fromBeginning: false });
    // It only joins (a member may commit for its group); records it might fetch are ignored, never committed.
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
    await joined;
    await consumer.commitOffsets(positions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset })));
  } finally {
    await consumer.disconnect();
  }
}
