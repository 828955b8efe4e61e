// EventProducer.publishEach against the real broker, on a topic of the test's own with a small
// max.message.bytes: each record is answered on its own, and a record the broker refuses fails
// no other record, now or later (kafkajs rolls back the sequence numbers of every partition of a
// failed request; without a fresh producer, the broker takes later records of the partitions it
// did write for duplicates and drops them while answering success).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { kafkaEnv, testStack, uniqueName } from '@rabt/testing';
import { createKafka, EventProducer, partitionForKey, readToEnd, RecordRejectedError, RecordTooLargeError, type RecordOutcome } from '../src';

const { kafka: config } = loadConfig('producer-test', { kafka: kafkaFragment('rabt-producer-test') }, kafkaEnv('operator-admin', testStack.kafkaBrokers)).values;
const kafka: Kafka = createKafka(config);
const topic = uniqueName('rabt.test.producer');
let admin: Admin;
let producer: EventProducer;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'max.message.bytes', value: '8000' }] }] });
  producer = new EventProducer(kafka, { retries: 2 });
});
afterAll(async () => {
  await producer?.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

let n = 0;
const event = (key: string, bytes: number) => ({
  topic,
  attributes: { id: `e-${++n}`, source: 'urn:rabt:agency:test', type: 'test.producer', time: new Date().toISOString(), partitionkey: key },
  value: Buffer.alloc(bytes, 0x61),
});
function keysOnDifferentPartitions(): [string, string] {
  const a = 'key-a';
  for (let i = 0; ; i++) if (partitionForKey(`key-b${i}`, 3) !== partitionForKey(a, 3)) return [a, `key-b${i}`];
}
const idOf = (e: ReturnType<typeof event>) => e.attributes.id;

describe('EventProducer.publishEach', () => {
  const acknowledged = new Map<string, { partition: number; offset: string }>();
  const remember = (events: ReturnType<typeof event>[], outcomes: RecordOutcome[]) =>
    outcomes.forEach((o, i) => o.ok && acknowledged.set(idOf(events[i]!), { partition: o.record.partition, offset: o.record.offset }));

  it('refuses a record over the topic limit without sending it, and splits records that only fit one by one', async () => {
    const events = [event('k1', 200), event('k1', 9_000), event('k1', 5_000), event('k1', 5_000), event('k2', 200)];
    const outcomes = await producer.publishEach(events);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, true, true]);
    expect(!outcomes[1]!.ok && outcomes[1]!.error).toBeInstanceOf(RecordTooLargeError);
    remember(events, outcomes);
  });

  it('a record the broker refuses fails alone; the others of its request and later records to the same partitions are stored', async () => {
    // The producer has the topic limit cached (8000); the broker now takes 3000.
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: topic, configEntries: [{ name: 'max.message.bytes', value: '3000' }] }] });
    await new Promise((r) => setTimeout(r, 1_000));
    // Two records for one partition and the refused one for another, in one request: the broker
    // writes the first partition's batch of two and refuses the other.
    const [a, b] = keysOnDifferentPartitions();
    const events = [event(a, 100), event(a, 100), event(b, 5_000), event(b, 100)];
    const outcomes = await producer.publishEach(events);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, true]);
    expect(!outcomes[2]!.ok && outcomes[2]!.error).toBeInstanceOf(RecordRejectedError);
    remember(events, outcomes);

    const later = [event(a, 100), event(a, 100), event(b, 100), event('k3', 100)];
    const laterOutcomes = await producer.publishEach(later);
    expect(laterOutcomes.map((o) => o.ok)).toEqual([true, true, true, true]);
    remember(later, laterOutcomes);
  });

  it('every acknowledged record is on the topic at the offset it was answered with', async () => {
    const records = await readToEnd(kafka, topic, { timeoutMs: 30_000 });
    const at = new Map(records.map((r) => [`${r.partition}/${r.offset}`, r.headers['ce_id']]));
    for (const [id, { partition, offset }] of acknowledged) expect(at.get(`${partition}/${offset}`), id).toBe(id);
    expect(records.filter((r) => r.value.length >= 5_000).map((r) => r.headers['ce_id'])).toEqual(['e-3', 'e-4']);
  });
});
