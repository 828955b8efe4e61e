// An integrator's day with the `rabt` CLI against a real schema registry: register every schema,
// check them against what is registered, and see a breaking change refused. Both the CLI and the
// registry run from their build output (the int-test target builds them first).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import { createDataSource, migrateDatabase, seedAgencies } from '@rabt/persistence';
import { createThrowawayDatabase, eventually, WORKSPACE_ROOT, type ThrowawayDatabase } from '@rabt/testing';

const REGISTRY_PORT = 18481;
const REGISTRY_URL = `http://127.0.0.1:${REGISTRY_PORT}`;
const catalogue = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'schemas', 'catalogue.json'), 'utf8')) as { types: { type: string; schema: string }[] };
const SUBJECTS = catalogue.types.map((t) => `${t.type}-value`);

let db: ThrowawayDatabase;
let registry: ChildProcess;
let registryOutput = '';
let apiKey = '';
const tempDirs: string[] = [];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI from the workspace root, as an integrator with an `ita` integrator key. */
async function rabt(args: string[], env: Record<string, string> = { RABT_AGENCY: 'ita', RABT_API_KEY: apiKey }): Promise<Run> {
  const child = spawn(process.execPath, [join(WORKSPACE_ROOT, 'dist/apps/cli/main.js'), ...args], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', RABT_REGISTRY_URL: REGISTRY_URL, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** A copy of schemas/ where mom.work-permit.suspended gains a required field without a default. */
function schemasWithBreakingChange(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rabt-e2e-schemas-'));
  tempDirs.push(dir);
  cpSync(join(WORKSPACE_ROOT, 'schemas'), dir, { recursive: true });
  const file = join(dir, 'mom', 'mom.work-permit.suspended.avsc');
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { fields: unknown[] };
  schema.fields.push({ name: 'suspensionOrderNumber', type: 'string', doc: 'Number of the suspension order | رقم أمر الإيقاف' });
  writeFileSync(file, JSON.stringify(schema, null, 2));
  return dir;
}

async function registered(path: string): Promise<unknown> {
  const res = await fetch(`${REGISTRY_URL}${path}`, { headers: { Authorization: `Basic ${Buffer.from(`ita:${apiKey}`).toString('base64')}` } });
  expect(res.status, path).toBe(200);
  return res.json();
}

beforeAll(async () => {
  db = await createThrowawayDatabase('rabt_cli_e2e');
  const database = { url: db.url, poolMax: 2, ssl: false };
  await migrateDatabase(database, 'cli-e2e');
  const dataSource = createDataSource(database, 'rabt-cli-e2e');
  await dataSource.initialize();
  try {
    await seedAgencies(dataSource);
    apiKey = (await issueAgencyKey(dataSource.manager, DEVELOPMENT_PEPPER, 'ita', 'cli test', ['integrator'])).token;
  } finally {
    await dataSource.destroy();
  }
  // No RABT_API_KEY_PEPPER: the registry uses the development pepper the key was issued with.
  registry = spawn(process.execPath, [join(WORKSPACE_ROOT, 'dist/apps/schema-registry/main.js')], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', RABT_DEV_MODE: 'true', DATABASE_URL: db.url, SCHEMA_REGISTRY_PORT: String(REGISTRY_PORT), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  registry.stdout!.on('data', (d: Buffer) => (registryOutput += d.toString()));
  registry.stderr!.on('data', (d: Buffer) => (registryOutput += d.toString()));
  await eventually(async () => {
    if (registry.exitCode !== null) throw new Error(`schema registry exited with ${registry.exitCode}: ${registryOutput}`);
    return (await fetch(`${REGISTRY_URL}/health/live`).catch(() => null))?.status === 200;
  }, 30_000);
});

afterAll(async () => {
  if (registry?.exitCode === null) {
    registry.kill('SIGTERM');
    await once(registry, 'exit');
  }
  await db?.drop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('rabt schemas against a running schema registry', () => {
  it('push registers every schema under <topic>-value and prints its id and version', async () => {
    const run = await rabt(['schemas', 'push']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const subject of SUBJECTS) expect(run.stdout).toMatch(new RegExp(`^✓ ${subject.replaceAll('.', '\\.')} +id \\d+ {2}version 1$`, 'm'));
    expect(run.stdout).toContain(`✓ ${SUBJECTS.length} of ${SUBJECTS.length} subjects registered at ${REGISTRY_URL}`);
    expect(((await registered('/subjects')) as string[]).sort()).toEqual([...SUBJECTS].sort());
    const latest = (await registered('/subjects/mom.employee.left-work-reported-value/versions/latest')) as { id: number; version: number };
    expect(run.stdout).toMatch(new RegExp(`mom\\.employee\\.left-work-reported-value +id ${latest.id} {2}version 1`));
  });

  it('push again is idempotent: same ids, still version 1', async () => {
    const run = await rabt(['schemas', 'push', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { subjects: { subject: string; ok: boolean; version: number }[] };
    expect(result.subjects.map((s) => [s.subject, s.ok, s.version])).toEqual(SUBJECTS.map((s) => [s, true, 1]));
  });

  it('check --registry passes the schemas as they are (credentials by flag)', async () => {
    const run = await rabt(['schemas', 'check', '--registry', '--agency', 'ita', '--api-key', apiKey], {});
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout.match(/^✓ .*compatible with the latest version of .*-value at the registry$/gm)).toHaveLength(SUBJECTS.length);
    expect(run.stdout).toContain(`✓ ${SUBJECTS.length} types: ${SUBJECTS.length} passed, 0 failed`);
  });

  it('check --registry fails a breaking change with the registry\'s reason (exit 1), and push refuses it with 409', async () => {
    const dir = schemasWithBreakingChange();
    const check = await rabt(['schemas', 'check', '--registry', REGISTRY_URL, '--schemas-dir', dir, '--json']);
    expect(check.code, check.stdout + check.stderr).toBe(1);
    const report = JSON.parse(check.stdout) as { types: { type: string; ok: boolean; problems: string[] }[] };
    const suspended = report.types.find((t) => t.type === 'mom.work-permit.suspended')!;
    expect(suspended.ok).toBe(false);
    expect(suspended.problems).toContain('incompatible with the latest version of mom.work-permit.suspended-value at the registry:');
    expect(suspended.problems.join('\n')).toContain("errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'");
    expect(report.types.filter((t) => !t.ok)).toHaveLength(1);

    const push = await rabt(['schemas', 'push', '--schemas-dir', dir]);
    expect(push.code).toBe(1);
    expect(push.stdout).toContain('✗ mom.work-permit.suspended-value\n    the registry refused it (HTTP 409):');
    expect(push.stdout).toContain("additionalInfo:'suspensionOrderNumber'");
    expect(((await registered('/subjects/mom.work-permit.suspended-value/versions')) as number[])).toEqual([1]);
  });

  it('says so when the registry is unreachable (exit 3) or refuses the credentials (exit 2)', async () => {
    const down = await rabt(['schemas', 'check', '--registry', 'http://127.0.0.1:18499']);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('schema registry http://127.0.0.1:18499 is unreachable');
    const wrongKey = await rabt(['schemas', 'check', '--registry'], { RABT_AGENCY: 'mom', RABT_API_KEY: apiKey });
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toContain("rejected the credentials of agency 'mom'");
    expect(wrongKey.stderr).not.toContain('    at ');
  });
});

describe('rabt schemas check --git-base', () => {
  it('passes on the clean tree against HEAD', async () => {
    const run = await rabt(['schemas', 'check', '--git-base', 'HEAD'], {});
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout.match(/BACKWARD-compatible with HEAD/g)).toHaveLength(SUBJECTS.length);
  });

  it('treats every type as new when the base does not exist', async () => {
    const run = await rabt(['schemas', 'check', '--git-base', 'no-such-ref-for-rabt'], {});
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("git base 'no-such-ref-for-rabt' does not exist");
  });
});
