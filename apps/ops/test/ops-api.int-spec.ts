import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createDataSource, migrateDatabase, seedAgencies } from '@rabt/persistence';
import { createThrowawayDatabase, eventually, type ThrowawayDatabase } from '@rabt/testing';
import { createAccount, metric, OpsCaller, PASSWORD, seedDeadLetter, startOps, type RunningOps, type SeededDeadLetter } from './ops.harness';

// The ops API's rules against a real Postgres: sign-in and lockout, roles, agency scope, masking,
// bad input. Dead letters are written as the dispatcher writes them (the pipeline test makes
// real ones).
let database: ThrowawayDatabase;
let db: DataSource;
let ops: RunningOps;
const callers: Record<string, OpsCaller> = {};

/** Every row the operator actions may touch, to prove a refused action changed nothing. */
async function snapshot() {
  const deadLetters = await db.query(`SELECT id, state, replayed_at, discarded_at, discard_reason FROM dead_letter ORDER BY id`);
  const deliveries = await db.query(`SELECT id, state, next_attempt_at, replayed_at FROM delivery ORDER BY id`);
  const jobs = await db.query(`SELECT id FROM replay_job`);
  const audit = (await db.query(`SELECT to_regclass('audit_record') IS NOT NULL AS present`))[0].present ? await db.query(`SELECT count(*)::int AS n FROM audit_record`) : null;
  return { deadLetters, deliveries, jobs, audit };
}

let ropLetter: SeededDeadLetter;
let mociLetter: SeededDeadLetter;
let sensitive: SeededDeadLetter;

beforeAll(async () => {
  database = await createThrowawayDatabase('rabt_ops_test');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'ops-test');
  db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'ops-test');
  await db.initialize();
  await seedAgencies(db);
  await createAccount(db, 'admin', 'admin');
  await createAccount(db, 'oper', 'operator');
  await createAccount(db, 'viewer', 'viewer');
  await createAccount(db, 'rop-integrator', 'operator', 'rop');
  await createAccount(db, 'mom-integrator', 'operator', 'mom');
  await createAccount(db, 'locky', 'viewer');
  ops = await startOps(database.url);
  for (const name of ['admin', 'oper', 'viewer', 'rop-integrator', 'mom-integrator']) callers[name] = await OpsCaller.signIn(ops.url, name);
  ropLetter = await seedDeadLetter(db, { subscriber: 'rop', errorCode: 'HTTP_5XX', transactionId: 'tx-rop' });
  mociLetter = await seedDeadLetter(db, { subscriber: 'moci', errorCode: 'TIMEOUT', lastStatus: null });
  sensitive = await seedDeadLetter(db, {
    subscriber: 'moci',
    type: 'mom.worker.service-transfer-requested',
    data: { requestId: 'r-1', workerCivilNumber: '87654321', workerName: { nameEn: 'Ravi Kumar', nameAr: 'رافي كومار' }, nationality: 'IND' },
  });
}, 120_000);

afterAll(async () => {
  await ops?.close();
  await db?.destroy();
  await database?.drop();
});

describe('sign-in', () => {
  it('answers an unknown user and a wrong password the same way', async () => {
    const anon = new OpsCaller(ops.url);
    const unknown = await anon.call('POST', '/v1/session', { username: 'nobody', password: PASSWORD });
    const wrong = await anon.call('POST', '/v1/session', { username: 'viewer', password: 'not the password' });
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(unknown.body['code']).toBe('INVALID_CREDENTIALS');
    expect({ ...unknown.body, instance: undefined }).toEqual({ ...wrong.body, instance: undefined });
  });

  it('sets an HttpOnly SameSite=Strict session cookie that works on its own', async () => {
    const res = await fetch(`${ops.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'viewer', password: PASSWORD }) });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^rabt_ops_session=rops_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const me = await fetch(`${ops.url}/v1/session`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { operator: { role: string } }).operator.role).toBe('viewer');
  });

  it('stores only the SHA-256 of a session token', async () => {
    const rows = (await db.query(`SELECT token_hash FROM operator_session`)) as { token_hash: string }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('locks after 3 wrong passwords, refuses even the right one with the same 401, and an admin unlock lets it in again', async () => {
    const anon = new OpsCaller(ops.url);
    for (let i = 0; i < 3; i++) expect((await anon.call('POST', '/v1/session', { username: 'locky', password: 'wrong password' })).status).toBe(401);
    const locked = await anon.call('POST', '/v1/session', { username: 'locky', password: PASSWORD });
    expect(locked.status).toBe(401);
    expect(locked.body['code']).toBe('INVALID_CREDENTIALS');
    expect((await callers['oper']!.call('POST', '/v1/operators/locky/unlock', { reason: 'not mine' })).status).toBe(403);
    expect((await callers['admin']!.call('POST', '/v1/operators/locky/unlock', {})).body['code']).toBe('REASON_REQUIRED');
    const unlocked = await callers['admin']!.call('POST', '/v1/operators/locky/unlock', { reason: 'called the helpdesk, identity checked' });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body['locked']).toBe(false);
    expect((await anon.call('POST', '/v1/session', { username: 'locky', password: PASSWORD })).status).toBe(200);
  });

  it('refuses requests without a session, and ends a session on sign-out', async () => {
    expect((await new OpsCaller(ops.url).call('GET', '/v1/dead-letters')).body['code']).toBe('UNAUTHENTICATED');
    const once = await OpsCaller.signIn(ops.url, 'viewer');
    expect((await once.call('DELETE', '/v1/session')).status).toBe(204);
    expect((await once.call('GET', '/v1/session')).status).toBe(401);
  });

  it('refuses a mutating request that is not JSON (415), the CSRF defence', async () => {
    const res = await callers['oper']!.call('POST', `/v1/dead-letters/${ropLetter.id}/discard`, 'reason=x', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.body['code']).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('roles', () => {
  it('a viewer cannot replay, discard or bulk replay: 403 FORBIDDEN_ROLE, and nothing changes', async () => {
    const before = await snapshot();
    for (const [path, body] of [
      [`/v1/dead-letters/${ropLetter.id}/replay`, { reason: 'try again' }],
      [`/v1/dead-letters/${ropLetter.id}/discard`, { reason: 'not needed' }],
      ['/v1/replays', { filter: {}, reason: 'all of them' }],
    ] as const) {
      const res = await callers['viewer']!.call('POST', path, body);
      expect(res.status, path).toBe(403);
      expect(res.body['code']).toBe('FORBIDDEN_ROLE');
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('only an admin lists and creates accounts', async () => {
    expect((await callers['oper']!.call('GET', '/v1/operators')).status).toBe(403);
    const list = await callers['admin']!.call('GET', '/v1/operators');
    expect((list.body['items'] as { username: string }[]).map((o) => o.username)).toContain('rop-integrator');
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|password/i);
    const created = await callers['admin']!.call('POST', '/v1/operators', { username: 'new-viewer', displayName: 'New', role: 'viewer', password: PASSWORD, reason: 'joined the team' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'new-viewer', role: 'viewer', agency: null, locked: false });
  });
});

describe('dead letters', () => {
  it('an agency account sees only its agency’s dead letters and gets 404 for another’s', async () => {
    const list = await callers['rop-integrator']!.call('GET', '/v1/dead-letters');
    expect((list.body['items'] as { id: string }[]).map((d) => d.id)).toEqual([ropLetter.id]);
    expect(list.body['total']).toBe(1);
    const other = await callers['rop-integrator']!.call('GET', `/v1/dead-letters/${mociLetter.id}`);
    expect(other.status).toBe(404);
    expect(other.body['code']).toBe('DEAD_LETTER_NOT_FOUND');
    expect((await callers['rop-integrator']!.call('POST', `/v1/dead-letters/${mociLetter.id}/discard`, { reason: 'x' })).status).toBe(404);
    expect((await callers['rop-integrator']!.call('GET', `/v1/dead-letters/${ropLetter.id}`)).status).toBe(200);
  });

  it('a publishing agency sees the dead letters of its events but may not replay or discard another agency’s delivery (403 FORBIDDEN_AGENCY), nor bulk-replay them', async () => {
    const mom = callers['mom-integrator']!;
    const seen = (await mom.call('GET', '/v1/dead-letters')).body['items'] as { id: string; publisher: string }[];
    expect(seen.map((d) => d.id)).toContain(ropLetter.id);
    const before = await snapshot();
    for (const action of ['replay', 'discard']) {
      const res = await mom.call('POST', `/v1/dead-letters/${ropLetter.id}/${action}`, { reason: 'our event, their endpoint' });
      expect(res.status, action).toBe(403);
      expect(res.body['code']).toBe('FORBIDDEN_AGENCY');
    }
    expect(await snapshot()).toEqual(before);
    const job = await mom.call('POST', '/v1/replays', { filter: {}, reason: 'everything we published' });
    expect(job.status).toBe(202);
    expect(job.body['total']).toBe(0);
    expect((await snapshot()).deadLetters).toEqual(before.deadLetters);
  });

  it('masks the schema’s sensitive fields for a viewer, not for an operator', async () => {
    const asViewer = await callers['viewer']!.call('GET', `/v1/dead-letters/${sensitive.id}`);
    expect(asViewer.status).toBe(200);
    const data = (asViewer.body['payload'] as { data: Record<string, unknown> }).data;
    expect(data).toMatchObject({ requestId: 'r-1', workerCivilNumber: '••••', workerName: '••••', nationality: 'IND' });
    expect(asViewer.body['masked']).toEqual(['data.workerCivilNumber', 'data.workerName']);
    expect(JSON.stringify(asViewer.body)).not.toContain('87654321');
    const asOperator = await callers['oper']!.call('GET', `/v1/dead-letters/${sensitive.id}`);
    expect((asOperator.body['payload'] as { data: Record<string, unknown> }).data['workerCivilNumber']).toBe('87654321');
    expect(asOperator.body['masked']).toEqual([]);
  });

  it('filters by agency, type, error code, time and transaction, and pages with a cursor', async () => {
    const c = callers['viewer']!;
    const ids = async (q: string) => ((await c.call('GET', `/v1/dead-letters?${q}`)).body['items'] as { id: string }[]).map((d) => d.id);
    expect(await ids('errorCode=TIMEOUT')).toEqual([mociLetter.id]);
    expect(await ids('transactionId=tx-rop')).toEqual([ropLetter.id]);
    expect(await ids('type=mom.worker.service-transfer-requested')).toEqual([sensitive.id]);
    expect((await ids('agency=moci')).sort()).toEqual([mociLetter.id, sensitive.id].sort());
    expect(await ids('from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z')).toEqual([]);
    const first = await c.call('GET', '/v1/dead-letters?limit=2');
    expect(first.body['total']).toBe(3);
    expect(first.body['items']).toHaveLength(2);
    const second = await c.call('GET', `/v1/dead-letters?limit=2&cursor=${String(first.body['nextCursor'])}`);
    expect(second.body['items']).toHaveLength(1);
    expect(second.body['nextCursor']).toBeNull();
    const all = [...(first.body['items'] as { id: string }[]), ...(second.body['items'] as { id: string }[])].map((d) => d.id);
    expect(new Set(all).size).toBe(3);
  });

  it('bad input gets problem+json with a stable code and changes nothing', async () => {
    const before = await snapshot();
    const o = callers['oper']!;
    const cases: [string, string, unknown, number, string][] = [
      ['POST', `/v1/dead-letters/${ropLetter.id}/replay`, {}, 400, 'REASON_REQUIRED'],
      ['POST', `/v1/dead-letters/${ropLetter.id}/replay`, { reason: '   ' }, 400, 'REASON_REQUIRED'],
      ['POST', `/v1/dead-letters/${ropLetter.id}/discard`, { reason: 42 }, 400, 'REASON_REQUIRED'],
      ['POST', '/v1/replays', { filter: {} }, 400, 'REASON_REQUIRED'],
      ['POST', '/v1/replays', { filter: { errorCode: 'HTTP_418' }, reason: 'x' }, 400, 'INVALID_FILTER'],
      ['POST', '/v1/replays', { filter: {}, reason: 'x', ratePerSecond: 0 }, 400, 'INVALID_REQUEST'],
      ['GET', '/v1/dead-letters?errorCode=NOPE', undefined, 400, 'INVALID_FILTER'],
      ['GET', '/v1/dead-letters?from=yesterday', undefined, 400, 'INVALID_FILTER'],
      ['GET', '/v1/dead-letters?limit=1000', undefined, 400, 'INVALID_FILTER'],
      ['GET', '/v1/dead-letters?cursor=bm90LWEtY3Vyc29y', undefined, 400, 'INVALID_CURSOR'],
      ['GET', '/v1/dead-letters/not-a-uuid', undefined, 404, 'DEAD_LETTER_NOT_FOUND'],
      ['POST', '/v1/dead-letters/00000000-0000-4000-8000-000000000000/replay', { reason: 'x' }, 404, 'DEAD_LETTER_NOT_FOUND'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await o.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(res.body['code'], `${method} ${path}`).toBe(code);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('replay puts the same delivery back to pending; a second replay is 409; discard keeps the reason', async () => {
    const replayed = await callers['oper']!.call('POST', `/v1/dead-letters/${ropLetter.id}/replay`, { reason: 'receiver fixed' });
    expect(replayed.status).toBe(202);
    expect(replayed.body).toMatchObject({ id: ropLetter.id, webhookId: ropLetter.deliveryId, state: 'replaying' });
    const [delivery] = (await db.query(`SELECT state, attempts, attempts_before_replay, replayed_at FROM delivery WHERE id = $1`, [ropLetter.deliveryId])) as { state: string; attempts: number; attempts_before_replay: number; replayed_at: Date }[];
    expect(delivery).toMatchObject({ state: 'pending', attempts: 3, attempts_before_replay: 3 });
    expect(delivery!.replayed_at).toBeInstanceOf(Date);
    const again = await callers['oper']!.call('POST', `/v1/dead-letters/${ropLetter.id}/replay`, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body['code']).toBe('DEAD_LETTER_NOT_OPEN');

    const discarded = await callers['oper']!.call('POST', `/v1/dead-letters/${mociLetter.id}/discard`, { reason: 'duplicate of a manual fix' });
    expect(discarded.status).toBe(200);
    expect(discarded.body).toMatchObject({ state: 'discarded', discardReason: 'duplicate of a manual fix' });
    expect((await callers['viewer']!.call('GET', '/v1/dead-letters?state=discarded')).body['total']).toBe(1);
  });

  it('/metrics carries the open dead-letter backlog per agency and the replays', async () => {
    expect(await metric(ops.url, 'rabt_dead_letter_backlog', { agency: 'moci' })).toBe(1);
    expect(await metric(ops.url, 'rabt_dead_letters_replayed_total', { agency: 'rop' })).toBe(1);
  });

  it('records every operator action in the audit trail with its reason; an admin reads and verifies the chain', async () => {
    const actions = async () => (await db.query(`SELECT actor, action, subject, reason FROM audit_record ORDER BY id`)) as { actor: string; action: string; subject: string; reason: string | null }[];
    const all = await actions();
    expect(all).toEqual(
      expect.arrayContaining([
        { actor: 'operator:oper', action: 'dead-letter.replayed', subject: `dead-letter:${ropLetter.id}`, reason: 'receiver fixed' },
        { actor: 'operator:oper', action: 'dead-letter.discarded', subject: `dead-letter:${mociLetter.id}`, reason: 'duplicate of a manual fix' },
        { actor: 'operator:admin', action: 'operator.unlocked', subject: 'operator:locky', reason: 'called the helpdesk, identity checked' },
        { actor: 'operator:admin', action: 'operator.created', subject: 'operator:new-viewer', reason: 'joined the team' },
        expect.objectContaining({ action: 'operator.locked', subject: 'operator:locky' }),
        expect.objectContaining({ action: 'operator.signed-in', subject: 'operator:oper' }),
      ]),
    );
    expect((await callers['oper']!.call('GET', '/v1/audit')).status).toBe(403);
    // Newest first; records not sealed yet come first with seq null: wait for the sealer.
    await eventually(async () => ((await callers['admin']!.call('GET', '/v1/audit?limit=500')).body['items'] as { seq: number | null }[]).every((r) => r.seq !== null), 15_000);
    const page = (await callers['admin']!.call('GET', '/v1/audit?limit=2')).body['items'] as { seq: number; hash: string }[];
    expect(page).toHaveLength(2);
    expect(page[0]!.seq).toBeGreaterThan(page[1]!.seq);
    expect(page[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    const verified = await callers['admin']!.call('POST', '/v1/audit/verify', {});
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true, firstBreak: null });
    expect(verified.body['checked']).toBeGreaterThanOrEqual(all.length);
  });

  it('serves its OpenAPI document', async () => {
    const doc = (await (await fetch(`${ops.url}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/session', '/v1/dead-letters', '/v1/dead-letters/{id}/replay', '/v1/replays/{id}']));
  });
});

describe('read views', () => {
  beforeAll(async () => {
    const now = new Date();
    for (const [id, parties, state] of [
      ['tx-views-1', ['mom', 'rop', 'moci'], 'running'],
      ['tx-views-2', ['mom', 'moci'], 'completed'],
    ] as const) {
      await db.query(
        `INSERT INTO workflow_transaction (id, workflow, workflow_version, state, trigger_type, trigger_agency, parties, started_at, updated_at) VALUES ($1, 'employee-left-work', 1, $2, 'mom.employee.left-work-reported', 'mom', $3, $4, $4)`,
        [id, state, parties, now],
      );
    }
    await db.query(
      `INSERT INTO workflow_step (transaction_id, seq, name, agency, awaits, sla_ms, state) VALUES ('tx-views-1', 1, 'register-absconding', 'rop', 'rop.residence.absconding-registered', 60000, 'breached')`,
    );
  });

  it('lists transactions (scoped to the agency’s) and shows one as the gateway does; 404 for another agency’s', async () => {
    const all = await callers['viewer']!.call('GET', '/v1/transactions?limit=1');
    expect(all.body['items']).toHaveLength(1);
    const next = await callers['viewer']!.call('GET', `/v1/transactions?limit=1&cursor=${String(all.body['nextCursor'])}`);
    expect([...(all.body['items'] as { id: string }[]), ...(next.body['items'] as { id: string }[])].map((t) => t.id).sort()).toEqual(['tx-views-1', 'tx-views-2']);
    const rop = await callers['rop-integrator']!.call('GET', '/v1/transactions');
    expect((rop.body['items'] as { id: string }[]).map((t) => t.id)).toEqual(['tx-views-1']);
    const view = await callers['rop-integrator']!.call('GET', '/v1/transactions/tx-views-1');
    expect(view.body).toMatchObject({ id: 'tx-views-1', workflow: 'employee-left-work', state: 'running', steps: [{ name: 'register-absconding', agency: 'rop', state: 'breached' }], timeline: [] });
    expect((await callers['rop-integrator']!.call('GET', '/v1/transactions/tx-views-2')).status).toBe(404);
    expect((await callers['viewer']!.call('GET', '/v1/transactions?state=lost')).body['code']).toBe('INVALID_FILTER');
  });

  it('the dashboard counts transactions by state, per agency and per minute', async () => {
    const d = await callers['viewer']!.call('GET', '/v1/dashboard?window=5m');
    expect(d.status).toBe(200);
    expect(d.body['sla']).toEqual({ open: 1, breached: 1, completed: 1, withdrawn: 0 });
    expect((d.body['series'] as unknown[]).length).toBeGreaterThanOrEqual(5);
    expect((d.body['agencies'] as { agency: string; deadLetters: number }[]).find((a) => a.agency === 'moci')?.deadLetters).toBe(1);
    const rop = await callers['rop-integrator']!.call('GET', '/v1/dashboard');
    expect((rop.body['agencies'] as { agency: string }[]).map((a) => a.agency)).toEqual(['rop']);
    expect((await callers['viewer']!.call('GET', '/v1/dashboard?window=forever')).body['code']).toBe('INVALID_FILTER');
  });

  it('lists agencies (an agency account: its own) and subscriptions without secrets', async () => {
    const all = await callers['viewer']!.call('GET', '/v1/agencies');
    expect((all.body['items'] as { code: string }[]).map((a) => a.code)).toEqual(expect.arrayContaining(['mom', 'rop', 'moci']));
    expect((await callers['rop-integrator']!.call('GET', '/v1/agencies')).body['items']).toEqual([expect.objectContaining({ code: 'rop', subscriptions: 0, grants: [] })]);
    expect((await callers['viewer']!.call('GET', '/v1/subscriptions')).body).toEqual({ items: [] });
  });
});

describe('bulk replay with two ops instances', () => {
  it('works each dead letter once: pages are taken under the job row lock, so no page is done twice', async () => {
    const second = await startOps(database.url);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) ids.push((await seedDeadLetter(db, { subscriber: 'mm', errorCode: 'CONNECTION', lastStatus: null })).id);
      const started = await callers['oper']!.call('POST', '/v1/replays', { filter: { agency: 'mm' }, reason: 'mm is reachable again', ratePerSecond: 7 });
      expect(started.body).toMatchObject({ total: 60, state: 'running' });
      await eventually(async () => (await callers['viewer']!.call('GET', `/v1/replays/${String(started.body['id'])}`)).body['state'] === 'completed', 30_000, 200);
      const job = (await callers['viewer']!.call('GET', `/v1/replays/${String(started.body['id'])}`)).body;
      expect(job).toMatchObject({ done: 60, skipped: 0 });
      const audited = (await db.query(`SELECT subject, count(*)::int AS n FROM audit_record WHERE action = 'dead-letter.replayed' AND details->>'replayJob' = $1 GROUP BY subject`, [started.body['id']])) as { subject: string; n: number }[];
      expect(audited.map((a) => a.subject).sort()).toEqual(ids.map((id) => `dead-letter:${id}`).sort());
      expect(audited.every((a) => a.n === 1)).toBe(true);
      expect((await db.query(`SELECT count(*)::int AS n FROM delivery d JOIN dead_letter dl ON dl.delivery_id = d.id WHERE dl.agency_code = 'mm' AND d.state = 'pending' AND dl.state = 'replaying'`))[0].n).toBe(60);
    } finally {
      await second.close();
    }
  }, 60_000);
});
