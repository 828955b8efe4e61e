// An operator's day through the `rabt` CLI (built, run as a process) against the built ops
// service on a fresh database: bootstrap an admin, sign in (the token file is 0600), list, show,
// replay and discard dead letters, a bulk replay, and the refusals with their exit codes.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createDataSource, migrateDatabase, seedAgencies, serviceDatabaseUrl } from '@rabt/persistence';
import { createThrowawayDatabase, freePort, startBuiltService, type ServiceProcess, type ThrowawayDatabase } from '@rabt/testing';
import { cliRunner } from './cli.runner';

const PASSWORD = 'correct horse battery staple';
let db: ThrowawayDatabase;
let dataSource: DataSource;
let ops: ServiceProcess;
const config = mkdtempSync(join(tmpdir(), 'rabt-cli-'));
const { rabt, ok, okJson } = cliRunner(() => ({ PATH: process.env['PATH'] ?? '', DATABASE_URL: serviceDatabaseUrl(db.url, 'cli'), RABT_OPS_URL: ops.url, XDG_CONFIG_HOME: config }));
const deadLetters: string[] = [];

async function seedDeadLetter(n: number): Promise<string> {
  const delivery = `msg_cli_${n}`;
  const payload = JSON.stringify({ specversion: '1.0', id: `evt-${n}`, source: 'urn:rabt:agency:mom', type: 'mom.employee.left-work-reported', data: {} });
  await dataSource.query(
    `INSERT INTO delivery (id, subscription_id, agency_code, event_source, event_id, event_type, payload, state, attempts, inbox_topic, inbox_partition, inbox_offset)
     VALUES ($1, gen_random_uuid(), 'rop', 'urn:rabt:agency:mom', $2, 'mom.employee.left-work-reported', $3::jsonb, 'dead', 3, 'rabt.inbox.rop', 0, $4)`,
    [delivery, `evt-${n}`, payload, n],
  );
  const [row] = (await dataSource.query(
    `INSERT INTO dead_letter (delivery_id, subscription_id, agency_code, event_type, event_source, event_id, payload, last_status, last_error, attempts, error_code)
     SELECT id, subscription_id, agency_code, event_type, event_source, event_id, payload, 503, 'gave up after 3 attempts', 3, 'HTTP_5XX' FROM delivery WHERE id = $1 RETURNING id`,
    [delivery],
  )) as { id: string }[];
  return row!.id;
}

beforeAll(async () => {
  db = await createThrowawayDatabase('rabt_ops_cli');
  await migrateDatabase({ url: db.url, poolMax: 2, ssl: false }, 'ops-cli');
  dataSource = createDataSource({ url: db.url, poolMax: 2, ssl: false }, 'ops-cli');
  await dataSource.initialize();
  await seedAgencies(dataSource);
  for (let i = 1; i <= 3; i++) deadLetters.push(await seedDeadLetter(i));
  ops = await startBuiltService('ops', { DATABASE_URL: serviceDatabaseUrl(db.url, 'ops'), OPS_CONSOLE_DIR: '/nonexistent', OPS_REPLAY_POLL_MS: '200' }, 'OPS_PORT');
}, 120_000);

afterAll(async () => {
  await ops?.stop();
  await dataSource?.destroy();
  await db?.drop();
});

describe('rabt operators, login and dlq', () => {
  it('creates the first admin and a viewer from standard input, and refuses a short password (exit 2)', async () => {
    expect((await okJson(['operators', 'create', '--username', 'aisha', '--role', 'admin', '--password-stdin'], {}, `${PASSWORD}\n`)).role).toBe('admin');
    await ok(['operators', 'create', '--username', 'view', '--role', 'viewer'], {}, PASSWORD);
    const short = await rabt(['operators', 'create', '--username', 'bob', '--role', 'viewer'], {}, 'short');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('password: at least 12 characters');
    expect((await okJson(['operators', 'list'])).operators.map((o: { username: string }) => o.username)).toEqual(['aisha', 'view']);
  });

  it('signs in, keeping the token in a 0600 file; a wrong password is exit 1', async () => {
    const wrong = await rabt(['login', '--username', 'aisha'], {}, 'not the password');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('INVALID_CREDENTIALS');
    await ok(['login', '--username', 'aisha'], {}, PASSWORD);
    expect(statSync(join(config, 'rabt', 'ops-session.json')).mode & 0o777).toBe(0o600);
  });

  it('lists, shows, replays and discards with a reason; a second replay is refused (exit 1)', async () => {
    const list = await okJson(['dlq', 'list', '--agency', 'rop', '--error-code', 'HTTP_5XX']);
    expect(list.total).toBe(3);
    expect((await okJson(['dlq', 'show', deadLetters[0]!])).attempts).toEqual([]);
    const missingReason = await rabt(['dlq', 'replay', deadLetters[0]!]);
    expect(missingReason.code).toBe(2);
    expect((await okJson(['dlq', 'replay', deadLetters[0]!, '--reason', 'receiver fixed'])).state).toBe('replaying');
    const again = await rabt(['dlq', 'replay', deadLetters[0]!, '--reason', 'again']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('DEAD_LETTER_NOT_OPEN');
    expect((await okJson(['dlq', 'discard', deadLetters[1]!, '--reason', 'fixed by hand'])).state).toBe('discarded');
  });

  it('bulk-replays the rest and follows the job to the end', async () => {
    const job = await okJson(['dlq', 'replay', '--all', '--agency', 'rop', '--reason', 'all of them', '--rate', '10']);
    expect(job).toMatchObject({ state: 'completed', total: 1, done: 1, skipped: 0 });
  });

  it('a viewer is refused (exit 1, FORBIDDEN_ROLE); without a session it is exit 2; without the service exit 3', async () => {
    await ok(['login', '--username', 'view'], {}, PASSWORD);
    const refused = await rabt(['dlq', 'discard', deadLetters[2]!, '--reason', 'x']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('FORBIDDEN_ROLE');
    expect((await rabt(['tx', 'show', 'no-such-transaction'])).stderr).toContain('TRANSACTION_NOT_FOUND');
    await ok(['logout']);
    expect((await rabt(['dlq', 'list'])).code).toBe(2);
    const down = await rabt(['dlq', 'list'], { RABT_OPS_URL: `http://127.0.0.1:${await freePort()}` });
    expect(down.code).toBe(2); // the stored session is for the other URL: not signed in there
    const unreachable = await rabt(['login', '--username', 'view'], { RABT_OPS_URL: `http://127.0.0.1:${await freePort()}` }, PASSWORD);
    expect(unreachable.code).toBe(3);
  });

  it('operators disable, enable and revoke-sessions end the account’s sessions at once, audited with the reason', async () => {
    await ok(['login', '--username', 'view'], {}, PASSWORD);
    expect((await rabt(['dlq', 'list'])).code).toBe(0);
    expect((await rabt(['operators', 'disable', 'view'])).code).toBe(2);
    expect(await okJson(['operators', 'disable', 'view', '--reason', 'left the team'])).toMatchObject({ operator: { username: 'view', disabled: true }, sessionsEnded: 1 });
    expect((await rabt(['dlq', 'list'])).code).toBe(2);
    expect((await rabt(['login', '--username', 'view'], {}, PASSWORD)).code).toBe(1);
    expect((await okJson(['operators', 'enable', 'view', '--reason', 'came back'])).operator.disabled).toBe(false);
    await ok(['login', '--username', 'view'], {}, PASSWORD);
    expect((await okJson(['operators', 'revoke-sessions', 'view', '--reason', 'laptop lost'])).sessionsEnded).toBe(1);
    expect((await rabt(['dlq', 'list'])).code).toBe(2);
    const audited = (await dataSource.query(`SELECT action, reason FROM audit_record WHERE subject = 'operator:view' AND actor LIKE 'cli:%' ORDER BY id`)) as { action: string; reason: string }[];
    expect(audited).toEqual([
      { action: 'operator.created', reason: 'created with rabt operators create' },
      { action: 'operator.disabled', reason: 'left the team' },
      { action: 'operator.enabled', reason: 'came back' },
      { action: 'operator.sessions-revoked', reason: 'laptop lost' },
    ]);
  });
});
