// The router's hop alone: a TransactionalProcessor copying records from an input to an output
// topic (6 partitions each) on an ephemeral broker, while a read_committed kafkajs consumer
// reads the output. After a warm-up round, sends RECORDS records one at a time at RATE/s (acks=all) and prints the
// send → visible-to-the-reader latency (p50, p99, max in ms) for each partitions-at-once setting.
//   npx tsx --tsconfig tsconfig.base.json bench/delivery/router-hop.ts   (RATE=60 RECORDS=300 CONCURRENCY=1,8)
/* eslint-disable no-restricted-imports */
import { Kafka, logLevel } from 'kafkajs';
import { createKafka, TopicAdmin, TransactionalProcessor } from '@rabt/kafka';
import { ephemeralBroker, kafkaConfigFor, kafkaSslFor } from '@rabt/testing';

const RATE = Number(process.env['RATE'] ?? 60);
const RECORDS = Number(process.env['RECORDS'] ?? 300);
const SETTINGS = (process.env['CONCURRENCY'] ?? '1,8').split(',').map(Number);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(brokers: string, concurrency: number, records = RECORDS): Promise<string> {
  const tag = `${Date.now()}-${concurrency}`;
  const [input, output] = [`bench.router-hop.in.${tag}`, `bench.router-hop.out.${tag}`];
  const kafka = createKafka({ ...kafkaConfigFor('operator-admin', brokers), clientId: 'bench-router-hop', defaultPartitions: 6 });
  const admin = new TopicAdmin(kafka, { partitions: 6, replicationFactor: 1 });
  await admin.ensureTopics([{ name: input }, { name: output }]);
  const processor = new TransactionalProcessor(kafka, {
    groupId: `bench-router-hop-${tag}`,
    topics: [input],
    transactionalId: `bench-router-hop-${tag}`,
    partitionsConcurrently: concurrency,
    sessionTimeoutMs: 6_000,
    process: async (r) => [{ topic: output, key: r.key, value: r.value }],
  });
  await processor.start();
  const raw = new Kafka({ brokers: [brokers], clientId: 'bench-router-hop-raw', ssl: kafkaSslFor('operator-admin'), logLevel: logLevel.NOTHING });
  const reader = raw.consumer({ groupId: `bench-router-hop-reader-${tag}`, readUncommitted: false });
  await reader.connect();
  await reader.subscribe({ topic: output, fromBeginning: true });
  const latencies: number[] = [];
  const produced: number[] = []; // send → the output record's timestamp (taken when the router produced it)
  await reader.run({
    eachMessage: async ({ message }) => {
      const sent = Number(message.value!.toString());
      latencies.push(performance.timeOrigin + performance.now() - sent);
      produced.push(Number(message.timestamp) - sent);
    },
  });
  await sleep(3_000); // the reader's group settles
  const producer = raw.producer();
  await producer.connect();
  const start = performance.now();
  for (let i = 0; i < records; i++) {
    await producer.send({ topic: input, acks: -1, messages: [{ key: String(i), value: String(performance.timeOrigin + performance.now()) }] });
    const due = start + ((i + 1) * 1000) / RATE;
    if (due > performance.now()) await sleep(due - performance.now());
  }
  const deadline = Date.now() + 30_000;
  while (latencies.length < records && Date.now() < deadline) await sleep(50);
  await reader.disconnect();
  await producer.disconnect();
  await processor.stop();
  await admin.disconnect();
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!.toFixed(1);
  const producedMedian = [...produced].sort((a, b) => a - b)[Math.floor(produced.length / 2)] ?? NaN;
  return `${concurrency} partitions at once: ${sorted.length}/${records} seen at ${RATE}/s; p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms; median send → produced by the router ${producedMedian.toFixed(1)} ms`;
}

async function main() {
  const broker = ephemeralBroker(19882);
  await broker.start();
  try {
    // A fresh broker creates its transaction-state and offsets topics on first use: warm up first.
    process.stderr.write(`warm-up, not counted: ${await measure(broker.brokers, SETTINGS[0]!, 100)}\n`);
    for (const c of SETTINGS) process.stdout.write(`${await measure(broker.brokers, c)}\n`);
  } finally {
    await broker.destroy();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`router-hop failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
