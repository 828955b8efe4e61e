// Reference points for the delivery benchmark (not figures): the least work any Node pipeline
// with Rabt's hops must do, and nothing else — no database, no idempotency claims, no
// transactions, no retry state, no attempt records, no audit, no validation beyond the Avro
// encoding. Each role is its own process:
//
//   tsx bench/delivery/floor.ts dispatch <brokers> <topic> <registryUrl> <user:password> <receiverUrl> <concurrency> <records>
//     A fresh consumer group reads an inbox topic from the beginning (raw kafkajs, read_committed,
//     eachBatch, 3 partitions at once). Each record's Avro value is decoded through the schema
//     registry, its CloudEvent built from the binary-mode headers, the JSON body HMAC-SHA256-signed
//     (node:crypto) and POSTed through an undici Pool (keep-alive), at most <concurrency> at once;
//     a batch's offset is committed once its requests answered. Stops after <records> answers and
//     prints one JSON line: deliveries (2xx) per second and this process's CPU µs per delivery,
//     both over the last two thirds of the answers (the first third warms the process up).
//   tsx bench/delivery/floor.ts gateway <brokers> <registryUrl> <user:password> <subject> <topic>
//     A node:http server: a POSTed structured CloudEvent is parsed, its data Avro-encoded with the
//     subject's latest schema, and produced (binary mode, acks=all) in batches that gather for 2 ms,
//     as the gateway's batcher does; 202 once its batch is acknowledged. Prints {"port":…}.
//   tsx bench/delivery/floor.ts route <brokers> <fromTopic> <toTopic>
//     Copies every record to <toTopic> (same key, value, headers; acks=all, one send per fetched
//     batch) and commits the batch's offset after the send. Prints {"ready":true}.
//   tsx bench/delivery/floor.ts deliver <brokers> <topic> <registryUrl> <user:password> <receiverUrl> <concurrency>
//     dispatch without an end: runs until killed. Prints {"ready":true}.
/* eslint-disable no-restricted-imports */
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { Pool } from 'undici';
import { Kafka, logLevel, type Consumer, type IHeaders } from 'kafkajs';
import { firstJoin } from '@rabt/kafka';
import { kafkaSslFor } from '@rabt/testing';

const [, , role, brokers, ...args] = process.argv;
const kafka = new Kafka({ brokers: brokers!.split(','), clientId: `bench-floor-${role}`, ssl: kafkaSslFor('operator-admin'), logLevel: logLevel.NOTHING });
const registryOf = (url: string, credentials: string) => {
  const [username, password] = credentials.split(':');
  return new SchemaRegistry({ host: url, auth: { username: username!, password: password! } });
};
const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

/** A consumer group of its own, reading `topic` from the beginning; `joined` once it has its assignment. */
async function consumerOf(topic: string): Promise<{ consumer: Consumer; joined: Promise<void> }> {
  const consumer = kafka.consumer({ groupId: `bench-floor-${role}-${process.pid}`, sessionTimeout: 6000, readUncommitted: false });
  const joined = firstJoin(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  return { consumer, joined };
}

/** Consume → decode → sign → POST; calls `answered` after each answer. */
async function deliver(topic: string, registryUrl: string, credentials: string, receiverUrl: string, concurrency: number, answered: (ok: boolean) => void): Promise<Consumer> {
  const registry = registryOf(registryUrl, credentials);
  const target = new URL(receiverUrl);
  const pool = new Pool(target.origin, { connections: concurrency });
  const secret = randomBytes(24);
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    if (inFlight < concurrency) inFlight++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  };
  const post = (id: string, body: string) => {
    const payload = Buffer.from(body);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', secret).update(`${id}.${timestamp}.`).update(payload).digest('base64');
    const headers = { 'content-type': 'application/cloudevents+json', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
    return pool.request({ path: target.pathname, method: 'POST', headers, body: payload }).then(
      async (res) => {
        await res.body.dump();
        return res.statusCode;
      },
      () => 0,
    );
  };
  const { consumer, joined } = await consumerOf(topic);
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => {
      const answers: Promise<void>[] = [];
      for (const message of batch.messages) {
        const h = (name: string) => message.headers?.[name]?.toString();
        const data = await registry.decode(message.value!);
        const event = { specversion: '1.0', id: h('ce_id'), source: h('ce_source'), type: h('ce_type'), time: h('ce_time'), datacontenttype: 'application/json', dataschema: h('ce_dataschema'), partitionkey: h('ce_partitionkey'), data };
        await slot();
        answers.push(
          post(`msg_${h('ce_id')}`, JSON.stringify(event)).then((status) => {
            release();
            answered(status >= 200 && status < 300);
          }),
        );
      }
      await Promise.all(answers);
      const end = batch.messages[batch.messages.length - 1];
      if (end) await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(end.offset) + 1n).toString() }]);
    },
  });
  await joined;
  return consumer;
}

async function dispatch([topic, registryUrl, credentials, receiverUrl, concurrency, records]: string[]): Promise<void> {
  const total = Number(records);
  let delivered = 0;
  let failed = 0;
  let first = 0;
  let last = 0;
  let cpuAtFirst: NodeJS.CpuUsage | undefined;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  // The first third warms the process up (JIT, connections) and is not counted.
  const warm = Math.floor(total / 3);
  let answers = 0;
  const consumer = await deliver(topic!, registryUrl!, credentials!, receiverUrl!, Number(concurrency), (ok) => {
    answers++;
    if (answers === warm) {
      first = performance.now();
      cpuAtFirst = process.cpuUsage();
    }
    if (answers <= warm) return;
    if (ok) delivered++;
    else failed++;
    last = performance.now();
    if (answers >= total) done();
  });
  await Promise.race([finished, new Promise((r) => setTimeout(r, 90_000))]);
  const seconds = ((last || performance.now()) - first) / 1000;
  const cpu = process.cpuUsage(cpuAtFirst);
  say({ delivered, failed, seconds, perSecond: delivered / seconds, cpuPerDelivery: (cpu.user + cpu.system) / Math.max(1, delivered) });
  await consumer.disconnect();
}

async function gateway([registryUrl, credentials, subject, topic]: string[]): Promise<void> {
  const registry = registryOf(registryUrl!, credentials!);
  const schemaId = await registry.getLatestSchemaId(subject!);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let batch: { message: { key: string; value: Buffer; headers: IHeaders }; done: (ok: boolean) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const sending = batch;
    batch = [];
    producer.send({ topic: topic!, acks: -1, messages: sending.map((b) => b.message) }).then(
      () => sending.forEach((b) => b.done(true)),
      () => sending.forEach((b) => b.done(false)),
    );
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string> & { data: unknown };
        const value = await registry.encode(schemaId, event.data);
        const key = String((event.data as Record<string, unknown>)['workerCivilNumber'] ?? event.id);
        const headers: IHeaders = { ce_specversion: '1.0', ce_id: event.id, ce_source: event.source, ce_type: event.type, ce_time: new Date().toISOString(), ce_partitionkey: key, 'content-type': 'application/avro' };
        const ok = await new Promise<boolean>((done) => {
          batch.push({ message: { key, value, headers }, done });
          if (batch.length >= 500) {
            clearTimeout(timer);
            flush();
          } else timer ??= setTimeout(flush, 2);
        });
        res.writeHead(ok ? 202 : 503).end();
      })().catch(() => res.writeHead(400).end());
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  say({ port: (server.address() as { port: number }).port });
}

async function route([from, to]: string[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const { consumer, joined } = await consumerOf(from!);
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => {
      const end = batch.messages[batch.messages.length - 1];
      if (!end) return;
      await producer.send({ topic: to!, acks: -1, messages: batch.messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers ?? {} })) });
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(end.offset) + 1n).toString() }]);
    },
  });
  await joined;
  say({ ready: true });
}

async function main(): Promise<void> {
  if (role === 'dispatch') {
    await dispatch(args);
    process.exit(0);
  }
  if (role === 'gateway') return gateway(args);
  if (role === 'route') return route(args);
  if (role === 'deliver') {
    const [topic, registryUrl, credentials, receiverUrl, concurrency] = args;
    await deliver(topic!, registryUrl!, credentials!, receiverUrl!, Number(concurrency), () => undefined);
    say({ ready: true });
    return;
  }
  throw new Error(`unknown role ${role}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`floor ${role} failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
