import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { eventually, kafkaEnv, testStack, uniqueName } from '@rabt/testing';
import {
  createKafka,
  EventConsumer,
  EventProducer,
  fromKafkaMessage,
  PermanentError,
  TopicAdmin,
  type ConsumedRecord,
} from '../src';

const { kafka: config } = loadConfig('kafka-int-test', { kafka: kafkaFragment('rabt-kafka-int-test') }, kafkaEnv('operator-admin', testStack.kafkaBrokers)).values;
const kafka = createKafka(config);
const admin = new TopicAdmin(kafka, { partitions: 3, replicationFactor: 1 });
const producer = new EventProducer(kafka);
const consumers: EventConsumer[] = [];

function event(id: string, key: string) {
  return {
    attributes: { id, source: 'urn:rabt:agency:mom', type: 'mom.test.happened', transactionid: `tx-${id}`, partitionkey: key },
    value: Buffer.from([0, 0, 0, 0, 7, id.length]),
  };
}

async function consume(options: Omit<ConstructorParameters<typeof EventConsumer>[1], 'producer'>): Promise<EventConsumer> {
  const consumer = new EventConsumer(kafka, { ...options, producer });
  consumers.push(consumer);
  await consumer.start();
  return consumer;
}

beforeAll(async () => {
  await producer.connect();
});

afterAll(async () => {
  await Promise.allSettled(consumers.map((c) => c.stop()));
  await producer.disconnect();
  await admin.disconnect();
});

describe('topic admin', () => {
  it('creates catalogue topics with their partitions and retention, and leaves existing ones alone', async () => {
    const name = uniqueName('rabt.test.admin');
    const spec = { name, partitions: 4, retentionMs: 2_592_000_000 };
    expect(await admin.ensureTopics([spec])).toEqual([name]);
    expect(await admin.ensureTopics([spec])).toEqual([]);
    const described = await admin.describeTopic(name);
    expect(described.partitions).toBe(4);
    expect(described.config['retention.ms']).toBe('2592000000');
  });
});

describe('produce → consume round trip', () => {
  it('delivers CloudEvents with ce_ headers, keyed by partition key, at the offsets the producer reported', async () => {
    const topic = uniqueName('rabt.test.roundtrip');
    await admin.ensureTopics([{ name: topic, partitions: 3 }]);
    const events = [event('a', 'civil-1'), event('b', 'civil-2'), event('c', 'civil-1'), event('d', 'civil-3')];
    const produced = await producer.publish(topic, events);
    expect(produced).toHaveLength(4);
    // same key, same partition, consecutive offsets in send order
    expect(produced[0]!.partition).toBe(produced[2]!.partition);
    expect(BigInt(produced[2]!.offset)).toBeGreaterThan(BigInt(produced[0]!.offset));

    const seen: ConsumedRecord[] = [];
    await consume({ groupId: uniqueName('g'), topics: [topic], handle: async (r) => void seen.push(r) });
    await eventually(() => seen.length === 4);

    for (const [i, e] of events.entries()) {
      const record = seen.find((r) => r.headers['ce_id'] === e.attributes.id)!;
      expect(record.key).toBe(e.attributes.partitionkey);
      expect(record.partition).toBe(produced[i]!.partition);
      expect(record.offset).toBe(produced[i]!.offset);
      expect(record.headers['content-type']).toBe('application/avro');
      const ce = fromKafkaMessage({ key: Buffer.from(record.key!), value: record.value, headers: record.headers, timestamp: record.timestamp });
      expect(ce.attributes).toMatchObject({ id: e.attributes.id, source: 'urn:rabt:agency:mom', type: 'mom.test.happened', transactionid: `tx-${e.attributes.id}`, specversion: '1.0' });
      expect(ce.data.equals(e.value)).toBe(true);
    }
  });
});

describe('consumer commit discipline', () => {
  it('retries a passing failure in place, then commits: a restarted group does not see it again', async () => {
    const topic = uniqueName('rabt.test.retry');
    await admin.ensureTopics([{ name: topic, partitions: 1 }]);
    await producer.publish(topic, [event('r1', 'k'), event('r2', 'k')]);
    const groupId = uniqueName('g');
    let failuresLeft = 2;
    const handled: string[] = [];
    const first = await consume({
      groupId,
      topics: [topic],
      handle: async (r) => {
        if (r.headers['ce_id'] === 'r1' && failuresLeft-- > 0) throw new Error('database briefly unavailable');
        handled.push(r.headers['ce_id']!);
      },
    });
    await eventually(() => handled.length === 2);
    expect(handled).toEqual(['r1', 'r2']); // order kept: r2 waited for r1's retries
    await first.stop();

    await producer.publish(topic, [event('r3', 'k')]);
    const afterRestart: string[] = [];
    await consume({ groupId, topics: [topic], handle: async (r) => void afterRestart.push(r.headers['ce_id']!) });
    await eventually(() => afterRestart.length >= 1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(afterRestart).toEqual(['r3']);
  });

  it('does not commit a record whose handling was interrupted: the next member of the group gets it again', async () => {
    const topic = uniqueName('rabt.test.crash');
    await admin.ensureTopics([{ name: topic, partitions: 1 }]);
    await producer.publish(topic, [event('c1', 'k'), event('c2', 'k')]);
    const groupId = uniqueName('g');
    const firstSaw: string[] = [];
    const first = await consume({
      groupId,
      topics: [topic],
      handle: async (r) => {
        firstSaw.push(r.headers['ce_id']!);
        if (r.headers['ce_id'] === 'c2') throw new Error('dependency down');
      },
    });
    await eventually(() => firstSaw.includes('c2'));
    await first.stop();

    const secondSaw: string[] = [];
    await consume({ groupId, topics: [topic], handle: async (r) => void secondSaw.push(r.headers['ce_id']!) });
    await eventually(() => secondSaw.length >= 1);
    expect(secondSaw[0]).toBe('c2');
    expect(secondSaw).not.toContain('c1');
  });

  it('dead-letters a record that can never succeed, with the reason, and moves on', async () => {
    const topic = uniqueName('rabt.test.dlq');
    const dlq = uniqueName('rabt.test.dlq.dead');
    await admin.ensureTopics([{ name: topic, partitions: 1 }, { name: dlq, partitions: 1 }]);
    await producer.publish(topic, [event('bad', 'k'), event('good', 'k')]);
    const handled: string[] = [];
    await consume({
      groupId: uniqueName('g'),
      topics: [topic],
      deadLetterTopic: dlq,
      handle: async (r) => {
        if (r.headers['ce_id'] === 'bad') throw new PermanentError('SCHEMA_MISMATCH', 'payload does not match the registered schema');
        handled.push(r.headers['ce_id']!);
      },
    });
    const dead: ConsumedRecord[] = [];
    await consume({ groupId: uniqueName('g'), topics: [dlq], handle: async (r) => void dead.push(r) });
    await eventually(() => handled.length === 1 && dead.length === 1);
    expect(handled).toEqual(['good']);
    expect(dead[0]!.headers).toMatchObject({
      ce_id: 'bad',
      rabt_dlq_topic: topic,
      rabt_dlq_offset: '0',
      rabt_dlq_error_code: 'SCHEMA_MISMATCH',
      rabt_dlq_error: 'payload does not match the registered schema',
    });
    expect(dead[0]!.key).toBe('k');
  });

  it('batch mode: runs of records in one call, committed once; a run that fails is redone record by record, dead-lettering only the bad one', async () => {
    const topic = uniqueName('rabt.test.batch');
    const dlq = uniqueName('rabt.test.batch.dead');
    await admin.ensureTopics([{ name: topic, partitions: 1 }, { name: dlq, partitions: 1 }]);
    const ids = Array.from({ length: 40 }, (_, i) => `e${i}`);
    await producer.publish(topic, ids.map((id) => (id === 'e17' ? event('bad', 'k') : event(id, 'k'))));
    const runs: number[] = [];
    const handled: string[] = [];
    const groupId = uniqueName('g');
    const options = {
      groupId,
      topics: [topic],
      deadLetterTopic: dlq,
      maxBatchRecords: 10,
      handle: async (r: ConsumedRecord) => {
        if (r.headers['ce_id'] === 'bad') throw new PermanentError('SCHEMA_MISMATCH', 'bad record');
        handled.push(r.headers['ce_id']!);
      },
      handleBatch: async (records: readonly ConsumedRecord[]) => {
        if (records.some((r) => r.headers['ce_id'] === 'bad')) throw new PermanentError('SCHEMA_MISMATCH', 'a bad record in the run');
        runs.push(records.length);
        handled.push(...records.map((r) => r.headers['ce_id']!));
      },
    };
    const first = await consume(options);
    const dead: ConsumedRecord[] = [];
    await consume({ groupId: uniqueName('g'), topics: [dlq], handle: async (r) => void dead.push(r) });
    await eventually(() => handled.length === 39 && dead.length === 1).catch((e: unknown) => { throw new Error(`${String(e)}; handled ${handled.length} (first 50: ${handled.slice(0, 50).join(',')}); dead ${dead.length}`); });
    expect(handled).toEqual(ids.filter((id) => id !== 'e17'));
    expect(runs.every((n) => n > 1 && n <= 10)).toBe(true);
    expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThan(20); // most of it went in runs
    expect(dead[0]!.headers).toMatchObject({ ce_id: 'bad', rabt_dlq_offset: '17' });
    // Everything was committed: the group, restarted, gets nothing again.
    await first.stop();
    await producer.publish(topic, [event('after', 'k')]);
    handled.length = 0;
    await consume(options);
    await eventually(() => handled.length === 1);
    expect(handled).toEqual(['after']);
  });
});
