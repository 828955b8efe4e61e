// A suspended agency reads nothing through the ops API (nor the console, which uses it): its
// agency accounts' sessions stop working at once and come back when it is activated again.
// Rabt operators (no agency) and other agencies' accounts are not affected. Real Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { AgencyEntity, createDataSource, migrateDatabase, seedAgencies } from '@rabt/persistence';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import { createAccount, OpsCaller, seedDeadLetter, startOps, type RunningOps } from './ops.harness';

let database: ThrowawayDatabase;
let db: DataSource;
let ops: RunningOps;
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
  await seedDeadLetter(db, { subscriber: 'rop' });
}, 120_000);

afterAll(async () => {
  await ops?.close();
  await db?.destroy();
  await database?.drop();
});

const status = (code: string, value: 'active' | 'suspended') => db.getRepository(AgencyEntity).update({ code }, { status: value });

describe("a suspended agency's accounts", () => {
  it('get 401 UNAUTHENTICATED on every read while it is suspended, and work again once it is active', async () => {
    expect((await callers['rop-integrator']!.call('GET', '/v1/dead-letters')).status).toBe(200);
    await status('rop', 'suspended');
    try {
      for (const path of ['/v1/dead-letters', '/v1/session', '/v1/transactions']) {
        const res = await callers['rop-integrator']!.call('GET', path);
        expect(res.status, path).toBe(401);
        expect(res.body['code']).toBe('UNAUTHENTICATED');
      }
      // Others are not affected.
      expect((await callers['mom-integrator']!.call('GET', '/v1/dead-letters')).status).toBe(200);
      expect((await callers['oper']!.call('GET', '/v1/dead-letters')).status).toBe(200);
    } finally {
      await status('rop', 'active');
    }
    expect((await callers['rop-integrator']!.call('GET', '/v1/dead-letters')).status).toBe(200);
  });
});
