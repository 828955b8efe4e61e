import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { DEVELOPMENT_PEPPER, issueKey, revokeKey } from '@rabt/auth';
import { createDataSource, migrateDatabase, seedAgencies } from '@rabt/persistence';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import { createAccount, OpsCaller, startOps, type RunningOps } from './ops.harness';

// GET /v1/api-keys/expiring on a real Postgres over real HTTP: what the console warns of. A
// Rabt-wide account sees every agency's keys about to expire; an agency account, its own only;
// never a secret or a hash; expired, revoked and distant keys are not listed.
let database: ThrowawayDatabase;
let db: DataSource;
let ops: RunningOps;
const keys: Record<string, { keyId: string; token: string }> = {};

const issue = async (name: string, agency: string, expires?: string) => {
  const key = await issueKey(db.manager, DEVELOPMENT_PEPPER, agency, { label: name, ...(expires ? { expires } : {}) }, 'cli:test');
  keys[name] = { keyId: key.keyId, token: key.token };
};

beforeAll(async () => {
  database = await createThrowawayDatabase('rabt_ops_expiring_keys');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'ops-expiring-keys-test');
  db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'ops-expiring-keys-test');
  await db.initialize();
  await seedAgencies(db);
  await createAccount(db, 'viewer', 'viewer');
  await createAccount(db, 'mom-viewer', 'viewer', 'mom');
  await createAccount(db, 'rop-admin', 'admin', 'rop');
  await issue('mom soon', 'mom', '3d');
  await issue('mom later', 'mom', '10d');
  await issue('mom far', 'mom', '60d');
  await issue('mom never', 'mom');
  await issue('mom revoked', 'mom', '2d');
  await revokeKey(db.manager, keys['mom revoked']!.keyId, 'cli:test');
  await issue('mom expired', 'mom', '1d');
  await db.query(`UPDATE agency_api_key SET expires_at = now() - interval '1 minute' WHERE id = $1`, [keys['mom expired']!.keyId]);
  await issue('rop soon', 'rop', '5d');
  ops = await startOps(database.url);
}, 120_000);

afterAll(async () => {
  await ops?.close();
  await db?.destroy();
  await database?.drop();
});

const labels = (body: Record<string, unknown>) => (body['items'] as { label: string }[]).map((k) => k.label);

describe('GET /v1/api-keys/expiring', () => {
  it('needs a session', async () => {
    const res = await new OpsCaller(ops.url).call('GET', '/v1/api-keys/expiring');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('a Rabt-wide viewer sees every live key expiring within RABT_API_KEY_EXPIRY_WARNING_DAYS, soonest first: agency, key id, label, date', async () => {
    const viewer = await OpsCaller.signIn(ops.url, 'viewer');
    const res = await viewer.call('GET', '/v1/api-keys/expiring');
    expect(res.status).toBe(200);
    expect(res.body['warningDays']).toBe(14);
    expect(labels(res.body)).toEqual(['mom soon', 'rop soon', 'mom later']);
    const first = (res.body['items'] as Record<string, unknown>[])[0]!;
    expect(Object.keys(first).sort()).toEqual(['agency', 'expiresAt', 'id', 'label']);
    expect(first).toMatchObject({ id: keys['mom soon']!.keyId, agency: 'mom', expiresAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    const hashes = ((await db.query(`SELECT secret_hash FROM agency_api_key`)) as { secret_hash: string }[]).map((r) => r.secret_hash);
    const text = JSON.stringify(res.body);
    for (const k of Object.values(keys)) expect(text).not.toContain(k.token.slice(-43));
    for (const h of hashes) expect(text).not.toContain(h);
  });

  it("an agency account sees its own agency's keys only, whatever its role", async () => {
    const momViewer = await OpsCaller.signIn(ops.url, 'mom-viewer');
    expect(labels((await momViewer.call('GET', '/v1/api-keys/expiring')).body)).toEqual(['mom soon', 'mom later']);
    const ropAdmin = await OpsCaller.signIn(ops.url, 'rop-admin');
    expect(labels((await ropAdmin.call('GET', '/v1/api-keys/expiring')).body)).toEqual(['rop soon']);
    // a query naming another agency changes nothing
    expect(labels((await ropAdmin.call('GET', '/v1/api-keys/expiring?agency=mom')).body)).toEqual(['rop soon']);
  });

  it('follows RABT_API_KEY_EXPIRY_WARNING_DAYS', async () => {
    const narrow = await startOps(database.url, { RABT_API_KEY_EXPIRY_WARNING_DAYS: '4' });
    try {
      const viewer = await OpsCaller.signIn(narrow.url, 'viewer');
      const res = await viewer.call('GET', '/v1/api-keys/expiring');
      expect(res.body['warningDays']).toBe(4);
      expect(labels(res.body)).toEqual(['mom soon']);
    } finally {
      await narrow.close();
    }
  });
});
