// kafkajs 2.2.4's read_committed filter (src/consumer/filterAbortedMessages.js) stepped into at
// most one aborted transaction per record. A fetch that starts inside two aborted transactions of
// different producers, interleaved in one partition, then let through the first record of the
// second one. That is the fetch a consumer makes after a restart or a rebalance, when its
// committed offset lies inside such transactions — several router instances writing one inbox
// partition, one of them crashing. patches/kafkajs+2.2.4.patch makes it a loop, as in the Java
// client; this test fails without it.
import { afterAll, describe, expect, it } from 'vitest';
import type { Kafka, Producer, Transaction } from 'kafkajs';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { kafkaEnv, testStack, uniqueName } from '@rabt/testing';
import { createKafka, TopicAdmin } from '../src';

const { kafka: config } = loadConfig('aborted-txn-test', { kafka: kafkaFragment('rabt-aborted-txn-test') }, kafkaEnv('operator-admin', testStack.kafkaBrokers)).values;
const kafka: Kafka = createKafka(config);
const admin = new TopicAdmin(kafka, { partitions: 1, replicationFactor: 1 });
const producers: Producer[] = [];

async function transactional(id: string): Promise<Producer> {
  const p = kafka.producer({ transactionalId: uniqueName(id), idempotent: true, maxInFlightRequests: 1 });
  producers.push(p);
  await p.connect();
  return p;
}

/** Every value a read_committed consumer gets from `offset` of partition 0 until `last` arrives. */
async function readCommitted(topic: string, offset: string, last: string): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('rabt-aborted-txn-reader'), readUncommitted: false });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = message.value?.toString() ?? '';
      values.push(value);
      if (value === last) done();
    },
  });
  consumer.seek({ topic, partition: 0, offset });
  const timeout = setTimeout(done, 30_000);
  await finished;
  clearTimeout(timeout);
  await consumer.disconnect();
  return values;
}

afterAll(async () => {
  await Promise.allSettled(producers.map((p) => p.disconnect()));
  await admin.disconnect();
});

describe('read_committed and interleaved aborted transactions', () => {
  /** Offsets: a1 0, b1 1, b2 2, a2 3 — two open transactions interleaved — then both aborted in `order`, then one committed record. */
  async function interleavedAborts(order: 'a-then-b' | 'b-then-a'): Promise<string> {
    const topic = uniqueName('rabt.test.aborted');
    await admin.ensureTopics([{ name: topic, partitions: 1 }]);
    const a = await transactional('rabt-test-a');
    const b = await transactional('rabt-test-b');
    const send = (t: Transaction, value: string) => t.send({ topic, acks: -1, messages: [{ value }] });
    const ta = await a.transaction();
    const tb = await b.transaction();
    await send(ta, 'a1');
    await send(tb, 'b1');
    await send(tb, 'b2');
    await send(ta, 'a2');
    for (const t of order === 'a-then-b' ? [ta, tb] : [tb, ta]) await t.abort();
    const tc = await a.transaction();
    await send(tc, 'committed');
    await tc.commit();
    return topic;
  }

  it('filters them when the fetch starts inside both (a restart or rebalance inside them)', async () => {
    const topic = await interleavedAborts('a-then-b');
    // From offset 2 the broker names both aborted transactions; b2 is b's first record in the
    // fetch and comes after a's transaction was stepped into (unpatched: one step per record).
    expect(await readCommitted(topic, '2', 'committed')).toEqual(['committed']);
    expect(await readCommitted(topic, '0', 'committed')).toEqual(['committed']);
  }, 120_000);

  it('filters them when the later-started transaction was aborted first', async () => {
    const topic = await interleavedAborts('b-then-a');
    // The broker lists aborted transactions in the order of their abort markers, here b (first
    // offset 1) before a (first offset 0); unpatched, a1 passed because only the list's head was
    // compared.
    expect(await readCommitted(topic, '0', 'committed')).toEqual(['committed']);
    expect(await readCommitted(topic, '2', 'committed')).toEqual(['committed']);
  }, 120_000);
});
