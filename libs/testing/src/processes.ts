import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually, kafkaEnv, testStack, WORKSPACE_ROOT } from './stack';

/** The services that talk to Kafka, each with a certificate of its own (`service-<app>`). */
const KAFKA_APPS = new Set(['gateway', 'router', 'dispatcher', 'workflow', 'ops']);

/**
 * A Kafka service's environment with its own principal: unless `env` names a client
 * certificate already (or asks for plaintext with KAFKA_SSL=false), the TLS variables of
 * `service-<app>` for the brokers of `env` (default: the shared test broker) are added.
 */
export function withServicePrincipal(app: string, env: Record<string, string>): Record<string, string> {
  if (!KAFKA_APPS.has(app) || env['KAFKA_SSL_CERT_FILE'] !== undefined || env['KAFKA_SSL'] === 'false') return env;
  return { ...kafkaEnv(app, env['KAFKA_BROKERS'] ?? testStack.kafkaBrokers), ...env };
}

/** A free TCP port on 127.0.0.1 (bind to 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for the exit; SIGKILL after 15 s. */
  stop(): Promise<void>;
  /** SIGKILL at once: a crash. */
  kill(): Promise<void>;
}

/**
 * Starts a built service (`dist/apps/<app>/main.js`) and waits until /health/ready answers 200,
 * on a free port unless `port` is given, in development mode unless `env` says otherwise, as its
 * own Kafka principal (withServicePrincipal). `nodeArgs` go to node before the script (e.g.
 * `--cpu-prof`, which NODE_OPTIONS refuses).
 */
export async function startBuiltService(
  app: string,
  env: Record<string, string>,
  portVariable: string,
  options: { readonly port?: number; readonly nodeArgs?: readonly string[] } = {},
): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(WORKSPACE_ROOT, 'dist/apps', app, 'main.js')], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', RABT_DEV_MODE: 'true', ...withServicePrincipal(app, env), [portVariable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const waitExit = () => new Promise<void>((resolve) => (exited() ? resolve() : child.once('exit', () => resolve())));
  try {
    await eventually(async () => {
      if (exited()) throw new Error(`${app} exited during start-up:\n${output}`);
      return (await fetch(`${url}/health/ready`).catch(() => null))?.status === 200;
    }, 60_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${app} did not become ready: ${(e as Error).message}\n${output.slice(-3000)}`);
  }
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (exited()) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      await waitExit();
      clearTimeout(timer);
    },
    kill: async () => {
      if (exited()) return;
      child.kill('SIGKILL');
      await waitExit();
    },
  };
}
