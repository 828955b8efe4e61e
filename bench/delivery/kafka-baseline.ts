// Yardstick for the delivery benchmark, its own process: raw kafkajs produce → consume on the
// same broker. Produces N records of SIZE bytes (acks=all, batches of 100, 4 sends in flight)
// while a consumer group reads the topic from the beginning; prints one JSON line with the
// records consumed per second (first send → last record consumed).
//   tsx bench/delivery/kafka-baseline.ts <brokers> <topic> <N> <size>
/* eslint-disable no-restricted-imports */
import { Kafka, logLevel } from 'kafkajs';
import { kafkaSslFor } from '@rabt/testing';

const [, , brokers, topicArg, n, size] = process.argv;
const topic = topicArg!;
const N = Number(n);
const value = Buffer.alloc(Number(size), 'x');

async function main() {
  const kafka = new Kafka({ brokers: brokers!.split(','), clientId: 'bench-baseline', ssl: kafkaSslFor('operator-admin'), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `${topic}-group`, sessionTimeout: 6000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let consumed = 0;
  let start = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  let last = 0;
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      consumed += batch.messages.length;
      if (consumed >= N) {
        last = performance.now();
        done();
      }
    },
  });
  // wait for the assignment before the clock starts
  await joined;
  start = performance.now();
  let next = 0;
  const sender = async () => {
    while (next < N) {
      const from = next;
      next = Math.min(N, next + 100);
      const messages = [];
      for (let i = from; i < next; i++) messages.push({ key: String(200000000 + i), value });
      await producer.send({ topic, acks: -1, messages });
    }
  };
  await Promise.all([sender(), sender(), sender(), sender()]);
  await Promise.race([finished, new Promise((r) => setTimeout(r, 60_000))]);
  const seconds = ((last || performance.now()) - start) / 1000;
  process.stdout.write(`${JSON.stringify({ records: consumed, seconds, perSecond: consumed / seconds })}\n`);
  await consumer.disconnect();
  await producer.disconnect();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`kafka baseline failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
