// Outside development mode a built service refuses the public development secrets, a
// passwordless database URL, an insecure session cookie, plaintext Kafka and a Kafka client
// without a certificate: exit 78, naming each variable. With real values it starts; in
// development mode it starts with the defaults and says so loudly.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_PEPPER, DEVELOPMENT_SECRET_KEY } from '@rabt/auth';
import { freePort, startBuiltService, testStack, WORKSPACE_ROOT, type ServiceProcess } from '@rabt/testing';

const children: ChildProcess[] = [];
const running: ServiceProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const s of running) await s.stop();
});

/** The test database's URL with a password: the local server trusts every local connection, so any password works. */
const withPassword = (url: string) => {
  const u = new URL(url);
  u.username = 'postgres';
  u.password = randomBytes(12).toString('hex');
  return u.toString();
};
/** The test database without a password, spelled unlike the built-in default (which has its own message). */
const passwordlessUrl = (() => {
  const u = new URL(testStack.databaseUrl);
  u.searchParams.set('application_name', 'fail-closed-test');
  return u.toString();
})();
const goodDatabaseUrl = withPassword(testStack.databaseUrl);
const goodPepper = randomBytes(24).toString('base64url');
const goodSecretKey = randomBytes(32).toString('base64');

/**
 * Starts a built service outside development mode and reports how it ended: the exit code and
 * its output, or 'ready' when /health/ready answered 200 (a service that should have refused).
 */
async function outcome(app: string, portVariable: string, env: Record<string, string>): Promise<{ code: number | null | 'ready'; output: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(WORKSPACE_ROOT, 'dist/apps', app, 'main.js')], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', KAFKA_BROKERS: testStack.kafkaBrokers, ...env, [portVariable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  // 'close', not 'exit': by then all of the output has been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const readyOrExited = async (): Promise<number | null | 'ready'> => {
    for (let i = 0; i < 300 && child.exitCode === null; i++) {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null))?.status === 200) return 'ready';
      await new Promise((r) => setTimeout(r, 200));
    }
    return exited;
  };
  const code = await Promise.race<number | null | 'ready'>([exited, readyOrExited()]);
  if (code === 'ready') child.kill('SIGKILL');
  return { code, output };
}

describe('outside development mode, a service refuses unsafe settings (exit 78, each named)', () => {
  it('schema-registry with nothing set: the default pepper and the default passwordless superuser URL', async () => {
    const { code, output } = await outcome('schema-registry', 'SCHEMA_REGISTRY_PORT', {});
    expect(code, output).toBe(78);
    expect(output).toContain('Invalid configuration for schema-registry:');
    expect(output).toMatch(/RABT_API_KEY_PEPPER: is not set, and the built-in development pepper is public/);
    expect(output).toMatch(/DATABASE_URL: is not set, and the default \(postgres:\/\/postgres@127\.0\.0\.1:5432\/rabt\) is the passwordless superuser/);
    expect(output).toContain('(allowed only in development mode, RABT_DEV_MODE=true)');
  });

  it('schema-registry given the public pepper and a URL without a password', async () => {
    const { code, output } = await outcome('schema-registry', 'SCHEMA_REGISTRY_PORT', { RABT_API_KEY_PEPPER: DEVELOPMENT_PEPPER, DATABASE_URL: passwordlessUrl });
    expect(code, output).toBe(78);
    expect(output).toMatch(/RABT_API_KEY_PEPPER: is the built-in development pepper, which is public/);
    expect(output).toMatch(/DATABASE_URL: has no password/);
    expect(output).not.toContain(goodPepper);
  });

  it('gateway: the public master key is named next to the other problems', async () => {
    const { code, output } = await outcome('gateway', 'GATEWAY_PORT', { RABT_SECRET_KEY: DEVELOPMENT_SECRET_KEY, RABT_API_KEY_PEPPER: goodPepper, DATABASE_URL: passwordlessUrl });
    expect(code, output).toBe(78);
    expect(output).toMatch(/RABT_SECRET_KEY: is the built-in development key, which is public/);
    expect(output).toMatch(/DATABASE_URL: has no password/);
    expect(output).not.toMatch(/RABT_API_KEY_PEPPER:/);
  });

  it('gateway with nothing set names the pepper, the master key and the database URL', async () => {
    const { code, output } = await outcome('gateway', 'GATEWAY_PORT', {});
    expect(code, output).toBe(78);
    for (const variable of ['RABT_API_KEY_PEPPER', 'RABT_SECRET_KEY', 'DATABASE_URL']) expect(output).toMatch(new RegExp(`^  - ${variable}: is not set`, 'm'));
  });

  it('ops with a session cookie that is not Secure', async () => {
    const { code, output } = await outcome('ops', 'OPS_PORT', { ...testStack.kafkaEnv('ops'), DATABASE_URL: goodDatabaseUrl, OPS_COOKIE_SECURE: 'false', OPS_CONSOLE_DIR: '/nonexistent' });
    expect(code, output).toBe(78);
    expect(output).toMatch(/OPS_COOKIE_SECURE: is false: the session cookie would be sent without Secure/);
    expect(output).not.toMatch(/DATABASE_URL:/);
  });

  it('schema-registry given DATABASE_SSL=false to a host that is not loopback: the link would be plaintext', async () => {
    const remote = new URL(goodDatabaseUrl);
    remote.hostname = 'db.internal';
    const { code, output } = await outcome('schema-registry', 'SCHEMA_REGISTRY_PORT', { RABT_API_KEY_PEPPER: goodPepper, DATABASE_URL: remote.toString(), DATABASE_SSL: 'false' });
    expect(code, output).toBe(78);
    expect(output).toMatch(/DATABASE_SSL: is false while DATABASE_URL connects to db\.internal, which is neither loopback nor a Unix socket/);
    expect(output).not.toMatch(/DATABASE_URL:/);
    expect(output).not.toContain(remote.password);
  });

  it('gateway with plaintext Kafka: KAFKA_SSL and the missing client certificate are named', async () => {
    const { code, output } = await outcome('gateway', 'GATEWAY_PORT', { RABT_SECRET_KEY: goodSecretKey, RABT_API_KEY_PEPPER: goodPepper, DATABASE_URL: goodDatabaseUrl, KAFKA_BROKERS: testStack.kafkaBrokers });
    expect(code, output).toBe(78);
    expect(output).toMatch(/KAFKA_SSL: is false: plaintext Kafka/);
    expect(output).toMatch(/KAFKA_SSL_CERT_FILE: and KAFKA_SSL_KEY_FILE are not both set .* the client would be unauthenticated/);
    expect(output).not.toMatch(/DATABASE_URL:|RABT_SECRET_KEY:/);
  });

  it('router over TLS but without a client certificate: refused as unauthenticated', async () => {
    const { KAFKA_SSL_CERT_FILE: _cert, KAFKA_SSL_KEY_FILE: _key, ...tlsOnly } = testStack.kafkaEnv('router');
    const { code, output } = await outcome('router', 'ROUTER_PORT', { ...tlsOnly, KAFKA_SSL: 'true', DATABASE_URL: goodDatabaseUrl });
    expect(code, output).toBe(78);
    expect(output).toMatch(/KAFKA_SSL_CERT_FILE: .*unauthenticated/);
    expect(output).not.toMatch(/KAFKA_SSL: is false/);
  });

  it('an unreadable Kafka key file is a configuration error naming the file, in any mode', async () => {
    const { code, output } = await outcome('router', 'ROUTER_PORT', { ...testStack.kafkaEnv('router'), RABT_DEV_MODE: 'true', KAFKA_SSL_KEY_FILE: '/nonexistent/router.key' });
    expect(code, output).toBe(78);
    expect(output).toMatch(/KAFKA_SSL_KEY_FILE: cannot be read \(ENOENT\) \(got "\/nonexistent\/router\.key"\)/);
  });

  it('a bad RABT_DEV_MODE is itself a configuration error', async () => {
    const { code, output } = await outcome('schema-registry', 'SCHEMA_REGISTRY_PORT', { RABT_DEV_MODE: 'maybe', RABT_API_KEY_PEPPER: goodPepper, DATABASE_URL: goodDatabaseUrl });
    expect(code, output).toBe(78);
    expect(output).toContain('RABT_DEV_MODE: must be true or false (got "maybe")');
  });
});

describe('with real secrets, or in development mode, the services start', () => {
  it('schema-registry and gateway start outside development mode with a password, a secret pepper and a secret key', async () => {
    const env = { RABT_DEV_MODE: 'false', DATABASE_URL: goodDatabaseUrl, RABT_API_KEY_PEPPER: goodPepper, RABT_SECRET_KEY: goodSecretKey };
    const registry = await startBuiltService('schema-registry', env, 'SCHEMA_REGISTRY_PORT');
    running.push(registry);
    const gateway = await startBuiltService('gateway', { ...env, ...testStack.kafkaEnv('gateway'), SCHEMA_REGISTRY_URL: registry.url }, 'GATEWAY_PORT');
    running.push(gateway);
    expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
    expect(registry.output() + gateway.output()).not.toContain('DEVELOPMENT MODE');
  });

  it('schema-registry starts outside development mode with plaintext over a Unix socket', async () => {
    const socket = new URL(goodDatabaseUrl);
    socket.hostname = '';
    socket.port = '';
    socket.searchParams.set('host', '/var/run/postgresql');
    const registry = await startBuiltService('schema-registry', { RABT_DEV_MODE: 'false', DATABASE_URL: socket.toString(), DATABASE_SSL: 'false', RABT_API_KEY_PEPPER: goodPepper }, 'SCHEMA_REGISTRY_PORT');
    running.push(registry);
    expect((await fetch(`${registry.url}/health/ready`)).status).toBe(200);
  });

  it('ops starts with its cookie Secure by default', async () => {
    const ops = await startBuiltService('ops', { RABT_DEV_MODE: 'false', ...testStack.kafkaEnv('ops'), DATABASE_URL: goodDatabaseUrl, OPS_CONSOLE_DIR: '/nonexistent' }, 'OPS_PORT');
    running.push(ops);
    expect((await fetch(`${ops.url}/health/ready`)).status).toBe(200);
  });

  it('in development mode a service starts with the public defaults and warns of each one', async () => {
    const registry = await startBuiltService('schema-registry', { RABT_DEV_MODE: 'true', DATABASE_URL: passwordlessUrl }, 'SCHEMA_REGISTRY_PORT');
    running.push(registry);
    await new Promise((r) => setTimeout(r, 300));
    expect(registry.output()).toContain('DEVELOPMENT MODE (RABT_DEV_MODE=true)');
    expect(registry.output()).toContain('RABT_API_KEY_PEPPER is not set, and the built-in development pepper is public');
    expect(registry.output()).toContain('DATABASE_URL has no password');
  });
});
