import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createDataSource, migrateDatabase, seedAgencies } from '@rabt/persistence';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import { createAccount, OpsCaller, PASSWORD, seedDeadLetter, startOps, type Answer, type RunningOps } from './ops.harness';

// Property: no hostile body, path or query sent to a public ops endpoint gets a 5xx, and none
// changes anything. Each generator produces only requests that must be refused (by
// construction: a reason that is not one, a role that is not one, a target that does not
// exist, …), so "nothing changed" is a sound oracle. Every answer is problem+json with a code.
let database: ThrowawayDatabase;
let db: DataSource;
let ops: RunningOps;
let admin: OpsCaller;
let operator: OpsCaller;
let openLetter: string;
/** Runs per property; PROP_RUNS=1000 searches deeper. */
const RUNS = Number(process.env['PROP_RUNS'] ?? 40);
const ACCOUNTS = ['admin', 'oper', 'victim', 'rop-admin'];

/** Every row a refused request must leave as it was (a session's last use aside). */
async function state() {
  return {
    operators: await db.query(`SELECT username, role, agency_code, failed_attempts, lock_count, locked_until, disabled_at, last_sign_in_at FROM operator ORDER BY username`),
    sessions: await db.query(`SELECT token_hash, operator_id FROM operator_session ORDER BY token_hash`),
    deadLetters: await db.query(`SELECT id, state, discard_reason FROM dead_letter ORDER BY id`),
    deliveries: await db.query(`SELECT id, state, replayed_at FROM delivery ORDER BY id`),
    jobs: await db.query(`SELECT count(*)::int AS n FROM replay_job`),
    audit: await db.query(`SELECT count(*)::int AS n FROM audit_record`),
  };
}

beforeAll(async () => {
  database = await createThrowawayDatabase('rabt_ops_hostile');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'ops-hostile');
  db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'ops-hostile');
  await db.initialize();
  await seedAgencies(db);
  await createAccount(db, 'admin', 'admin');
  await createAccount(db, 'oper', 'operator');
  await createAccount(db, 'victim', 'viewer');
  await createAccount(db, 'rop-admin', 'admin', 'rop');
  // No failed sign-in tally is written during the run (they would be a legitimate change).
  ops = await startOps(database.url, { OPS_SIGN_IN_PER_ADDRESS: '1000000', OPS_SIGN_IN_PER_USERNAME: '1000000', OPS_SIGN_IN_AUDIT_WINDOW: '24h' });
  admin = await OpsCaller.signIn(ops.url, 'admin');
  operator = await OpsCaller.signIn(ops.url, 'oper');
  openLetter = (await seedDeadLetter(db, { subscriber: 'rop' })).id;
}, 120_000);

afterAll(async () => {
  await ops?.close();
  await db?.destroy();
  await database?.drop();
});

/** Strings an attacker sends: control characters and NUL, right-to-left marks, huge, traversal, SQL. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`),
  fc.constantFrom('', ' ', '\u202e', '../../etc/passwd', "' OR 1=1 --", '%00', '__proto__', 'constructor', '\ud800', 'a'.repeat(5000), '٠١٢'),
);
/** Arrays nested `depth` levels deep when sent; reported by its depth (fast-check's printer recurses). */
class Deep {
  constructor(readonly depth: number) {}
  toJSON(): unknown {
    return JSON.parse(`${'['.repeat(this.depth)}${']'.repeat(this.depth)}`);
  }
  [fc.toStringMethod](): string {
    return `Deep(${this.depth})`;
  }
}
const deepValue = fc.integer({ min: 17, max: 2500 }).map((n) => new Deep(n));
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
  deepValue,
);
/** Never a reason the service accepts: absent, not a string, blank, too long, or with NUL. */
const badReason = fc.oneof(
  fc.constant(undefined),
  hostile.filter((v) => typeof v !== 'string'),
  fc.constantFrom('', '   ', '\n\t', 'x'.repeat(1001)),
  fc.string({ maxLength: 10 }).map((s) => `why\u0000${s}`),
);
/** A username of no account (after lower-casing, as the service compares). */
const noAccount = hostileString.filter((s) => !ACCOUNTS.includes(s.toLowerCase()));
/** A whole body: an object with hostile fields (the reason never a valid one), or not an object at all. */
const bodyWith = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.oneof(
    fc.record({ ...Object.fromEntries(Object.keys(fields).map((k) => [k, hostile])), reason: badReason }, { requiredKeys: [] }),
    fc.record(fields, { requiredKeys: [] }),
    hostile.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
  );

/**
 * Node's HTTP parser refuses a request line or headers past 16 KiB (431) before Fastify, or any
 * filter, sees the request. (A path parameter past Fastify's maxParamLength is a 414 problem.)
 */
const REFUSED_BEFORE_ROUTING = new Set([431]);

/** A 4xx problem+json with a code (or one of Fastify's own refusals above). */
function expectRefusal(res: Answer, what: string): void {
  expect(res.status, what).toBeGreaterThanOrEqual(400);
  expect(res.status, what).toBeLessThan(500);
  if (REFUSED_BEFORE_ROUTING.has(res.status)) {
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return;
  }
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(typeof res.body['code']).toBe('string');
}

/** Refused, and nothing changed. */
async function refusedAndUnchanged(send: () => Promise<Answer>): Promise<void> {
  const before = await state();
  const res = await send();
  expectRefusal(res, JSON.stringify(res.body).slice(0, 300));
  expect(await state()).toEqual(before);
}

const raw = (caller: OpsCaller, method: string, path: string, body: unknown) => caller.call(method, path, body === undefined ? undefined : JSON.stringify(body));
/** A path segment; a lone surrogate (not encodable) goes as U+FFFD, as a browser would send it. */
const seg = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

describe('no hostile input to the ops API answers 5xx or changes anything (fast-check)', () => {
  it('POST /v1/session: hostile usernames and passwords, and bodies that are not objects', async () => {
    const body = fc.oneof(
      fc.record({ username: fc.oneof(noAccount, hostile), password: hostile }, { requiredKeys: [] }),
      fc.record({ username: fc.constantFrom(...ACCOUNTS.map((a) => a.toUpperCase())).map((u) => `${u}\u0000`), password: fc.constant(PASSWORD) }),
      hostile,
    );
    await fc.assert(fc.asyncProperty(body, (b) => refusedAndUnchanged(() => raw(new OpsCaller(ops.url), 'POST', '/v1/session', b))), { numRuns: RUNS });
  });

  it('POST /v1/operators: hostile accounts (the role is never a valid one, or the reason is not one)', async () => {
    const role = hostile.filter((r) => r !== 'viewer' && r !== 'operator' && r !== 'admin');
    const body = fc.oneof(
      bodyWith({ username: hostile, displayName: hostile, role: hostile, agency: hostile, password: hostile }),
      fc.record({ username: hostileString, displayName: hostile, role, agency: hostile, password: fc.oneof(hostile, fc.constant(PASSWORD)), reason: fc.constant('hostile') }, { requiredKeys: ['role', 'reason'] }),
      fc.record({ username: fc.constant('newbie'), displayName: hostileString.map((s) => `${s}\u0000`), role: fc.constant('viewer'), password: fc.constant(PASSWORD), reason: fc.constant('hostile') }),
    );
    await fc.assert(fc.asyncProperty(body, (b) => refusedAndUnchanged(() => raw(admin, 'POST', '/v1/operators', b))), { numRuns: RUNS });
  });

  it('POST /v1/operators/{username}/{unlock|disable|enable|revoke-sessions}: a bad reason, or an account that does not exist', async () => {
    const action = fc.constantFrom('unlock', 'disable', 'enable', 'revoke-sessions');
    const request = fc.oneof(
      fc.tuple(action, fc.constant('victim'), bodyWith({})),
      fc.tuple(action, noAccount.filter((s) => s.length > 0), fc.constant({ reason: 'hostile' })),
    );
    await fc.assert(fc.asyncProperty(request, ([a, user, b]) => refusedAndUnchanged(() => raw(admin, 'POST', `/v1/operators/${seg(user)}/${a}`, b))), { numRuns: RUNS });
  });

  it('POST /v1/dead-letters/{id}/{replay|discard}: a bad reason, or a dead letter that does not exist', async () => {
    const action = fc.constantFrom('replay', 'discard');
    const request = fc.oneof(
      fc.tuple(action, fc.constant(openLetter), bodyWith({})),
      fc.tuple(action, hostileString.filter((s) => s.length > 0 && s !== openLetter), fc.constant({ reason: 'hostile' })),
    );
    await fc.assert(fc.asyncProperty(request, ([a, id, b]) => refusedAndUnchanged(() => raw(operator, 'POST', `/v1/dead-letters/${seg(id)}/${a}`, b))), { numRuns: RUNS });
  });

  it('POST /v1/replays: hostile filters and rates (the rate never a valid one, or the reason is not one)', async () => {
    // An absent or null rate is the default one; anything else that is not 1-1000 is refused.
    const rate = hostile.filter((r) => r !== null && !(typeof r === 'number' && Number.isInteger(r) && r >= 1 && r <= 1000));
    const body = fc.oneof(
      bodyWith({ filter: hostile, ratePerSecond: hostile }),
      fc.record({ filter: fc.oneof(hostile, fc.dictionary(fc.constantFrom('agency', 'type', 'errorCode', 'from', 'to', 'transactionId'), hostile, { maxKeys: 4 })), ratePerSecond: rate, reason: fc.constant('hostile') }),
    );
    await fc.assert(fc.asyncProperty(body, (b) => refusedAndUnchanged(() => raw(operator, 'POST', '/v1/replays', b))), { numRuns: RUNS });
  });

  it('GET endpoints with hostile path segments and query values answer 4xx or 200, never 5xx, and change nothing', async () => {
    const path = fc.oneof(
      hostileString.map((v) => `/v1/dead-letters?${new URLSearchParams({ agency: v, type: v, errorCode: v, from: v, to: v, transactionId: v, state: v, limit: v, cursor: v })}`),
      hostileString.filter((v) => v.length > 0).map((v) => `/v1/dead-letters/${seg(v)}`),
      hostileString.map((v) => `/v1/transactions?${new URLSearchParams({ state: v, workflow: v, limit: v, cursor: v })}`),
      hostileString.filter((v) => v.length > 0).map((v) => `/v1/transactions/${seg(v)}`),
      hostileString.filter((v) => v.length > 0).map((v) => `/v1/events/${seg(v)}?${new URLSearchParams({ source: v })}`),
      hostileString.map((v) => `/v1/dashboard?${new URLSearchParams({ window: v })}`),
      hostileString.map((v) => `/v1/audit?${new URLSearchParams({ limit: v, before: v })}`),
      hostileString.map((v) => `/v1/subscriptions?${new URLSearchParams({ agency: v })}`),
      hostileString.filter((v) => v.length > 0).map((v) => `/v1/schemas/${seg(v)}/versions`),
      hostileString.filter((v) => v.length > 0).map((v) => `/v1/replays/${seg(v)}`),
    );
    await fc.assert(
      fc.asyncProperty(path, async (p) => {
        const before = await state();
        const res = await admin.call('GET', p);
        const what = `${p.slice(0, 200)} ${JSON.stringify(res.body).slice(0, 300)}`;
        if (res.status >= 400) expectRefusal(res, what);
        else expect(res.status, what).toBe(200);
        expect(await state()).toEqual(before);
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
