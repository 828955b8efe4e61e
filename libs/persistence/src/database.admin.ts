import { Client } from 'pg';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from '@rabt/config';
import { createDataSource, type DatabaseConnection } from './data-source.factory';
import { runMigrationsLocked } from './migration.runner';
import { DATABASE_ROLES, OWNER_ROLE } from './roles/database-roles';

const DB_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** Arbitrary but fixed: the advisory lock provisionDatabaseRoles holds (released when its connection ends). */
const PROVISION_LOCK_KEY = 727_384_002;

/** Creates the database named in `url` if it does not exist. Returns whether it created it. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!DB_NAME.test(name)) throw new Error(`database name ${JSON.stringify(name)} is not a plain identifier`);
  target.pathname = '/postgres';
  const client = new Client({ connectionString: target.toString(), connectionTimeoutMillis: 5000, statement_timeout: DEFAULT_STATEMENT_TIMEOUT_MS });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (e) {
      if ((e as { code?: string }).code === '42P04') return false; // created meanwhile by another process
      throw e;
    }
    return true;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!DB_NAME.test(name)) throw new Error(`database name ${JSON.stringify(name)} is not a plain identifier`);
  target.pathname = '/postgres';
  const client = new Client({ connectionString: target.toString(), connectionTimeoutMillis: 5000, statement_timeout: DEFAULT_STATEMENT_TIMEOUT_MS });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Creates the roles of DATABASE_ROLES the server lacks (LOGIN, no password: a server that trusts
 * local connections lets them in, one that asks for passwords does not until an administrator
 * sets one), makes the owner role own the database of `url` and every table, sequence and
 * function in its public schema (objects an earlier superuser migration created; an extension's
 * objects stay with the extension). Needs a
 * superuser: the local stack's and the tests' servers. Safe to run again and concurrently.
 */
export async function provisionDatabaseRoles(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000, statement_timeout: DEFAULT_STATEMENT_TIMEOUT_MS });
  await client.connect();
  try {
    for (const role of DATABASE_ROLES) {
      if ((await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount) continue;
      try {
        await client.query(`CREATE ROLE "${role}" LOGIN`);
      } catch (e) {
        // Created meanwhile by another process (42710, 23505, or a concurrent catalogue update).
        if (!(await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount) throw e;
      }
    }
    // One provisioner per database at a time: two racing ALTERs of one catalogue row fail.
    await client.query('SELECT pg_advisory_lock($1)', [PROVISION_LOCK_KEY]);
    await client.query(`DO $$
      DECLARE r record;
      BEGIN
        IF (SELECT datdba FROM pg_database WHERE datname = current_database()) <> '${OWNER_ROLE}'::regrole THEN
          EXECUTE format('ALTER DATABASE %I OWNER TO ${OWNER_ROLE}', current_database());
        END IF;
        FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v') AND c.relowner <> '${OWNER_ROLE}'::regrole
                    AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
        LOOP
          EXECUTE format('ALTER %s %I OWNER TO ${OWNER_ROLE}', CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, r.relname);
        END LOOP;
        FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE n.nspname = 'public' AND p.proowner <> '${OWNER_ROLE}'::regrole
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
        LOOP
          EXECUTE format('ALTER FUNCTION %s OWNER TO ${OWNER_ROLE}', r.f);
        END LOOP;
      END $$`);
  } finally {
    await client.end();
  }
}

/** Whether the user of `url` is a superuser (a local or test server, never a managed one). */
async function isSuperuser(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000, statement_timeout: DEFAULT_STATEMENT_TIMEOUT_MS });
  await client.connect();
  try {
    const { rows } = await client.query<{ super: boolean }>(`SELECT rolsuper AS super FROM pg_roles WHERE rolname = current_user`);
    return rows[0]?.super === true;
  } finally {
    await client.end();
  }
}

/**
 * Applies every pending migration under the advisory lock, as the owner role; returns the names
 * applied. Connected as a superuser (the local and test servers), it first provisions the roles
 * (provisionDatabaseRoles) and then runs as the owner role (`SET ROLE` on every connection), so
 * every object a migration creates belongs to the owner whoever logged in. Connected as anyone
 * else (production: DATABASE_URL names the owner role itself), it runs as that login. Without
 * a statement timeout: a migrator waits for another's lock, and a migration may rebuild a large
 * table; both are run on purpose, by command.
 */
export async function migrateDatabase(config: DatabaseConnection, applicationName: string): Promise<string[]> {
  const superuser = await isSuperuser(config.url);
  if (superuser) await provisionDatabaseRoles(config.url);
  const role = superuser ? OWNER_ROLE : undefined;
  const dataSource = createDataSource({ ...config, statementTimeoutMs: 0, ...(role ? { role } : {}) }, `rabt-${applicationName}`);
  await dataSource.initialize();
  try {
    return await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
