// Yardsticks for the gateway benchmark, each its own process:
//   kafka   — a bare Fastify POST route that parses the JSON and produces the same bytes with
//             kafkajs (acks=all, one send per request, as kafkajs does without help)
//   nokafka — the same route answering 202 without Kafka
/* eslint-disable no-restricted-imports */
import Fastify from 'fastify';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaSslFor } from '@rabt/testing';

const [, , mode, port, brokers, topic] = process.argv;
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.addContentTypeParser('application/cloudevents+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

app.get('/health', async () => ({ ok: true }));

async function main() {
  if (mode === 'kafka') {
    const producer = new Kafka({ brokers: [brokers!], ssl: kafkaSslFor('operator-admin'), logLevel: logLevel.NOTHING }).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    app.post('/v1/events', async (req, reply) => {
      const event = req.body as { id: string; data: { workerCivilNumber: string } };
      const [m] = await producer.send({ topic: topic!, acks: -1, messages: [{ key: event.data.workerCivilNumber, value: Buffer.from(JSON.stringify(event.data)) }] });
      return reply.code(202).send({ id: event.id, topic, partition: m!.partition, offset: m!.baseOffset });
    });
  } else {
    app.post('/v1/events', async (req, reply) => reply.code(202).send({ id: (req.body as { id: string }).id }));
  }
  await app.listen({ host: '127.0.0.1', port: Number(port) });
}
main().catch((e: unknown) => {
  process.stderr.write(String(e));
  process.exit(1);
});
