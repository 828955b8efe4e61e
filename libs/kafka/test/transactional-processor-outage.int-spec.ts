// The broker goes away while a TransactionalProcessor is mid-stream and comes back: the processor
// recovers on its own (its failed transaction aborted, the producer usable again, the consumer
// rejoined) and every input record's outputs appear exactly once under read_committed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { ephemeralBroker, eventually, kafkaEnv, uniqueName } from '@rabt/testing';
import { createKafka, EventProducer, readMatching, TopicAdmin, TransactionalProcessor } from '../src';

const broker = ephemeralBroker(20492);
const kafkaOf = () => createKafka(loadConfig('tx-outage', { kafka: kafkaFragment('tx-outage') }, kafkaEnv('operator-admin', broker.brokers)).values.kafka);
let processor: TransactionalProcessor | undefined;

beforeAll(async () => {
  await broker.start();
});
afterAll(async () => {
  await processor?.stop().catch(() => undefined);
  await broker.destroy();
});

describe('TransactionalProcessor and a broker outage', () => {
  it('resumes when the broker is back: each record\'s outputs exactly once', async () => {
    const kafka = kafkaOf();
    const admin = new TopicAdmin(kafka, { partitions: 3, replicationFactor: 1 });
    const [input, output] = [uniqueName('rabt.test.outage-in'), uniqueName('rabt.test.outage-out')];
    await admin.ensureTopics([{ name: input }, { name: output }]);
    const producer = new EventProducer(kafka);
    const ids = Array.from({ length: 300 }, (_, i) => `rec-${i}`);
    await producer.publish(input, ids.map((id) => ({ attributes: { id, source: 'urn:rabt:agency:mom', type: 'mom.test.happened', partitionkey: id }, value: Buffer.from(id) })));
    await producer.disconnect();
    await admin.disconnect();

    const errors: unknown[] = [];
    let processed = 0;
    processor = new TransactionalProcessor(kafka, {
      groupId: uniqueName('g'),
      topics: [input],
      transactionalId: uniqueName('tx'),
      maxRecordsPerTransaction: 10,
      partitionsConcurrently: 3,
      sessionTimeoutMs: 6_000,
      onError: (e) => errors.push(e),
      process: async (r) => {
        await new Promise((res) => setTimeout(res, 10));
        processed++;
        const id = r.headers['ce_id']!;
        return ['a', 'b'].map((suffix) => ({ topic: output, key: `${id}:${suffix}`, value: r.value, headers: { ce_id: id } }));
      },
    });
    await processor.start();
    await eventually(() => processed >= 60, 60_000, 10);
    await broker.stop();
    const atStop = processed;
    expect(atStop).toBeLessThan(ids.length); // really mid-stream
    await new Promise((r) => setTimeout(r, 3_000));
    await broker.start();

    const seen = await readMatching(kafkaOf(), output, () => true, { expected: ids.length * 2, timeoutMs: 150_000 });
    const counts = new Map<string, number>();
    for (const r of seen) counts.set(r.key!, (counts.get(r.key!) ?? 0) + 1);
    for (const id of ids) {
      expect(counts.get(`${id}:a`), `${id}:a`).toBe(1);
      expect(counts.get(`${id}:b`), `${id}:b`).toBe(1);
    }
    console.log(`[tx-outage] ${atStop} of ${ids.length} processed when the broker stopped; ${errors.length} aborted transactions or failures reported; all outputs exactly once afterwards`);
  }, 240_000);
});
