import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT, eventually, testStack, withServicePrincipal } from '@rabt/testing';

// Services are started the way production starts them: `node dist/apps/<app>/main.js`
// (the int-test target builds them first).
const children: ChildProcess[] = [];

function start(app: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [join(WORKSPACE_ROOT, 'dist/apps', app, 'main.js')], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', RABT_DEV_MODE: 'true', ...withServicePrincipal(app, { KAFKA_BROKERS: testStack.kafkaBrokers, DATABASE_URL: testStack.databaseUrl, LOG_LEVEL: 'warn', ...env }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  children.push(child);
  return { child, output: () => output };
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

describe.each([
  ['gateway', 'GATEWAY_PORT', 18380],
  ['schema-registry', 'SCHEMA_REGISTRY_PORT', 18381],
])('%s from its build output', (app, portVariable, port) => {
  it('starts, answers /health/ready, and shuts down cleanly on SIGTERM', async () => {
    const { child, output } = start(app, { [portVariable]: String(port) });
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null))?.status === 200, 30_000);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, output()).toBe(0);
  });

  it('refuses to start on bad configuration, listing each problem (exit 78)', async () => {
    const { child, output } = start(app, { [portVariable]: 'eighty', LOG_LEVEL: 'loud' });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(78);
    expect(output()).toContain(`Invalid configuration for ${app}:`);
    expect(output()).toContain(`${portVariable}: must be a port number (got "eighty")`);
    expect(output()).toContain('LOG_LEVEL: must be one of');
  });
});
