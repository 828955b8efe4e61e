/**
 * Schema registry throughput against a bare Fastify route answering a constant, in one run on
 * one machine, so the ratio means something even where absolute figures do not.
 *   npm run bench:schema-registry      (needs the local stack up and `nx build schema-registry`)
 * Prints figures; asserts nothing.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import { createDataSource, migrateDatabase, seedAgencies } from '@rabt/persistence';
import { createThrowawayDatabase, eventually, WORKSPACE_ROOT } from '@rabt/testing';

const DURATION = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const SCHEMA = JSON.stringify({
  type: 'record',
  name: 'BenchEvent',
  namespace: 'om.gov.rabt.mom',
  fields: [
    { name: 'workerCivilNumber', type: 'string' },
    { name: 'reason', type: { type: 'enum', name: 'Reason', symbols: ['A', 'B', 'C'], default: 'C' } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
});

function start(cmd: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(cmd, args, { cwd: WORKSPACE_ROOT, env: { ...process.env, RABT_DEV_MODE: 'true', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout!.resume();
  return child;
}

async function load(title: string, url: string, opts: Partial<autocannon.Options>) {
  await autocannon({ url, connections: CONNECTIONS, duration: 2, ...opts }); // warm-up
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, ...opts });
  if (r.non2xx || r.errors) throw new Error(`${title}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { title, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

async function main() {
  const db = await createThrowawayDatabase('rabt_bench');
  const children: ChildProcess[] = [];
  try {
    const database = { url: db.url, poolMax: 10, ssl: false };
    await migrateDatabase(database, 'bench');
    const ds: DataSource = createDataSource(database, 'bench');
    await ds.initialize();
    await seedAgencies(ds);
    const { token } = await issueAgencyKey(ds.manager, DEVELOPMENT_PEPPER, 'mom', 'bench');
    await ds.destroy();
    const auth = `Basic ${Buffer.from(`mom:${token}`).toString('base64')}`;

    children.push(start('node', [join(WORKSPACE_ROOT, 'dist/apps/schema-registry/main.js')], { DATABASE_URL: db.url, SCHEMA_REGISTRY_PORT: '18581', LOG_LEVEL: 'warn' }));
    children.push(start(join(WORKSPACE_ROOT, 'node_modules/.bin/tsx'), ['bench/schema-registry/baseline-server.ts', '18582', SCHEMA], {}));
    const registry = 'http://127.0.0.1:18581';
    const baseline = 'http://127.0.0.1:18582';
    await eventually(async () => (await fetch(`${registry}/health/ready`).catch(() => null))?.ok === true, 30_000);
    await eventually(async () => (await fetch(`${baseline}/schemas/ids/1`).catch(() => null))?.ok === true, 30_000);

    const headers = { authorization: auth, 'content-type': 'application/vnd.schemaregistry.v1+json' };
    const body = JSON.stringify({ schema: SCHEMA });
    const reg = await fetch(`${registry}/subjects/mom.bench-value/versions`, { method: 'POST', headers, body });
    const { id } = (await reg.json()) as { id: number };

    const rows = [];
    rows.push(await load('baseline GET /schemas/ids/{id}', `${baseline}/schemas/ids/${id}`, { headers }));
    rows.push(await load('registry GET /schemas/ids/{id}', `${registry}/schemas/ids/${id}`, { headers }));
    rows.push(await load('baseline POST register-existing', `${baseline}/subjects/mom.bench-value/versions`, { method: 'POST', headers, body }));
    rows.push(await load('registry POST register-existing', `${registry}/subjects/mom.bench-value/versions`, { method: 'POST', headers, body }));

    process.stdout.write(`\nschema-registry benchmark — ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${CONNECTIONS} connections, ${DURATION} s each\n\n`);
    process.stdout.write('| scenario | req/s | p50 ms | p99 ms |\n|---|---|---|---|\n');
    for (const r of rows) process.stdout.write(`| ${r.title} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} |\n`);
    process.stdout.write(`\nratio registry/baseline: by-id ${(rows[1]!.rps / rows[0]!.rps).toFixed(2)}, register-existing ${(rows[3]!.rps / rows[2]!.rps).toFixed(2)}\n`);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await db.drop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
