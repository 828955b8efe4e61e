// An operator's day with the agency registry through the `rabt` CLI (built, run as a process)
// against a fresh database: seed, add an agency, issue keys that really authenticate (checked by
// the gateway's own AgencyKeysService), list them without secrets, suspend, revoke, and grant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { AgencyKeysService, DEVELOPMENT_PEPPER, parseApiKey } from '@rabt/auth';
import { AgencyApiKeyEntity, AgencyEntity, createDataSource, migrateDatabase, serviceDatabaseUrl } from '@rabt/persistence';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import { cliRunner } from './cli.runner';

const REPORTED = 'mom.employee.left-work-reported';
const OTHER_PEPPER = 'another-pepper-of-at-least-thirty-two-characters';

let db: ThrowawayDatabase;
let dataSource: DataSource;
const tokens: string[] = [];

const { rabt, ok, okJson } = cliRunner(() => ({ PATH: process.env['PATH'] ?? '', DATABASE_URL: serviceDatabaseUrl(db.url, 'cli') }));

async function refused(args: string[], code: number, message: string): Promise<void> {
  const run = await rabt(args);
  expect(run.code, run.stdout + run.stderr).toBe(code);
  expect(run.stderr).toContain(message);
  expect(run.stderr).not.toContain('    at '); // a user error, not a stack trace
}

/** Who a token authenticates as, by the same service the gateway uses (fresh, so no cache), with `pepper` as version 1 or with `peppers` by version. */
function authenticate(token: string, pepper = DEVELOPMENT_PEPPER, peppers: ReadonlyMap<number, string> = new Map([[1, pepper]])) {
  const primary = Math.max(...peppers.keys());
  const service = new AgencyKeysService(dataSource.getRepository(AgencyApiKeyEntity), dataSource.getRepository(AgencyEntity), {
    apiKeyPepper: { version: primary, pepper: peppers.get(primary)! },
    apiKeyPeppers: peppers,
    developmentPepper: pepper === DEVELOPMENT_PEPPER,
    apiKeyMaxTtlDays: 397,
  });
  return service.authenticate(token);
}

async function issue(agency: string, ...flags: string[]): Promise<{ keyId: string; token: string; agency: string; label: string; roles: string[] }> {
  const key = await okJson(['keys', 'issue', agency, ...flags]);
  tokens.push(key.token);
  return key;
}

beforeAll(async () => {
  db = await createThrowawayDatabase('rabt_agencies_cli');
  const database = { url: db.url, poolMax: 2, ssl: false };
  await migrateDatabase(database, 'agencies-cli-e2e');
  dataSource = createDataSource(database, 'rabt-agencies-cli-e2e');
  await dataSource.initialize();
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

describe('rabt agencies', () => {
  it('seed adds the seven demo agencies, once', async () => {
    expect((await ok(['agencies', 'seed'])).stdout).toBe('✓ seeded 7 demo agencies: mom, rop, moci, moh, mm, epay, ita\n');
    expect(await okJson(['agencies', 'seed'])).toEqual({ added: [], existing: ['mom', 'rop', 'moci', 'moh', 'mm', 'epay', 'ita'] });
  });

  it('add registers an agency, active; list shows it', async () => {
    const added = await okJson(['agencies', 'add', 'mol', '--name-en', 'Ministry of Labour', '--name-ar', 'وزارة العمل']);
    expect(added).toMatchObject({ code: 'mol', nameEn: 'Ministry of Labour', nameAr: 'وزارة العمل', status: 'active', ratePerSecond: null });
    const list = await okJson(['agencies', 'list']);
    expect(list.agencies.map((a: { code: string }) => a.code)).toEqual(['epay', 'ita', 'mm', 'moci', 'moh', 'mol', 'mom', 'rop']);
    expect((await ok(['agencies', 'list'])).stdout).toMatch(/^mol +active +default +Ministry of Labour \| وزارة العمل$/m);
  });

  it('refuses a code that exists (exit 1), a bad code or a name not in Arabic (exit 2), changing nothing', async () => {
    await refused(['agencies', 'add', 'mol', '--name-en', 'Other', '--name-ar', 'أخرى'], 1, "rabt: agency 'mol' already exists");
    await refused(['agencies', 'add', 'Mol-2', '--name-en', 'X', '--name-ar', 'س'], 2, 'code must be 2 to 16 characters');
    await refused(['agencies', 'add', 'mol2', '--name-en', 'X', '--name-ar', 'Labour'], 2, 'nameAr must be written in Arabic script');
    await refused(['agencies', 'add', 'mol2', '--name-en', 'X'], 2, "required option '--name-ar <name>' not specified");
    expect(await dataSource.query(`SELECT code, name_en FROM agency WHERE code LIKE 'mol%'`)).toEqual([{ code: 'mol', name_en: 'Ministry of Labour' }]);
  });
});

describe('rabt keys', () => {
  it('issue prints a token once, with a warning; the token authenticates as the agency with its roles', async () => {
    const run = await ok(['keys', 'issue', 'mol', '--label', 'back office', '--role', 'integrator']);
    const [summary, token] = run.stdout.trimEnd().split('\n');
    expect(summary).toMatch(/^✓ key [0-9a-f-]{36} issued for mol \(label "back office", roles: integrator\):$/);
    expect(run.stderr).toContain('This token is shown only now');
    tokens.push(token!);
    const keyId = parseApiKey(token!)!.keyId;
    expect(await authenticate(token!)).toEqual({ agency: 'mol', keyId, roles: ['integrator'] });
    const [row] = await dataSource.query(`SELECT secret_hash FROM agency_api_key WHERE id = $1`, [keyId]);
    expect(token).not.toContain(row.secret_hash);
    expect(row.secret_hash).not.toContain(parseApiKey(token!)!.secret);
  });

  it('an agency holds several active keys (rotation); each authenticates', async () => {
    const admin = await issue('mol', '--label', 'ops', '--role', 'admin', '--role', 'integrator');
    const plain = await issue('mol');
    expect(admin.roles).toEqual(['admin', 'integrator']);
    expect(plain).toMatchObject({ agency: 'mol', roles: [], label: expect.stringMatching(/^issued with rabt keys issue on \d{4}-\d{2}-\d{2}$/) });
    expect((await authenticate(admin.token))?.roles).toEqual(['admin', 'integrator']);
    expect((await authenticate(plain.token))?.agency).toBe('mol');
  });

  it('uses RABT_API_KEY_PEPPER: a key issued with another pepper authenticates only with that pepper', async () => {
    const key = await okJson(['keys', 'issue', 'mom', '--label', 'peppered'], { RABT_API_KEY_PEPPER: OTHER_PEPPER });
    tokens.push(key.token);
    expect((await authenticate(key.token, OTHER_PEPPER))?.agency).toBe('mom');
    expect(await authenticate(key.token)).toBeUndefined();
  });

  it('versioned peppers: a key is hashed under the newest and checked under its own version while that is listed; pepper-status counts them', async () => {
    const NEW_PEPPER = 'n'.repeat(40);
    const peppers = { RABT_API_KEY_PEPPERS: `1:${DEVELOPMENT_PEPPER},2:${NEW_PEPPER}` };
    const old = await issue('moh', '--label', 'pepper v1');
    const fresh = await okJson(['keys', 'issue', 'moh', '--label', 'pepper v2'], peppers);
    tokens.push(fresh.token);
    const [row] = await dataSource.query(`SELECT pepper_version FROM agency_api_key WHERE id = $1`, [fresh.keyId]);
    expect(row.pepper_version).toBe(2);
    const both = new Map([
      [1, DEVELOPMENT_PEPPER],
      [2, NEW_PEPPER],
    ]);
    expect((await authenticate(old.token, DEVELOPMENT_PEPPER, both))?.keyId).toBe(old.keyId);
    expect((await authenticate(fresh.token, DEVELOPMENT_PEPPER, both))?.keyId).toBe(fresh.keyId);
    // version 1 no longer listed: its keys are refused like any bad key; version 2 keys still work
    expect(await authenticate(old.token, NEW_PEPPER, new Map([[2, NEW_PEPPER]]))).toBeUndefined();
    expect((await authenticate(fresh.token, NEW_PEPPER, new Map([[2, NEW_PEPPER]])))?.keyId).toBe(fresh.keyId);
    const status = await okJson(['keys', 'pepper-status'], peppers);
    expect(status.versions.map((v: { version: number; primary: boolean; configured: boolean }) => [v.version, v.primary, v.configured])).toEqual([
      [1, false, true],
      [2, true, true],
    ]);
    expect(status.versions[1].liveKeys).toBe(1);
    const lost = await rabt(['keys', 'pepper-status'], { RABT_API_KEY_PEPPERS: `2:${NEW_PEPPER}` });
    expect(lost.code).toBe(1);
    expect(lost.stdout).toMatch(/^1 +\d+ +NOT CONFIGURED$/m);
    expect(lost.stdout + lost.stderr).not.toContain(NEW_PEPPER);
    await ok(['keys', 'revoke', fresh.keyId]);
  });

  it('issue --expires sets an expiry; a past or too distant one is refused (exit 2) and stores nothing', async () => {
    const key = await issue('moh', '--label', 'expiring', '--expires', '30d');
    const at = new Date((key as unknown as { expiresAt: string }).expiresAt).getTime();
    expect(Math.abs(at - (Date.now() + 30 * 86_400_000))).toBeLessThan(60_000);
    expect((await authenticate(key.token))?.keyId).toBe(key.keyId);
    const count = async () => ((await dataSource.query(`SELECT count(*)::int AS n FROM agency_api_key`)) as { n: number }[])[0]!.n;
    const before = await count();
    await refused(['keys', 'issue', 'moh', '--expires', '2020-01-01'], 2, 'expires must be in the future');
    await refused(['keys', 'issue', 'moh', '--expires', '400d'], 2, 'expires must be at most 397 days from now');
    const capped = await rabt(['keys', 'issue', 'moh', '--expires', '31d'], { RABT_API_KEY_MAX_TTL_DAYS: '30' });
    expect(capped.code).toBe(2);
    expect(capped.stderr).toContain('expires must be at most 30 days from now');
    expect(await count()).toBe(before);
    await dataSource.query(`UPDATE agency_api_key SET expires_at = now() - interval '1 second' WHERE id = $1`, [key.keyId]);
    expect(await authenticate(key.token)).toBeUndefined();
    expect((await ok(['keys', 'list', 'moh'])).stdout).toMatch(new RegExp(`^${key.keyId} +expired `, 'm'));
    await ok(['keys', 'revoke', key.keyId]);
  });

  it('list shows id, label, roles and dates, never a token, secret or hash', async () => {
    const { keys } = await okJson(['keys', 'list', 'mol']);
    expect(keys).toHaveLength(3);
    for (const key of keys) expect(Object.keys(key).sort()).toEqual(['agency', 'createdAt', 'expiresAt', 'id', 'label', 'revokedAt', 'roles']);
    const text = (await ok(['keys', 'list', 'mol'])).stdout;
    expect(text).toMatch(/^[0-9a-f-]{36} +active +integrator +\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC +- +back office$/m);
    const hashes = ((await dataSource.query(`SELECT secret_hash FROM agency_api_key`)) as { secret_hash: string }[]).map((r) => r.secret_hash);
    for (const output of [JSON.stringify(keys), text]) {
      for (const token of tokens) expect(output).not.toContain(parseApiKey(token)!.secret);
      for (const hash of hashes) expect(output).not.toContain(hash);
    }
  });

  it('suspend stops every key of the agency authenticating; activate brings them back', async () => {
    const key = await issue('moci', '--label', 'suspension test');
    expect((await ok(['agencies', 'suspend', 'moci'])).stdout).toContain('✓ agency moci suspended');
    expect(await authenticate(key.token)).toBeUndefined();
    expect((await okJson(['agencies', 'activate', 'moci'])).status).toBe('active');
    expect((await authenticate(key.token))?.agency).toBe('moci');
  });

  it('revoke stops a key for good and keeps it listed; revoking again changes nothing', async () => {
    const key = await issue('rop', '--label', 'to revoke');
    const spare = await issue('rop', '--label', 'spare');
    expect((await ok(['keys', 'revoke', key.keyId])).stdout).toBe(`✓ key ${key.keyId} of rop ("to revoke") revoked: services stop accepting it within 5 s\n`);
    expect(await authenticate(key.token)).toBeUndefined();
    expect((await authenticate(spare.token))?.agency).toBe('rop');
    const listed = (await okJson(['keys', 'list', 'rop'])).keys.find((k: { id: string }) => k.id === key.keyId);
    expect(listed.revokedAt).toEqual(expect.any(String));
    const again = await okJson(['keys', 'revoke', key.keyId]);
    expect(again).toMatchObject({ id: key.keyId, alreadyRevoked: true, revokedAt: listed.revokedAt });
  });

  it('refuses unknown agencies and keys (exit 1) and malformed ones (exit 2)', async () => {
    await refused(['keys', 'issue', 'nobody'], 1, "rabt: agency 'nobody' does not exist");
    await refused(['keys', 'list', 'nobody'], 1, "rabt: agency 'nobody' does not exist");
    await refused(['agencies', 'suspend', 'nobody'], 1, "rabt: agency 'nobody' does not exist");
    await refused(['keys', 'issue', 'NoBody'], 2, "'NoBody' is not an agency code");
    await refused(['keys', 'issue', 'mom', '--role', 'root'], 2, "argument 'root' is invalid");
    await refused(['keys', 'revoke', '3f2b8c1e-0a4d-4e7f-9b21-5c6d7e8f9a0b'], 1, 'rabt: no API key 3f2b8c1e-0a4d-4e7f-9b21-5c6d7e8f9a0b');
    await refused(['keys', 'revoke', 'not-a-key'], 2, "'not-a-key' is not a key id");
  });
});

describe('rabt grants', () => {
  it('add, list and remove a grant', async () => {
    expect((await ok(['grants', 'add', 'rop', REPORTED, 'subscribe', '--granted-by', 'mom'])).stdout).toBe(`✓ rop may now subscribe to ${REPORTED} (granted by mom)\n`);
    expect((await ok(['grants', 'add', 'rop', REPORTED, 'subscribe'])).stdout).toContain('nothing changed');
    expect(await okJson(['grants', 'add', 'moci', REPORTED, 'publish'])).toMatchObject({ created: true, grant: { agency: 'moci', permission: 'publish', grantedBy: 'ita' } });

    const all = (await okJson(['grants', 'list'])).grants.map((g: { agency: string; permission: string }) => `${g.agency} ${g.permission}`);
    expect(all).toEqual(['moci publish', 'rop subscribe']);
    expect((await okJson(['grants', 'list', '--agency', 'rop'])).grants).toEqual([{ agency: 'rop', eventType: REPORTED, permission: 'subscribe', grantedBy: 'mom', createdAt: expect.any(String) }]);
    expect((await okJson(['grants', 'list', '--type', 'rop.residence.absconding-registered'])).grants).toEqual([]);
    expect((await ok(['grants', 'list', '--agency', 'rop'])).stdout).toMatch(new RegExp(`^rop +subscribe +${REPORTED.replaceAll('.', '\\.')} +mom `, 'm'));

    expect((await ok(['grants', 'remove', 'rop', REPORTED, 'subscribe'])).stdout).toContain(`✓ rop may no longer subscribe to ${REPORTED}`);
    expect((await okJson(['grants', 'list', '--agency', 'rop'])).grants).toEqual([]);
    await refused(['grants', 'remove', 'rop', REPORTED, 'subscribe'], 1, `'rop' holds no subscribe grant on ${REPORTED}`);
  });

  it('refuses unknown event types and agencies, bad permissions and pointless grants, changing nothing', async () => {
    const before = await dataSource.query(`SELECT agency_code, event_type, permission FROM agency_grant ORDER BY 1, 2, 3`);
    await refused(['grants', 'add', 'rop', 'mom.employee.teleported', 'subscribe'], 2, "rabt: 'mom.employee.teleported' is not an event type of the catalogue");
    await refused(['grants', 'list', '--type', 'mom.employee.teleported'], 2, 'is not an event type of the catalogue');
    await refused(['grants', 'add', 'nobody', REPORTED, 'subscribe'], 1, "rabt: agency 'nobody' does not exist");
    await refused(['grants', 'list', '--agency', 'nobody'], 1, "rabt: agency 'nobody' does not exist");
    await refused(['grants', 'add', 'rop', REPORTED, 'read'], 2, 'Allowed choices are publish, subscribe');
    await refused(['grants', 'add', 'mom', REPORTED, 'publish'], 2, `'mom' owns ${REPORTED} and publishes it without a grant`);
    await refused(['grants', 'add', 'rop', REPORTED, 'subscribe', '--granted-by', 'The Owner'], 2, "'The Owner' is not an agency code");
    expect(await dataSource.query(`SELECT agency_code, event_type, permission FROM agency_grant ORDER BY 1, 2, 3`)).toEqual(before);
  });
});

describe('the database', () => {
  it('unreachable → exit 3; a bad DATABASE_URL → exit 2; not migrated → exit 2 saying to migrate', async () => {
    const down = await rabt(['agencies', 'list'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/rabt' });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('rabt: database postgres://postgres@127.0.0.1:1/rabt is unreachable');
    const bad = await rabt(['agencies', 'list'], { DATABASE_URL: 'mysql://somewhere' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('DATABASE_URL: must be a postgres:// URL naming a database');
    const empty = await createThrowawayDatabase('rabt_agencies_cli_empty');
    try {
      const run = await rabt(['keys', 'list', 'mom'], { DATABASE_URL: empty.url });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('rabt: the database has no agency tables yet: run `npm run db:migrate` first\n');
    } finally {
      await empty.drop();
    }
  });
});
