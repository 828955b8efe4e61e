import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createDataSource, migrateDatabase, seedAgencies } from '@rabt/persistence';
import { createThrowawayDatabase, eventually, type ThrowawayDatabase } from '@rabt/testing';
import { createAccount, OpsCaller, PASSWORD, seedDeadLetter, sessionCookieOf, startOps, type Answer, type RunningOps } from './ops.harness';

// The ops service as an attacker meets it, on a real Postgres over real HTTP: sign-in floods and
// lockout races, username enumeration, an agency-bound admin reaching beyond its agency,
// sessions outliving their account, and the security headers.
let database: ThrowawayDatabase;
let db: DataSource;
let ops: RunningOps;
const LOCK_SECONDS = 3;

const anon = () => new OpsCaller(ops.url);
const signInAs = (username: string, password = PASSWORD) => anon().call('POST', '/v1/session', { username, password });
/** A refusal without what differs between any two answers (the request's URL and id). */
const sameness = (a: Answer) => ({ status: a.status, body: { ...a.body, instance: undefined }, type: a.headers.get('content-type') });
const account = async (username: string) =>
  ((await db.query(`SELECT failed_attempts, lock_count, locked_until, disabled_at FROM operator WHERE username = $1`, [username])) as { failed_attempts: number; lock_count: number; locked_until: Date | null; disabled_at: Date | null }[])[0]!;
const sessionsOf = async (username: string) => ((await db.query(`SELECT count(*)::int AS n FROM operator_session s JOIN operator o ON o.id = s.operator_id WHERE o.username = $1`, [username])) as { n: number }[])[0]!.n;

beforeAll(async () => {
  database = await createThrowawayDatabase('rabt_ops_security');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'ops-security-test');
  db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'ops-security-test');
  await db.initialize();
  await seedAgencies(db);
  for (const name of ['admin', 'racer', 'locked-one', 'boxed', 'flooded']) await createAccount(db, name, name === 'admin' ? 'admin' : 'viewer');
  await createAccount(db, 'rop-admin', 'admin', 'rop');
  await createAccount(db, 'rop-viewer', 'viewer', 'rop');
  await createAccount(db, 'mom-viewer', 'viewer', 'mom');
  await createAccount(db, 'mom-admin', 'admin', 'mom');
  for (const name of ['to-disable', 'to-lock', 'to-revoke']) await createAccount(db, name, 'operator');
  ops = await startOps(database.url, { OPS_LOCK_DURATION: `${LOCK_SECONDS}s`, OPS_SIGN_IN_PER_ADDRESS: '10000', OPS_SIGN_IN_AUDIT_WINDOW: '1s' });
}, 120_000);

afterAll(async () => {
  await ops?.close();
  await db?.destroy();
  await database?.drop();
});

describe('sign-in: lockout race, enumeration, rate limits', () => {
  it('30 concurrent wrong passwords then the right one: no session, the account is locked once', async () => {
    const wrong = await Promise.all(Array.from({ length: 30 }, (_, i) => signInAs('racer', `wrong password ${i}`)));
    expect(wrong.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    const right = await signInAs('racer');
    expect([401, 429]).toContain(right.status);
    expect(right.headers.getSetCookie()).toEqual([]);
    expect(await sessionsOf('racer')).toBe(0);
    const row = await account('racer');
    expect(row.lock_count).toBe(1);
    expect(row.locked_until!.getTime()).toBeGreaterThan(Date.now());
  });

  it('answers a locked account, with a wrong and with the right password, exactly as an unknown user (401)', async () => {
    for (let i = 0; i < 3; i++) expect((await signInAs('locked-one', 'not the password')).status).toBe(401);
    expect((await account('locked-one')).locked_until).not.toBeNull();
    const unknown = await signInAs('nobody-at-all', 'not the password');
    const lockedWrong = await signInAs('locked-one', 'not the password');
    const lockedRight = await signInAs('locked-one');
    expect(unknown.status).toBe(401);
    expect(unknown.body['code']).toBe('INVALID_CREDENTIALS');
    expect(sameness(lockedWrong)).toEqual(sameness(unknown));
    expect(sameness(lockedRight)).toEqual(sameness(unknown));
    expect(lockedRight.headers.getSetCookie()).toEqual([]);
  });

  it('a lock ends by itself after its time box, and the next one lasts twice as long', async () => {
    for (let i = 0; i < 3; i++) await signInAs('boxed', 'not the password');
    const first = await account('boxed');
    expect(first.lock_count).toBe(1);
    expect((await signInAs('boxed')).status).toBe(401);
    await new Promise((r) => setTimeout(r, LOCK_SECONDS * 1000 + 300));
    for (let i = 0; i < 3; i++) await signInAs('boxed', 'not the password');
    const second = await account('boxed');
    expect(second.lock_count).toBe(2);
    const lockedFor = second.locked_until!.getTime() - Date.now();
    expect(lockedFor).toBeGreaterThan(LOCK_SECONDS * 1000 + 500);
    expect(lockedFor).toBeLessThanOrEqual(2 * LOCK_SECONDS * 1000 + 100);
    const admin = await OpsCaller.signIn(ops.url, 'admin');
    const unlocked = await admin.call('POST', '/v1/operators/boxed/unlock', { reason: 'owner called the helpdesk' });
    expect(unlocked.status).toBe(200);
    expect((await signInAs('boxed')).status).toBe(200);
    expect((await account('boxed')).lock_count).toBe(0);
  }, 30_000);

  it('limits attempts per username before any password is checked: 429 with Retry-After', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 12; i++) answers.push(await signInAs('nobody-flooded', 'not the password'));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused[0]!.body['code']).toBe('RATE_LIMITED');
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answers.slice(0, 10).every((a) => a.status === 401)).toBe(true);
  });

  it('limits attempts per client address', async () => {
    const strict = await startOps(database.url, { OPS_SIGN_IN_PER_ADDRESS: '5' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await new OpsCaller(strict.url).call('POST', '/v1/session', { username: `sprayed-${i}`, password: 'not the password' })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    } finally {
      await strict.close();
    }
  });

  it('audits failed sign-ins aggregated: one record per account per window, not one per attempt', async () => {
    const before = (await db.query(`SELECT count(*)::int AS n FROM audit_record WHERE action = 'operator.sign-in-failed'`))[0].n as number;
    for (let i = 0; i < 2; i++) await signInAs('flooded', 'not the password');
    for (let i = 0; i < 8; i++) await signInAs(`ghost-${i}`, 'not the password');
    await eventually(async () => {
      const rows = (await db.query(`SELECT subject, details FROM audit_record WHERE action = 'operator.sign-in-failed' AND subject IN ('operator:flooded', 'operator:(unknown)') ORDER BY id`)) as { subject: string; details: { failures: number } }[];
      return rows.filter((r) => r.subject === 'operator:flooded').reduce((n, r) => n + r.details.failures, 0) === 2;
    }, 10_000);
    const after = (await db.query(`SELECT count(*)::int AS n FROM audit_record WHERE action = 'operator.sign-in-failed'`))[0].n as number;
    expect(after - before).toBeLessThan(10);
  });
});

describe('sessions end with their account', () => {
  it('never sends the session token in a body; the HttpOnly cookie carries it', async () => {
    const res = await signInAs('to-revoke');
    expect(res.status).toBe(200);
    const token = sessionCookieOf(res.headers);
    expect(JSON.stringify(res.body)).not.toContain(token);
    expect(res.body['token']).toBeUndefined();
    const me = await new OpsCaller(ops.url, token).call('GET', '/v1/session');
    expect(JSON.stringify(me.body)).not.toContain(token);
  });

  it('a session used after its account is disabled gets 401 at once; enabling lets it sign in again', async () => {
    const admin = await OpsCaller.signIn(ops.url, 'admin');
    const victim = await OpsCaller.signIn(ops.url, 'to-disable');
    expect((await victim.call('GET', '/v1/dead-letters')).status).toBe(200);
    expect((await admin.call('POST', '/v1/operators/to-disable/disable', {})).body['code']).toBe('REASON_REQUIRED');
    const disabled = await admin.call('POST', '/v1/operators/to-disable/disable', { reason: 'left the ministry' });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ operator: { username: 'to-disable', disabled: true }, sessionsEnded: 1 });
    expect((await victim.call('GET', '/v1/dead-letters')).status).toBe(401);
    expect(sameness(await signInAs('to-disable'))).toEqual(sameness(await signInAs('nobody-at-all-2')));
    expect((await admin.call('POST', '/v1/operators/to-disable/enable', { reason: 'came back' })).body).toMatchObject({ disabled: false });
    expect((await signInAs('to-disable')).status).toBe(200);
    const audited = (await db.query(`SELECT action, reason FROM audit_record WHERE subject = 'operator:to-disable' AND actor = 'operator:admin' ORDER BY id`)) as { action: string; reason: string }[];
    expect(audited).toEqual([
      { action: 'operator.disabled', reason: 'left the ministry' },
      { action: 'operator.enabled', reason: 'came back' },
    ]);
  });

  it('a session used after its account locks gets 401 at once', async () => {
    const victim = await OpsCaller.signIn(ops.url, 'to-lock');
    expect((await victim.call('GET', '/v1/session')).status).toBe(200);
    for (let i = 0; i < 3; i++) await signInAs('to-lock', 'not the password');
    expect((await victim.call('GET', '/v1/session')).status).toBe(401);
  });

  it('revoke-sessions ends every session of the account at once, audited with its reason', async () => {
    const admin = await OpsCaller.signIn(ops.url, 'admin');
    const one = await OpsCaller.signIn(ops.url, 'to-revoke');
    const two = await OpsCaller.signIn(ops.url, 'to-revoke');
    const revoked = await admin.call('POST', '/v1/operators/to-revoke/revoke-sessions', { reason: 'laptop stolen' });
    expect(revoked.status).toBe(200);
    expect(revoked.body['sessionsEnded']).toBeGreaterThanOrEqual(2);
    expect((await one.call('GET', '/v1/session')).status).toBe(401);
    expect((await two.call('GET', '/v1/session')).status).toBe(401);
    expect(await db.query(`SELECT reason FROM audit_record WHERE action = 'operator.sessions-revoked' AND subject = 'operator:to-revoke'`)).toEqual([{ reason: 'laptop stolen' }]);
    expect((await signInAs('to-revoke')).status).toBe(200);
  });
});

describe('an agency-bound admin stays inside its agency', () => {
  let ropAdmin: OpsCaller;
  beforeAll(async () => {
    ropAdmin = await OpsCaller.signIn(ops.url, 'rop-admin');
  });
  const operatorsSnapshot = () => db.query(`SELECT username, role, agency_code, locked_until, disabled_at FROM operator ORDER BY username`);

  it('cannot create a Rabt-wide account, nor one of another agency', async () => {
    const before = await operatorsSnapshot();
    const wide = await ropAdmin.call('POST', '/v1/operators', { username: 'evil-root', role: 'admin', password: PASSWORD, reason: 'escalate' });
    expect(wide.status).toBe(403);
    expect(wide.body['code']).toBe('FORBIDDEN_AGENCY');
    const wideNull = await ropAdmin.call('POST', '/v1/operators', { username: 'evil-root', role: 'admin', agency: null, password: PASSWORD, reason: 'escalate' });
    expect(wideNull.status).toBe(403);
    const other = await ropAdmin.call('POST', '/v1/operators', { username: 'evil-mom', role: 'admin', agency: 'mom', password: PASSWORD, reason: 'escalate' });
    expect(other.status).toBe(403);
    expect(await operatorsSnapshot()).toEqual(before);
    const own = await ropAdmin.call('POST', '/v1/operators', { username: 'rop-new', role: 'operator', agency: 'rop', password: PASSWORD, reason: 'new colleague' });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ username: 'rop-new', agency: 'rop' });
  });

  it("lists only its agency's accounts", async () => {
    const list = await ropAdmin.call('GET', '/v1/operators');
    const agencies = new Set((list.body['items'] as { agency: string | null }[]).map((o) => o.agency));
    expect([...agencies]).toEqual(['rop']);
  });

  it("cannot unlock, disable, enable or revoke another agency's or a Rabt-wide account (404, nothing changes)", async () => {
    for (let i = 0; i < 3; i++) await signInAs('mom-viewer', 'not the password');
    const momSession = await OpsCaller.signIn(ops.url, 'mom-admin');
    const before = await operatorsSnapshot();
    for (const target of ['mom-viewer', 'mom-admin', 'admin']) {
      for (const action of ['unlock', 'disable', 'enable', 'revoke-sessions']) {
        const res = await ropAdmin.call('POST', `/v1/operators/${target}/${action}`, { reason: 'hostile' });
        expect(res.status, `${action} ${target}`).toBe(404);
        expect(res.body['code']).toBe('OPERATOR_NOT_FOUND');
      }
    }
    expect(await operatorsSnapshot()).toEqual(before);
    expect((await momSession.call('GET', '/v1/session')).status).toBe(200);
    expect((await ropAdmin.call('POST', '/v1/operators/rop-viewer/revoke-sessions', { reason: 'own agency' })).status).toBe(200);
  });

  it("reads only its agency's audit records and may not verify the Rabt-wide chain", async () => {
    const page = await ropAdmin.call('GET', '/v1/audit?limit=500');
    expect(page.status).toBe(200);
    const records = page.body['items'] as { actor: string; subject: string }[];
    expect(records.length).toBeGreaterThan(0);
    const ropNames = ['agency:rop', 'operator:rop-admin', 'operator:rop-viewer', 'operator:rop-new'];
    for (const r of records) expect(ropNames.includes(r.actor) || ropNames.includes(r.subject), JSON.stringify(r)).toBe(true);
    const verify = await ropAdmin.call('POST', '/v1/audit/verify', {});
    expect(verify.status).toBe(403);
    expect(verify.body['code']).toBe('FORBIDDEN_AGENCY');
  });

  it("sees and acts on only its agency's dead letters, events, transactions, dashboard, agencies, subscriptions and replays", async () => {
    const momLetter = await seedDeadLetter(db, { subscriber: 'mm', publisher: 'mom' });
    expect((await ropAdmin.call('GET', `/v1/dead-letters/${momLetter.id}`)).status).toBe(404);
    expect((await ropAdmin.call('POST', `/v1/dead-letters/${momLetter.id}/discard`, { reason: 'hostile' })).status).toBe(404);
    expect(((await ropAdmin.call('GET', '/v1/dead-letters')).body['items'] as unknown[]).length).toBe(0);
    expect((await ropAdmin.call('GET', '/v1/agencies')).body['items']).toEqual([expect.objectContaining({ code: 'rop' })]);
    const dashboard = await ropAdmin.call('GET', '/v1/dashboard');
    expect((dashboard.body['agencies'] as { agency: string }[]).every((a) => a.agency === 'rop')).toBe(true);
    const job = await ropAdmin.call('POST', '/v1/replays', { filter: { agency: 'mm' }, reason: 'hostile' });
    expect(job.body['total']).toBe(0);
    expect((await db.query(`SELECT state FROM dead_letter WHERE id = $1`, [momLetter.id]))[0].state).toBe('open');
  });

  it("gets 404 for another agency's event and transaction, sees only its subscriptions, and the same answers as for unknown ones", async () => {
    await db.query(
      `INSERT INTO gateway_event (source, event_id, content_hash, state, type, topic, schema_id, attributes, data, accepted_at)
       VALUES ('mom', 'evt-mom-only', repeat('0', 64), 'accepted', 'mom.employee.left-work-reported', 'mom.employee.left-work-reported', 1, '{}', '{}', now())`,
    );
    await db.query(
      `INSERT INTO workflow_transaction (id, workflow, workflow_version, state, trigger_type, trigger_agency, parties, started_at, updated_at)
       VALUES ('tx-mom-moci', 'employee-left-work', 1, 'running', 'mom.employee.left-work-reported', 'mom', '{mom,moci}', now(), now())`,
    );
    const rabtAdmin = await OpsCaller.signIn(ops.url, 'admin');
    expect((await rabtAdmin.call('GET', '/v1/events/evt-mom-only?source=mom')).status).toBe(200);
    expect((await rabtAdmin.call('GET', '/v1/transactions/tx-mom-moci')).status).toBe(200);
    const event = await ropAdmin.call('GET', '/v1/events/evt-mom-only?source=mom');
    expect(event.status).toBe(404);
    expect(event.body['code']).toBe('EVENT_NOT_FOUND');
    const tx = await ropAdmin.call('GET', '/v1/transactions/tx-mom-moci');
    const unknownTx = await ropAdmin.call('GET', '/v1/transactions/tx-no-such');
    expect(sameness(tx)).toEqual(sameness({ ...unknownTx, body: { ...unknownTx.body, detail: tx.body['detail'] } }));
    expect(((await ropAdmin.call('GET', '/v1/transactions')).body['items'] as { id: string }[]).map((t) => t.id)).not.toContain('tx-mom-moci');
    expect(((await ropAdmin.call('GET', '/v1/subscriptions?agency=mom')).body['items'] as unknown[]).length).toBe(0);
  });
});

describe('security headers', () => {
  it('the API answers with a strict CSP, nosniff, a referrer policy and no framing', async () => {
    for (const path of ['/v1/session', '/health/live']) {
      const res = await fetch(`${ops.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain("'unsafe-inline'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });
});
