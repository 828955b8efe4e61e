import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABSCONDING, cloudEvent, fixture, post, REPORTED, type Answer } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

// One agency's events never produce an error for another. The gateway batches the events of all
// agencies into shared Kafka requests; the broker refuses a record batch over the topic's
// `max.message.bytes` (1048588 bytes by default), and kafkajs then rejects the whole request.
// mom (the hostile publisher here) sends events that are too large for Kafka, or that are only
// too large together; rop publishes ordinary events at the same time and must only ever see 202.
let gw: GatewayHarness;
beforeAll(async () => {
  gw = await startGateway({ env: { GATEWAY_RATE_PER_SECOND: '100000', GATEWAY_RATE_BURST: '100000' } });
});
afterAll(async () => {
  await gw?.close();
});

const publish = (key: string, event: unknown) => post(`${gw.url}/v1/events`, key, event);
const ropEvent = () => cloudEvent('rop', ABSCONDING, fixture(ABSCONDING, 'ok'));

/** rop publishes `count` ordinary events, `parallel` at a time, while `hostile` runs; every answer. */
async function ropPublishesDuring(hostile: Promise<Answer[]>, count = 60, parallel = 4): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      answers.push(await publish(gw.keys.rop, ropEvent()));
    }
  };
  await Promise.all([hostile, ...Array.from({ length: parallel }, worker)]);
  return answers;
}

async function concurrently(count: number, make: () => unknown): Promise<Answer[]> {
  return Promise.all(Array.from({ length: count }, () => publish(gw.keys.mom, make())));
}

const statusesOf = (answers: Answer[]) => answers.map((a) => (a.status === 202 ? 202 : `${a.status} ${a.body?.code}`));

describe('one agency cannot fail another agency’s publishes', () => {
  it('an event too large for Kafka gets 413 EVENT_TOO_LARGE naming the limit, before anything is produced; rop only sees 202', async () => {
    // The partition key is copied into the record's key and its ce_partitionkey header: a
    // 360 KB civil number in a 360 KB body makes a record of over 1 MiB.
    const oversized = () => cloudEvent('mom', REPORTED, { ...fixture(REPORTED, 'ok'), workerCivilNumber: '9'.repeat(360_000) });
    const hostile = (async () => {
      const answers: Answer[] = [];
      for (let round = 0; round < 6; round++) answers.push(...(await concurrently(3, oversized)));
      return answers;
    })();
    const [rop, mom] = await Promise.all([ropPublishesDuring(hostile), hostile]);

    expect(statusesOf(rop)).toEqual(rop.map(() => 202));
    for (const answer of mom) {
      expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(413);
      expect(answer.body).toMatchObject({ code: 'EVENT_TOO_LARGE', limitBytes: expect.any(Number), eventBytes: expect.any(Number) });
      expect(answer.body.eventBytes).toBeGreaterThan(answer.body.limitBytes);
      expect(answer.body.detail).toContain(String(answer.body.limitBytes));
    }
    const [{ n }] = await gw.db.query(`SELECT count(*)::int AS n FROM gateway_event WHERE source = 'mom'`);
    expect(n).toBe(0);
  });

  it('events that fit one by one but not together in one record batch are all accepted, and rop only sees 202', async () => {
    // Same civil number, so the same partition: two of these in one request make a record batch
    // over 1 MiB.
    const large = () => cloudEvent('mom', REPORTED, { ...fixture(REPORTED, 'ok'), reasonDetails: 'x'.repeat(600_000) });
    const hostile = (async () => {
      const answers: Answer[] = [];
      for (let round = 0; round < 4; round++) answers.push(...(await concurrently(4, large)));
      return answers;
    })();
    const [rop, mom] = await Promise.all([ropPublishesDuring(hostile), hostile]);

    expect(statusesOf(rop)).toEqual(rop.map(() => 202));
    expect(statusesOf(mom)).toEqual(mom.map(() => 202));
  });
});
