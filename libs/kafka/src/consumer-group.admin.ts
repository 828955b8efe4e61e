import type { Kafka } from 'kafkajs';
import { firstJoin } from './consumer.lifecycle';

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
  // No restart once it is done: kafkajs restarts a consumer whose runner crashed, even when the
  // crash came from our own disconnect below, and the restarted one would rejoin the group as a
  // hidden member holding partitions nobody consumes (docs/routing.md, "Consumers stay stopped").
  // While it joins, a crash (a broker that has just started has no group coordinator yet) restarts.
  let done = false;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, retry: { retries: 5, restartOnFailure: async () => !done } });
  try {
    const joined = firstJoin(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set(positions.map((p) => p.topic))], fromBeginning: false });
    // It only joins (a member may commit for its group); records it might fetch are ignored, never committed.
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
    await joined;
    await consumer.commitOffsets(positions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset })));
  } finally {
    done = true;
    await consumer.disconnect();
  }
}
