// Each service's database role on the real Postgres: refused what its code does not need, allowed
// what it does; migrations run as the owner role; a server without the roles stops the grant
// migration with a message naming them.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThrowawayDatabase, ephemeralPostgres, type EphemeralPostgres, type ThrowawayDatabase } from '@rabt/testing';
import { databaseUrlAs, DATABASE_ROLES, migrateDatabase, OWNER_ROLE, SERVICE_ROLES, type ServiceName } from '../src';
import { MIGRATIONS } from '../src/migrations';
import { ServiceRoleGrants1765800000001 } from '../src/migrations/1765800000001-service-role-grants';

let db: ThrowawayDatabase;
const clients: Client[] = [];
let admin: Client;
const subscriptionId = randomUUID();
const removedSubscriptionId = randomUUID();

async function as(service: ServiceName): Promise<Client> {
  const client = new Client({ connectionString: databaseUrlAs(db.url, SERVICE_ROLES[service]) });
  await client.connect();
  clients.push(client);
  return client;
}

/** Postgres's insufficient_privilege (42501), whatever the wording. */
async function refused(client: Client, sql: string, params: unknown[] = []): Promise<void> {
  await expect(client.query(sql, params)).rejects.toMatchObject({ code: '42501' });
}

const delivery = (id: string, subscription: string) =>
  admin.query(
    `INSERT INTO delivery (id, subscription_id, agency_code, event_source, event_id, event_type, payload, inbox_topic, inbox_partition, inbox_offset)
     VALUES ($1, $2, 'mom', 'rop', $3, 'rop.test', '{}', 'rabt.inbox.mom', 0, 0)`,
    [id, subscription, id],
  );

beforeAll(async () => {
  db = await createThrowawayDatabase('rabt_roles_test');
  await migrateDatabase({ url: db.url, poolMax: 2, ssl: false }, 'roles-test');
  admin = new Client({ connectionString: db.url });
  await admin.connect();
  clients.push(admin);
  await admin.query(`INSERT INTO agency (code, name_en, name_ar) VALUES ('mom', 'Ministry of Manpower', 'وزارة العمل')`);
  await admin.query(`INSERT INTO subscription (id, agency_code, event_type, inbox) VALUES ($1, 'mom', 'rop.test', true)`, [subscriptionId]);
  await delivery('d-live', subscriptionId);
  await delivery('d-removed', removedSubscriptionId);
  await admin.query(`INSERT INTO audit_record (actor, action, subject) VALUES ('test', 'test.done', 'x')`);
  await admin.query(`INSERT INTO operator (username, display_name, role, password_hash) VALUES ('admin', 'Admin', 'admin', 'x')`);
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => undefined);
  await db?.drop();
});

describe('database roles', () => {
  it('migrations run as the owner role: it owns the database and every table, sequence and function (but an extension\'s)', async () => {
    const { rows } = await admin.query(`
      SELECT c.relname AS name, pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S')
      UNION ALL SELECT p.proname, pg_get_userbyid(p.proowner) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
      UNION ALL SELECT datname, pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()`);
    expect(rows.length).toBeGreaterThan(25);
    expect(rows.filter((r: { owner: string }) => r.owner !== OWNER_ROLE)).toEqual([]);
  });

  it('every table but the migrations table grants something to some service (a migration adding a table calls grantTable)', async () => {
    const { rows } = await admin.query(
      `SELECT c.relname AS name FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname <> 'rabt_migrations'
          AND NOT EXISTS (SELECT 1 FROM unnest($1::text[]) r WHERE has_table_privilege(r, c.oid, 'SELECT, INSERT, UPDATE, DELETE') OR has_any_column_privilege(r, c.oid, 'SELECT, INSERT, UPDATE'))`,
      [Object.values(SERVICE_ROLES)],
    );
    expect(rows).toEqual([]);
  });

  it('no service role is a superuser, may create roles or databases, or owns anything', async () => {
    const { rows } = await admin.query(`SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = ANY($1::text[])`, [Object.values(SERVICE_ROLES)]);
    expect(rows).toHaveLength(Object.values(SERVICE_ROLES).length);
    for (const r of rows) expect(r).toMatchObject({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false });
    for (const service of Object.keys(SERVICE_ROLES) as ServiceName[]) {
      const c = await as(service);
      await refused(c, `CREATE TABLE rabt_intruder (id int)`);
      await expect(c.query(`ALTER TABLE agency ADD COLUMN intruder int`)).rejects.toMatchObject({ code: '42501' });
      await expect(c.query(`DROP TABLE audit_record`)).rejects.toMatchObject({ code: '42501' });
    }
  });

  it('nobody may delete or truncate audit records, and no role but the sealers may update them', async () => {
    for (const service of Object.keys(SERVICE_ROLES) as ServiceName[]) {
      const c = await as(service);
      await refused(c, `DELETE FROM audit_record`);
      await refused(c, `TRUNCATE audit_record`);
      await refused(c, `UPDATE audit_record SET details = '{"forged": true}'`);
    }
    for (const service of ['gateway', 'schema-registry', 'router', 'dispatcher', 'workflow'] as const) {
      await refused(await as(service), `UPDATE audit_record SET seq = 1, prev_hash = repeat('0', 64), hash = repeat('1', 64) WHERE seq IS NULL`);
    }
  });

  it('the sealers (ops, and the CLI for `rabt audit anchor`) may set the seal columns of an unsealed record', async () => {
    const ops = await as('ops');
    const sealed = await ops.query(`UPDATE audit_record SET seq = 1, prev_hash = repeat('0', 64), hash = repeat('1', 64) WHERE seq IS NULL`);
    expect(sealed.rowCount).toBe(1);
    // The trigger still guards the seal: a sealed record never changes again.
    await expect((await as('cli')).query(`UPDATE audit_record SET hash = repeat('2', 64) WHERE seq = 1`)).rejects.toThrow(/append-only/);
  });

  it('gateway: appends audit records and reads deliveries, but may not update or delete a delivery or read operators', async () => {
    const gw = await as('gateway');
    await gw.query(`INSERT INTO audit_record (actor, action, subject) VALUES ('agency:mom', 'test.gateway', 'x')`);
    expect((await gw.query(`SELECT id FROM delivery ORDER BY id`)).rows).toHaveLength(2);
    await refused(gw, `UPDATE delivery SET state = 'delivered'`);
    await refused(gw, `DELETE FROM delivery`);
    await refused(gw, `SELECT * FROM operator`);
    await refused(gw, `SELECT * FROM audit_record`);
    await refused(gw, `UPDATE agency SET code = 'evil' WHERE code = 'mom'`);
    expect((await gw.query(`UPDATE agency SET status = 'active' WHERE code = 'mom'`)).rowCount).toBe(1);
  });

  it('gateway: ends the waiting deliveries of a removed subscription through the function, never those of a live one', async () => {
    const gw = await as('gateway');
    expect((await gw.query(`SELECT "rabt_end_removed_subscription_deliveries"($1) AS n`, [subscriptionId])).rows[0].n).toBe(0);
    expect((await gw.query(`SELECT "rabt_end_removed_subscription_deliveries"($1) AS n`, [removedSubscriptionId])).rows[0].n).toBe(1);
    const { rows } = await admin.query(`SELECT id, state FROM delivery ORDER BY id`);
    expect(rows).toEqual([
      { id: 'd-live', state: 'pending' },
      { id: 'd-removed', state: 'gone' },
    ]);
    await refused(await as('dispatcher'), `SELECT "rabt_end_removed_subscription_deliveries"($1)`, [removedSubscriptionId]);
  });

  it('dispatcher: writes deliveries, but may not touch operators, nor change a subscription beyond disabling it', async () => {
    const d = await as('dispatcher');
    expect((await d.query(`UPDATE delivery SET attempts = attempts WHERE id = 'd-live'`)).rowCount).toBe(1);
    await refused(d, `SELECT * FROM operator`);
    await refused(d, `UPDATE operator SET role = 'admin'`);
    await refused(d, `SELECT * FROM operator_session`);
    await refused(d, `UPDATE subscription SET webhook_url = 'https://evil.example/' WHERE id = $1`, [subscriptionId]);
    expect((await d.query(`UPDATE subscription SET state = 'active', disabled_reason = NULL WHERE id = $1`, [subscriptionId])).rowCount).toBe(1);
    await refused(d, `SELECT * FROM agency_api_key`);
  });

  it('router: reads subscriptions and agencies, but writes nothing and reads no secret-bearing table', async () => {
    const r = await as('router');
    expect((await r.query(`SELECT id FROM subscription`)).rows).toHaveLength(1);
    await refused(r, `INSERT INTO delivery (id, subscription_id, agency_code, event_source, event_id, event_type, payload, inbox_topic, inbox_partition, inbox_offset) VALUES ('x', $1, 'mom', 'rop', 'x', 't', '{}', 'i', 0, 0)`, [subscriptionId]);
    await refused(r, `UPDATE subscription SET state = 'disabled'`);
    await refused(r, `SELECT * FROM agency_api_key`);
    await refused(r, `INSERT INTO audit_record (actor, action, subject) VALUES ('router', 'forged', 'x')`);
  });

  it('schema-registry: writes its own tables only', async () => {
    const sr = await as('schema-registry');
    expect((await sr.query(`SELECT nextval('sr_schema_id_seq') AS id`)).rows).toHaveLength(1);
    await refused(sr, `INSERT INTO agency (code, name_en, name_ar) VALUES ('evil', 'x', 'x')`);
    await refused(sr, `INSERT INTO agency_api_key (id, agency_code, label, secret_hash) VALUES ($1, 'mom', 'x', repeat('0', 64))`, [randomUUID()]);
    await refused(sr, `UPDATE subscription SET state = 'disabled'`);
    await refused(sr, `SELECT * FROM delivery`);
  });

  it('workflow: writes its own tables only, reads no subscription, delivery or operator', async () => {
    const w = await as('workflow');
    expect((await w.query(`SELECT count(*)::int AS n FROM workflow_transaction`)).rows[0].n).toBe(0);
    await refused(w, `SELECT * FROM subscription`);
    await refused(w, `SELECT * FROM delivery`);
    await refused(w, `SELECT * FROM operator`);
    await refused(w, `INSERT INTO gateway_event (source, event_id, content_hash, state, type, topic, schema_id, attributes, data) VALUES ('mom', 'x', repeat('0', 64), 'accepted', 't', 't', 1, '{}', '{}')`);
  });

  it('ops: manages operators and replays, but may not issue API keys, change agencies or subscriptions, or publish events', async () => {
    const o = await as('ops');
    expect((await o.query(`SELECT username FROM operator`)).rows).toEqual([{ username: 'admin' }]);
    await refused(o, `INSERT INTO agency_api_key (id, agency_code, label, secret_hash) VALUES ($1, 'mom', 'x', repeat('0', 64))`, [randomUUID()]);
    await refused(o, `SELECT * FROM agency_api_key`);
    await refused(o, `UPDATE agency SET status = 'suspended'`);
    await refused(o, `UPDATE subscription SET webhook_url = 'https://evil.example/'`);
    await refused(o, `INSERT INTO gateway_event (source, event_id, content_hash, state, type, topic, schema_id, attributes, data) VALUES ('mom', 'x', repeat('0', 64), 'accepted', 't', 't', 1, '{}', '{}')`);
    await refused(o, `DELETE FROM delivery`);
  });

  it('cli: administers agencies, operators and subscriptions, but may not touch deliveries or the registry', async () => {
    const c = await as('cli');
    expect((await c.query(`SELECT code FROM agency`)).rows).toEqual([{ code: 'mom' }]);
    await refused(c, `UPDATE delivery SET state = 'delivered'`);
    await refused(c, `SELECT * FROM delivery`);
    await refused(c, `INSERT INTO sr_schema (id, fingerprint, schema_text) VALUES (9, repeat('0', 64), '{}')`);
    await refused(c, `SELECT * FROM gateway_event`);
  });

  it('the grant migration runs again and leaves the same grants', async () => {
    const before = (await admin.query(`SELECT relname, relacl::text FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY relname`)).rows;
    await admin.query(`DELETE FROM rabt_migrations WHERE name = 'ServiceRoleGrants1765800000001'`);
    expect(await migrateDatabase({ url: db.url, poolMax: 2, ssl: false }, 'roles-test')).toEqual(['ServiceRoleGrants1765800000001']);
    expect((await admin.query(`SELECT relname, relacl::text FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY relname`)).rows).toEqual(before);
  });
});

describe('a server without the roles', () => {
  let pg: EphemeralPostgres;

  beforeAll(async () => {
    pg = ephemeralPostgres(20896);
    await pg.start();
  });

  afterAll(async () => {
    await pg?.destroy();
  });

  it('the grant migration stops, naming every missing role, when the migrator may not create them', async () => {
    const su = new Client({ connectionString: pg.url });
    await su.connect();
    try {
      await su.query(`CREATE ROLE migrator LOGIN`);
      await su.query(`CREATE DATABASE rabt OWNER migrator`);
    } finally {
      await su.end();
    }
    const url = new URL(pg.url);
    url.username = 'migrator';
    url.pathname = '/rabt';
    const migrating = migrateDatabase({ url: url.toString(), poolMax: 2, ssl: false }, 'no-roles');
    await expect(migrating).rejects.toThrow(`the database roles ${DATABASE_ROLES.join(', ')} do not exist`);
    // Every migration before it stays applied; the grant migration is the one left to run.
    const check = new Client({ connectionString: url.toString() });
    await check.connect();
    try {
      const { rows } = await check.query(`SELECT name FROM rabt_migrations ORDER BY id DESC LIMIT 1`);
      const before = MIGRATIONS[MIGRATIONS.indexOf(ServiceRoleGrants1765800000001) - 1]!;
      expect(rows).toEqual([{ name: before.name }]);
    } finally {
      await check.end();
    }
  });
});
