// An operator subscribes agencies through the `rabt` CLI (built, run as a process) against a
// fresh database: the grant is required, filters, projections and webhook URLs are checked, the
// signing secret is printed once and stored sealed under RABT_SECRET_KEY, and rotation keeps the
// previous secret valid.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { DEVELOPMENT_SECRET_KEY, SecretBox, SecretBoxError } from '@rabt/auth';
import { createDataSource, migrateDatabase, seedAgencies, SubscriptionEntity, serviceDatabaseUrl } from '@rabt/persistence';
import { webhookSecretsOf } from '@rabt/routing';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import { cliRunner } from './cli.runner';

const REPORTED = 'mom.employee.left-work-reported';
const HOOK = 'http://127.0.0.1:4599/hook';
const ALLOW = { RABT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' };
const devBox = SecretBox.fromBase64(DEVELOPMENT_SECRET_KEY);

let db: ThrowawayDatabase;
let dataSource: DataSource;

const { rabt, ok, okJson } = cliRunner(() => ({ PATH: process.env['PATH'] ?? '', DATABASE_URL: serviceDatabaseUrl(db.url, 'cli') }));

async function refused(args: string[], code: number, message: string | RegExp, env?: Record<string, string>): Promise<void> {
  const before = await rows();
  const run = await rabt(args, env);
  expect(run.code, run.stdout + run.stderr).toBe(code);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toContain('    at ');
  expect(await rows()).toEqual(before);
}

const rows = () => dataSource.getRepository(SubscriptionEntity).find({ order: { createdAt: 'ASC' } });
const row = (id: string) => dataSource.getRepository(SubscriptionEntity).findOneByOrFail({ id });

beforeAll(async () => {
  db = await createThrowawayDatabase('rabt_subscriptions_cli');
  const database = { url: db.url, poolMax: 2, ssl: false };
  await migrateDatabase(database, 'subscriptions-cli-e2e');
  dataSource = createDataSource(database, 'rabt-subscriptions-cli-e2e');
  await dataSource.initialize();
  await seedAgencies(dataSource);
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

let subscriptionId = '';
let firstSecret = '';

describe('rabt subscriptions add', () => {
  it('refuses an agency without a subscribe grant (exit 1), storing nothing', async () => {
    await refused(['subscriptions', 'add', 'rop', REPORTED, '--inbox'], 1, `rabt: 'rop' holds no subscribe grant on ${REPORTED}: its owner 'mom'`);
  });

  it('after the grant: filter, fields and an allow-listed webhook; the secret is printed once and stored sealed', async () => {
    await ok(['grants', 'add', 'rop', REPORTED, 'subscribe', '--granted-by', 'mom']);
    const run = await ok(['subscriptions', 'add', 'rop', REPORTED, '--filter', 'data.reason == "ABSCONDED"', '--fields', 'reason,passportNumber', '--webhook', HOOK], ALLOW);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^✓ subscription ([0-9a-f-]{36}): rop receives ${REPORTED.replaceAll('.', '\\.')} by webhook ${HOOK.replaceAll('.', '\\.')}$`));
    expect(lines.slice(1, 4)).toEqual(['  filter: data.reason == "ABSCONDED"', '  fields: workerCivilNumber, passportNumber, reason', '  webhook signing secret:']);
    firstSecret = lines[4]!;
    expect(firstSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(run.stderr).toContain('This webhook signing secret is shown only now');
    expect(run.stderr).toContain('RABT_SECRET_KEY is the development default');
    subscriptionId = /subscription ([0-9a-f-]{36})/.exec(lines[0]!)![1]!;
    const stored = await row(subscriptionId);
    expect(stored).toMatchObject({ agencyCode: 'rop', eventType: REPORTED, filter: 'data.reason == "ABSCONDED"', projection: ['workerCivilNumber', 'passportNumber', 'reason'], webhookUrl: HOOK, inbox: false, state: 'active' });
    expect(JSON.stringify(stored)).not.toContain(firstSecret.slice('whsec_'.length));
    expect(webhookSecretsOf(stored, devBox)).toEqual([firstSecret]);
  });

  it('seals with RABT_SECRET_KEY: a secret sealed under another key does not open with the default', async () => {
    const key = randomBytes(32).toString('base64');
    const created = await okJson(['subscriptions', 'add', 'rop', REPORTED, '--inbox', '--webhook', 'http://127.0.0.1:4600/other'], { ...ALLOW, RABT_SECRET_KEY: key });
    expect(created).toMatchObject({ inboxTopic: 'rabt.inbox.rop', webhookSecret: expect.stringMatching(/^whsec_/), warning: expect.any(String) });
    const stored = await row(created.id);
    expect(webhookSecretsOf(stored, SecretBox.fromBase64(key))).toEqual([created.webhookSecret]);
    expect(() => webhookSecretsOf(stored, devBox)).toThrow(SecretBoxError);
    expect((await ok(['subscriptions', 'remove', created.id])).stdout).toContain(`✓ subscription ${created.id} removed`);
  });

  it('refuses bad filters, fields, types and delivery (exit 2) and unsafe or duplicate webhooks (exit 1), storing nothing', async () => {
    const add = (...extra: string[]) => ['subscriptions', 'add', 'rop', REPORTED, ...extra];
    await refused(add('--inbox', '--filter', 'data.reason =='), 2, 'rabt: invalid filter: Unexpected token: EOF (at character 15)');
    await refused(add('--inbox', '--filter', 'data.reasn == "X"'), 2, /rabt: invalid filter: data\.reasn is not a field of mom\.employee\.left-work-reported/);
    await refused(add('--inbox', '--fields', 'reason,salary'), 2, `rabt: invalid projection of ${REPORTED}: 'salary' is not a field of ${REPORTED}`);
    await refused(add('--filter', 'true'), 2, 'rabt: invalid subscription: webhook no delivery method');
    await refused(['subscriptions', 'add', 'rop', 'mom.employee.teleported', '--inbox'], 2, "rabt: 'mom.employee.teleported' is not an event type of the catalogue");
    await refused(add('--webhook', 'https://10.1.2.3/x'), 1, 'rabt: webhook URL https://10.1.2.3/x refused: 10.1.2.3 is a private address');
    await refused(add('--webhook', 'https://localhost/x'), 1, /rabt: webhook URL https:\/\/localhost\/x refused: localhost resolves to a non-public address/);
    await refused(add('--webhook', HOOK), 1, 'plain http is allowed only for hosts on the operator allow-list (RABT_WEBHOOK_ALLOW_HOSTS); use https');
    await refused(add('--webhook', HOOK), 1, `rabt: 'rop' already subscribes to ${REPORTED} there: ${subscriptionId}`, ALLOW);
    await refused(add('--inbox'), 2, 'RABT_SECRET_KEY: must be 32 bytes as base64', { RABT_SECRET_KEY: 'c2hvcnQ=' });
    await refused(add('--inbox'), 2, 'RABT_WEBHOOK_ALLOW_HOSTS: not a host, host:port, [ipv6] or [ipv6]:port: http://x', { RABT_WEBHOOK_ALLOW_HOSTS: 'http://x' });
  });
});

describe('rabt subscriptions list, rotate-secret, enable, remove', () => {
  it('list shows subscriptions without any secret', async () => {
    const { subscriptions } = await okJson(['subscriptions', 'list', '--agency', 'rop']);
    expect(subscriptions).toEqual([expect.objectContaining({ id: subscriptionId, agency: 'rop', projection: ['workerCivilNumber', 'passportNumber', 'reason'], webhook: { url: HOOK, previousSecretExpiresAt: null } })]);
    const text = (await ok(['subscriptions', 'list'])).stdout;
    expect(text).toMatch(new RegExp(`^${subscriptionId} +rop +active +${REPORTED.replaceAll('.', '\\.')} +webhook ${HOOK.replaceAll('.', '\\.')} +workerCivilNumber,passportNumber,reason +data\\.reason == "ABSCONDED"$`, 'm'));
    for (const out of [JSON.stringify(subscriptions), text]) {
      expect(out).not.toContain('whsec_');
      expect(out).not.toContain('v1:');
    }
    expect((await okJson(['subscriptions', 'list', '--type', 'rop.residence.absconding-registered'])).subscriptions).toEqual([]);
  });

  it('rotate-secret prints a new secret once; both secrets verify until the overlap ends', async () => {
    const run = await ok(['subscriptions', 'rotate-secret', subscriptionId]);
    const [summary, secret] = run.stdout.trimEnd().split('\n');
    expect(summary).toMatch(new RegExp(`^✓ new webhook signing secret for subscription ${subscriptionId} \\(rop\\); the previous one stays valid until \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC:$`));
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(firstSecret);
    const stored = await row(subscriptionId);
    expect(webhookSecretsOf(stored, devBox)).toEqual([secret, firstSecret]);
    expect(webhookSecretsOf(stored, devBox, new Date(Date.now() + 24 * 3_600_000 + 60_000))).toEqual([secret]);
  });

  it('enable re-activates a disabled subscription; remove deletes it; a missing one exits 1', async () => {
    await dataSource.getRepository(SubscriptionEntity).update({ id: subscriptionId }, { state: 'disabled', disabledReason: 'the webhook answered 410 Gone' });
    expect((await okJson(['subscriptions', 'enable', subscriptionId], ALLOW)).state).toBe('active');
    expect((await ok(['subscriptions', 'remove', subscriptionId])).stdout).toBe(`✓ subscription ${subscriptionId} removed: rop no longer receives ${REPORTED} by webhook ${HOOK}\n`);
    expect(await rows()).toEqual([]);
    await refused(['subscriptions', 'remove', subscriptionId], 1, `rabt: no subscription ${subscriptionId}`);
    await refused(['subscriptions', 'rotate-secret', 'not-an-id'], 1, "rabt: no subscription 'not-an-id'");
  });

  it('a database without the table says to migrate (exit 2)', async () => {
    const empty = await createThrowawayDatabase('rabt_subscriptions_cli_empty');
    try {
      const run = await rabt(['subscriptions', 'list'], { DATABASE_URL: empty.url });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('rabt: the database has no subscription table yet: run `npm run db:migrate` first\n');
    } finally {
      await empty.drop();
    }
  });
});
