// A TransactionalProcessor in a process of its own, so a test can kill -9 it mid-stream.
// Each input record becomes two output records (keys <id>:a and <id>:b).
import { kafkaFragment, loadConfig } from '@rabt/config';
import { createKafka, TransactionalProcessor } from '../src';
import { kafkaEnv } from '@rabt/testing';

const { BROKERS, IN, OUT, GROUP, TXID, DELAY_MS, CONCURRENCY } = process.env;
const { kafka: config } = loadConfig('processor-child', { kafka: kafkaFragment('processor-child') }, kafkaEnv('operator-admin', BROKERS)).values;
const processor = new TransactionalProcessor(createKafka(config), {
  groupId: GROUP!,
  topics: [IN!],
  transactionalId: TXID!,
  maxRecordsPerTransaction: 10,
  partitionsConcurrently: Number(CONCURRENCY ?? 1),
  sessionTimeoutMs: 6_000, // the broker's minimum: a killed member's partitions move on quickly
  process: async (r) => {
    await new Promise((res) => setTimeout(res, Number(DELAY_MS ?? 0)));
    const id = r.headers['ce_id']!;
    return ['a', 'b'].map((suffix) => ({ topic: OUT!, key: `${id}:${suffix}`, value: r.value, headers: { ce_id: id, copy: suffix } }));
  },
});
processor.start().then(
  () => process.stdout.write('started\n'),
  (e: unknown) => {
    process.stderr.write(String(e));
    process.exit(1);
  },
);
