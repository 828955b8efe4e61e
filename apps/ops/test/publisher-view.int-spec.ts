// A publisher's agency account sees the dead letters and deliveries of its events, but of another
// agency's delivery only the status and an error class: never what the subscriber answered
// (its body may carry internal addresses, stack traces, personal data) nor the address its host
// resolved to. The subscriber's own accounts and Rabt operators still see the text. Real
// Postgres, the ops service in process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createDataSource, migrateDatabase, seedAgencies } from '@rabt/persistence';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import { createAccount, OpsCaller, seedDeadLetter, startOps, type RunningOps, type SeededDeadLetter } from './ops.harness';

const SUBSCRIBER_BODY = 'HTTP 503: <html>db 10.20.30.40 down; ops@rop.internal; trace at Db.connect</html>';
const LEAKS = ['10.20.30.40', 'ops@rop.internal', 'Db.connect', 'ECONNREFUSED', '10.1.1.1'];

let database: ThrowawayDatabase;
let db: DataSource;
let ops: RunningOps;
let letter: SeededDeadLetter;
let eventId: string;
const callers: Record<string, OpsCaller> = {};

beforeAll(async () => {
  database = await createThrowawayDatabase('rabt_ops_test');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'ops-test');
  db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'ops-test');
  await db.initialize();
  await seedAgencies(db);
  await createAccount(db, 'oper', 'operator');
  await createAccount(db, 'rop-integrator', 'operator', 'rop');
  await createAccount(db, 'mom-integrator', 'operator', 'mom');
  ops = await startOps(database.url);
  for (const name of ['oper', 'rop-integrator', 'mom-integrator']) callers[name] = await OpsCaller.signIn(ops.url, name);
  // mom published; rop's webhook failed, as the dispatcher records it.
  letter = await seedDeadLetter(db, { subscriber: 'rop', publisher: 'mom', errorCode: 'HTTP_5XX', lastStatus: 503 });
  const lastError = `gave up after 2 attempts (retry schedule used up); last error: ${SUBSCRIBER_BODY}`;
  await db.query(`UPDATE dead_letter SET last_error = $2 WHERE id = $1`, [letter.id, lastError]);
  await db.query(`UPDATE delivery SET last_error = $2 WHERE id = $1`, [letter.deliveryId, lastError]);
  await db.query(
    `INSERT INTO delivery_attempt (delivery_id, attempt_no, started_at, status, latency_ms, error) VALUES ($1, 1, now() - interval '2 s', NULL, 3, 'connect ECONNREFUSED 10.1.1.1:443'), ($1, 2, now() - interval '1 s', 503, 4, $2)`,
    [letter.deliveryId, SUBSCRIBER_BODY],
  );
  eventId = ((await db.query(`SELECT event_id FROM delivery WHERE id = $1`, [letter.deliveryId])) as [{ event_id: string }])[0].event_id;
  await db.query(
    `INSERT INTO gateway_event (source, event_id, content_hash, state, type, topic, schema_id, attributes, data, accepted_at)
     SELECT 'mom', event_id, repeat('0', 64), 'accepted', event_type, event_type, 1, '{}'::jsonb, '{}'::jsonb, now() FROM delivery WHERE id = $1`,
    [letter.deliveryId],
  );
}, 120_000);

afterAll(async () => {
  await ops?.close();
  await db?.destroy();
  await database?.drop();
});

const leaked = (body: unknown) => LEAKS.filter((l) => JSON.stringify(body).includes(l));

describe("a publisher's view of another agency's delivery", () => {
  it('the dead-letter list and detail show the publisher the status and error class, nothing the subscriber said', async () => {
    const list = await callers['mom-integrator']!.call('GET', '/v1/dead-letters');
    expect(list.status).toBe(200);
    const item = (list.body['items'] as { id: string; lastStatus: number; lastError: string }[]).find((d) => d.id === letter.id);
    expect(item).toMatchObject({ lastStatus: 503, lastError: 'http_5xx' });
    expect(leaked(list.body)).toEqual([]);
    const detail = await callers['mom-integrator']!.call('GET', `/v1/dead-letters/${letter.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ lastError: 'http_5xx', attempts: [{ status: null, error: 'connection_refused' }, { status: 503, error: 'http_5xx' }] });
    expect(leaked(detail.body)).toEqual([]);
  });

  it("the event's timeline and deliveries show the publisher the class too", async () => {
    const res = await callers['mom-integrator']!.call('GET', `/v1/events/${eventId}?source=mom`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body['deliveries']).toMatchObject([{ agency: 'rop', lastStatus: 503, lastError: 'http_5xx' }]);
    expect(leaked(res.body)).toEqual([]);
  });

  it('the subscriber and Rabt operators still see what the subscriber answered', async () => {
    for (const who of ['rop-integrator', 'oper']) {
      const detail = await callers[who]!.call('GET', `/v1/dead-letters/${letter.id}`);
      expect(detail.status).toBe(200);
      expect(JSON.stringify(detail.body)).toContain('10.20.30.40');
      const event = await callers[who]!.call('GET', `/v1/events/${eventId}?source=mom`);
      expect(JSON.stringify(event.body)).toContain('10.20.30.40');
    }
  });
});
