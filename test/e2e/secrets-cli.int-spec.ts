// The master key rotates: secrets sealed under old keys (v1 under RABT_SECRET_KEY, v2 under a
// listed key) are resealed by the built `rabt secrets reseal` against a real Postgres, survive a
// kill -9 mid-way, and still open once the old keys have left the ring.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { SecretBox, type SecretKeyEntry } from '@rabt/auth';
import { createDataSource, migrateDatabase, seedAgencies, SubscriptionEntity } from '@rabt/persistence';
import { sealWebhookSecret, webhookSecretsOf } from '@rabt/routing';
import { createThrowawayDatabase, WORKSPACE_ROOT, type ThrowawayDatabase } from '@rabt/testing';
import { cliRunner } from './cli.runner';

const key = (id: string): SecretKeyEntry => ({ id, key: randomBytes(32) });
const [legacy, k1, k2, k9] = [key('legacy'), key('k1'), key('k2'), key('k9')];
const b64 = (k: SecretKeyEntry) => Buffer.from(k.key).toString('base64');
const ring = (...keys: SecretKeyEntry[]) => keys.map((k) => `${k.id}:${b64(k)}`).join(',');
const FULL = { RABT_SECRET_KEYS: ring(legacy, k1, k2) };
const ROWS = 1500;

let db: ThrowawayDatabase;
let dataSource: DataSource;
/** Every subscription's secrets in clear: current, then previous when it has one. */
const plain = new Map<string, string[]>();

const { rabt, ok, okJson } = cliRunner(() => ({ PATH: process.env['PATH'] ?? '', DATABASE_URL: db.url }));

const all = () => dataSource.getRepository(SubscriptionEntity).find({ order: { id: 'ASC' } });
const sealedColumns = async () =>
  (await all()).flatMap((s) => [s.webhookSecretCiphertext, s.previousWebhookSecretCiphertext]).filter((c): c is string => c !== null);
const auditRecords = async () =>
  (await dataSource.query(`SELECT actor, subject, details FROM audit_record WHERE action = 'secrets.resealed' ORDER BY id`)) as { actor: string; subject: string; details: { toKeyId: string; resealed: Record<string, number>; failed: Record<string, number> } }[];

/** Every secret opens, under `box`, to exactly what was sealed (so nothing was lost or wrapped twice). */
async function expectAllOpen(box: SecretBox): Promise<void> {
  const far = new Date(0);
  for (const s of await all()) {
    const expected = plain.get(s.id);
    if (!expected) continue;
    expect(webhookSecretsOf(s, box, far)).toEqual(expected);
  }
}

async function insert(rows: { id: string; sealed: string; previous: string | null; url: string }[]): Promise<void> {
  await dataSource.query(
    `INSERT INTO subscription (id, agency_code, event_type, webhook_url, webhook_secret_ciphertext, previous_webhook_secret_ciphertext, previous_secret_expires_at)
     SELECT u.id, 'rop', 'mom.employee.left-work-reported', u.url, u.sealed, u.previous, CASE WHEN u.previous IS NULL THEN NULL ELSE now() + interval '1 day' END
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u(id, url, sealed, previous)`,
    [rows.map((r) => r.id), rows.map((r) => r.url), rows.map((r) => r.sealed), rows.map((r) => r.previous)],
  );
}

beforeAll(async () => {
  db = await createThrowawayDatabase('rabt_secrets_cli');
  const database = { url: db.url, poolMax: 2, ssl: false };
  await migrateDatabase(database, 'secrets-cli-e2e');
  dataSource = createDataSource(database, 'rabt-secrets-cli-e2e');
  await dataSource.initialize();
  await seedAgencies(dataSource);
  // A third sealed under the legacy key (v1), the rest under k1; every fourth has a previous secret too.
  const legacyBox = new SecretBox(legacy.key);
  const k1Box = new SecretBox([k1]);
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const id = randomUUID();
    const box = i % 3 === 0 ? legacyBox : k1Box;
    const secrets = [`whsec_${randomBytes(32).toString('base64')}`, ...(i % 4 === 0 ? [`whsec_${randomBytes(32).toString('base64')}`] : [])];
    plain.set(id, secrets);
    return { id, url: `https://hooks.example/${i}`, sealed: sealWebhookSecret(box, id, secrets[0]!), previous: secrets[1] ? sealWebhookSecret(box, id, secrets[1]) : null };
  });
  await insert(rows);
}, 120_000);

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

describe('rabt secrets reseal', () => {
  const legacyCount = Array.from({ length: ROWS }, (_, i) => i).filter((i) => i % 3 === 0).reduce((n, i) => n + (i % 4 === 0 ? 2 : 1), 0);
  const total = ROWS + Math.ceil(ROWS / 4);

  it('--dry-run counts the sealed secrets per key id and changes nothing', async () => {
    const before = await sealedColumns();
    const status = await okJson(['secrets', 'reseal', '--dry-run'], FULL);
    expect(status).toEqual({ primaryKeyId: 'k2', keyIds: ['legacy', 'k1', 'k2'], sealedByKeyId: { k1: total - legacyCount, legacy: legacyCount }, toReseal: total, missingKeyIds: [] });
    const text = await ok(['secrets', 'reseal', '--dry-run'], FULL);
    expect(text.stdout).toMatch(/^KEY ID +SEALED +KEY\nk1 +\d+ +in the ring\nlegacy +\d+ +in the ring\n\d+ to reseal under the primary key k2\n$/);
    expect(text.stdout + text.stderr).not.toContain(b64(k1));
    expect(await sealedColumns()).toEqual(before);
  });

  it('refuses a bad --batch-size (exit 2) and a keyring without the primary named, changing nothing', async () => {
    const before = await sealedColumns();
    const bad = await rabt(['secrets', 'reseal', '--batch-size', '0'], FULL);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--batch-size must be a whole number from 1 to 10000');
    const primary = await rabt(['secrets', 'reseal'], { ...FULL, RABT_SECRET_KEY_PRIMARY: 'k7' });
    expect(primary.code).toBe(2);
    expect(primary.stderr).toContain('RABT_SECRET_KEY_PRIMARY: names key id k7, which is not in the keyring (legacy, k1, k2)');
    expect(primary.stderr).not.toContain(b64(k2));
    expect(await sealedColumns()).toEqual(before);
  });

  it('killed mid-way (kill -9), loses nothing; run again, it finishes, each value resealed once, audited', async () => {
    const child = spawn(process.execPath, [join(WORKSPACE_ROOT, 'dist/apps/cli/main.js'), 'secrets', 'reseal', '--batch-size', '3'], {
      cwd: WORKSPACE_ROOT,
      env: { RABT_DEV_MODE: 'true', PATH: process.env['PATH'] ?? '', DATABASE_URL: db.url, ...FULL },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    for (let i = 0; i < 600 && (await auditRecords()).length < 20; i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    await exited;
    const partial = (await sealedColumns()).map((c) => new SecretBox([k1]).keyIdOf(c));
    const done = partial.filter((k) => k === 'k2').length;
    expect(done, 'killed before it finished').toBeLessThan(total);
    expect(done).toBeGreaterThan(0);
    await expectAllOpen(new SecretBox([legacy, k1, k2]));

    const rerun = await okJson(['secrets', 'reseal', '--batch-size', '50'], FULL);
    expect(rerun.primaryKeyId).toBe('k2');
    expect(Object.values(rerun.resealed as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(total - done);
    expect(rerun.failed).toEqual({});
    // every value was resealed exactly once over both runs, as the audit log says
    const records = await auditRecords();
    const audited: Record<string, number> = {};
    for (const r of records) for (const [k, n] of Object.entries(r.details.resealed)) audited[k] = (audited[k] ?? 0) + n;
    expect(audited).toEqual({ legacy: legacyCount, k1: total - legacyCount });
    expect(records.every((r) => r.details.toKeyId === 'k2' && r.subject === 'secrets:webhook-signing' && r.actor.startsWith('cli:'))).toBe(true);
    expect(JSON.stringify(records)).not.toMatch(new RegExp([legacy, k1, k2].map((k) => b64(k).slice(0, 20).replace(/[+/]/g, '.')).join('|')));
  }, 120_000);

  it('is idempotent: a further run reseals nothing and records nothing', async () => {
    const before = await sealedColumns();
    const records = (await auditRecords()).length;
    const again = await ok(['secrets', 'reseal'], FULL);
    expect(again.stdout).toBe('✓ 0 sealed secrets resealed under key k2\n');
    expect(await sealedColumns()).toEqual(before);
    expect((await auditRecords()).length).toBe(records);
  });

  it('with the old keys removed from the ring, every secret still opens', async () => {
    await expectAllOpen(new SecretBox([k2]));
    const status = await okJson(['secrets', 'reseal', '--dry-run'], { RABT_SECRET_KEYS: ring(k2) });
    expect(status).toMatchObject({ sealedByKeyId: { k2: total }, toReseal: 0, missingKeyIds: [] });
  });

  it('a value under a key not in the ring is named by key id, left unchanged, and the run exits 1', async () => {
    const id = randomUUID();
    const sealed = sealWebhookSecret(new SecretBox([k9]), id, 'whsec_lost');
    await insert([{ id, url: 'https://hooks.example/lost', sealed, previous: null }]);
    const dry = await rabt(['secrets', 'reseal', '--dry-run'], { RABT_SECRET_KEYS: ring(k1, k2) });
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(/k9 +1 +NOT IN THE RING/);
    expect(dry.stderr).toContain('1 sealed secrets are under key ids not in the keyring (k9)');
    const run = await rabt(['secrets', 'reseal'], { RABT_SECRET_KEYS: ring(k1, k2) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('1 sealed secrets did not open and were left unchanged (1 under k9)');
    expect(run.stdout + run.stderr).not.toContain(b64(k9));
    expect((await dataSource.getRepository(SubscriptionEntity).findOneByOrFail({ id })).webhookSecretCiphertext).toBe(sealed);
  });
});
