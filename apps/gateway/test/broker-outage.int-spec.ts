import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { createKafka, readMatching } from '@rabt/kafka';
import { ephemeralBroker, eventually, kafkaEnv } from '@rabt/testing';
import { cloudEvent, fixture, post, REPORTED, type Answer } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

// The gateway never answers 202 for an event that is not durable: stop the broker while a
// stream of publishes is in flight; afterwards every event answered 202 is on its topic exactly
// once, and every other one got an error.
const broker = ephemeralBroker(19492);
let gw: GatewayHarness;

beforeAll(async () => {
  await broker.start();
  gw = await startGateway({ kafkaBrokers: broker.brokers });
});
afterAll(async () => {
  await gw?.close();
  await broker.destroy();
});

describe('Kafka outage', () => {
  it('answers 202 only for durable events: each exactly once on the topic; the rest get errors', async () => {
    const events = Array.from({ length: 400 }, () => cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok')));
    const answers: (Answer | { status: number; body: unknown })[] = [];
    let sent = 0;
    const sender = async () => {
      while (sent < events.length) {
        const event = events[sent++]!;
        const res = await post(`${gw.url}/v1/events`, gw.keys.mom, event).catch((e: unknown) => ({ status: 0, body: String(e) }) as const);
        answers[events.indexOf(event)] = res as Answer;
      }
    };
    const senders = Promise.all(Array.from({ length: 16 }, sender));
    // Let some publishes through first (a cold producer takes well over 400 ms on a loaded machine).
    await eventually(() => answers.filter((a) => a?.status === 202).length >= 5, 30_000, 10);
    await broker.stop();
    await senders;

    const accepted = events.filter((_, i) => answers[i]!.status === 202).map((e) => e.id);
    const failed = events.filter((_, i) => answers[i]!.status !== 202);
    expect(accepted.length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);
    for (const [i, e] of events.entries()) {
      const a = answers[i]!;
      if (a.status !== 202) {
        expect(a.status, JSON.stringify(a.body)).toBe(503);
        expect((a.body as { code: string }).code).toBe('KAFKA_UNAVAILABLE');
      } else expect((a.body as { id: string }).id).toBe(e.id);
    }
    // The failed ones left no idempotency claim behind: a retry starts clean.
    const claims = await gw.db.query(`SELECT count(*)::int AS n FROM gateway_event WHERE state = 'pending'`);
    expect(claims[0].n).toBe(0);

    await broker.start();
    const { kafka: kafkaConfig } = loadConfig('t', { kafka: kafkaFragment('outage-test') }, kafkaEnv('operator-admin', broker.brokers)).values;
    const ids = new Set(events.map((e) => e.id));
    const records = await readMatching(createKafka(kafkaConfig), REPORTED, (r) => ids.has(r.headers['ce_id'] ?? ''), { idleMs: 5000, timeoutMs: 60_000 });
    const counts = new Map<string, number>();
    for (const r of records) counts.set(r.headers['ce_id']!, (counts.get(r.headers['ce_id']!) ?? 0) + 1);
    for (const id of accepted) expect(counts.get(id), `accepted event ${id}`).toBe(1);
    process.stdout.write(`broker outage: ${accepted.length} accepted, ${failed.length} refused with 503; of the refused, ${failed.filter((e) => counts.has(e.id)).length} reached the log anyway (consumers deduplicate by source and id)\n`);

    // After the outage the gateway recovers by itself (its producer reconnects; until then it
    // answers 503 with Retry-After), and a refused event can be published again.
    const back = Date.now();
    let retry: Answer | undefined;
    await eventually(async () => (retry = await post(`${gw.url}/v1/events`, gw.keys.mom, failed[0]!)).status === 202, 60_000, 500);
    process.stdout.write(`broker outage: a refused event was accepted on retry ${Date.now() - back} ms after the broker's log was read again\n`);
    expect(retry?.status).toBe(202);
  }, 180_000); // its own waits add up to minutes; it took 49 s of the default 60 s in a passing CI run on a slow VM
});
