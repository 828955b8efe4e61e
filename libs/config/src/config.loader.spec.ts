import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseFragment, httpFragment, kafkaFragment, loggingFragment, schemaRegistryClientFragment } from './config.fragments';
import { ConfigValidationError, loadConfig } from './config.loader';

const fragments = () => ({
  http: httpFragment('DEMO_PORT', 8099),
  logging: loggingFragment('demo'),
  kafka: kafkaFragment('rabt-demo'),
  database: databaseFragment(),
});

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig('demo', fragments(), env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigValidationError);
    return [...(e as ConfigValidationError).problems];
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('gives working single-machine defaults when nothing is set (in development mode)', () => {
    const { values } = loadConfig('demo', fragments(), { RABT_DEV_MODE: 'true' });
    expect(values.http).toEqual({ host: '127.0.0.1', port: 8099, bodyLimitBytes: 1048576, metrics: { open: true }, docs: { enabled: true, open: true }, tls: {} });
    expect(values.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(values.kafka.clientId).toBe('rabt-demo');
    expect(values.database.url).toBe('postgres://postgres@127.0.0.1:5432/rabt');
    expect(values.database.statementTimeoutMs).toBe(30_000);
    expect(values.logging).toEqual({ service: 'demo', level: 'info', pretty: false });
  });

  it('maps HTTP_TLS_CERT, HTTP_TLS_KEY and HTTP_TLS_CLIENT_CA to the file paths (read when the service starts)', () => {
    const { values } = loadConfig('demo', fragments(), { HTTP_TLS_CERT: '/pki/s.crt', HTTP_TLS_KEY: '/pki/s.key', HTTP_TLS_CLIENT_CA: '/pki/ca.crt' });
    expect(values.http.tls).toEqual({ certFile: '/pki/s.crt', keyFile: '/pki/s.key', clientCaFile: '/pki/ca.crt' });
  });

  it('reads and converts the values that are set', () => {
    const { values } = loadConfig('demo', fragments(), {
      DEMO_PORT: '9000',
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'rabt',
      KAFKA_SASL_PASSWORD: 's3cret',
      LOG_LEVEL: 'debug',
    });
    expect(values.http.port).toBe(9000);
    expect(values.kafka.brokers).toEqual(['k1:9092', 'k2:9093']);
    expect(values.kafka.ssl).toBe(true);
    expect(values.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'rabt', password: 's3cret' });
    expect(values.logging.level).toBe('debug');
  });

  it('rejects every bad value at once, naming the variable, the rule and the value', () => {
    const problems = problemsOf({ DEMO_PORT: '70000', KAFKA_BROKERS: 'no-port-here', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x/y', KAFKA_SSL: 'maybe' });
    expect(problems).toHaveLength(5);
    expect(problems).toContain('DEMO_PORT: must be between 1 and 65535 (got "70000")');
    expect(problems).toContain('KAFKA_BROKERS: must be a comma-separated list of host:port (got "no-port-here")');
    expect(problems).toContain('LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")');
    expect(problems).toContain('KAFKA_SSL: must be true or false (got "maybe")');
    expect(problems.find((p) => p.startsWith('DATABASE_URL:'))).toBe('DATABASE_URL: must be a postgres:// URL naming a database (got (secret, not shown))');
  });

  it('rejects a port that is not a number', () => {
    expect(problemsOf({ DEMO_PORT: 'eighty' })).toEqual(['DEMO_PORT: must be a port number (got "eighty")']);
  });

  it('puts the service name and one line per problem in the error message', () => {
    expect(() => loadConfig('demo', fragments(), { DEMO_PORT: '0' })).toThrow(
      'Invalid configuration for demo:\n  - DEMO_PORT: must be between 1 and 65535 (got "0")',
    );
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig('demo', fragments(), { DEMO_PORT: '' }).values.http.port).toBe(8099);
  });

  it('masks secrets in the printable view but keeps the rest readable', () => {
    const { printable } = loadConfig('demo', fragments(), {
      DATABASE_URL: 'postgres://rabt:hunter2@db.internal:5432/rabt',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_PASSWORD: 'topsecret',
    });
    expect(printable['DATABASE_URL']).toBe('postgres://rabt:***@db.internal:5432/rabt');
    expect(printable['KAFKA_SASL_PASSWORD']).toBe('***');
    expect(JSON.stringify(printable)).not.toMatch(/hunter2|topsecret/);
    expect(printable['KAFKA_BROKERS']).toBe('127.0.0.1:9092');
  });
});

/** A Kafka client certificate's files (their PEM contents are not parsed by the configuration). */
const pemDir = mkdtempSync(join(tmpdir(), 'rabt-config-pem-'));
const pem = (name: string, label: string) => {
  const file = join(pemDir, name);
  writeFileSync(file, `-----BEGIN ${label}-----\n${name}\n-----END ${label}-----\n`);
  return file;
};
const KAFKA_TLS = { KAFKA_SSL_CA_FILE: pem('ca.crt', 'CERTIFICATE'), KAFKA_SSL_CERT_FILE: pem('gateway.crt', 'CERTIFICATE'), KAFKA_SSL_KEY_FILE: pem('gateway.key', 'PRIVATE KEY') };
const PRODUCTION = { RABT_DEV_MODE: 'false', DATABASE_URL: 'postgres://rabt_gateway:s3cret@db.internal:5432/rabt', DATABASE_SSL: 'true', ...KAFKA_TLS };

describe('development mode (RABT_DEV_MODE)', () => {
  it('outside it, refuses the passwordless default database URL, naming the variable', () => {
    expect(problemsOf({ RABT_DEV_MODE: 'false', ...KAFKA_TLS })).toEqual([
      'DATABASE_URL: is not set, and the default (postgres://postgres@127.0.0.1:5432/rabt) is the passwordless superuser (allowed only in development mode, RABT_DEV_MODE=true)',
    ]);
    expect(problemsOf({ RABT_DEV_MODE: 'false', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/rabt', ...KAFKA_TLS })[0]).toMatch(/^DATABASE_URL: is the default, the passwordless superuser/);
    expect(problemsOf({ RABT_DEV_MODE: 'false', DATABASE_URL: 'postgres://rabt@db.internal:5432/rabt', ...KAFKA_TLS })[0]).toMatch(/^DATABASE_URL: has no password/);
    expect(problemsOf({ RABT_DEV_MODE: 'false', DATABASE_URL: 'postgres://rabt:@db.internal:5432/rabt', ...KAFKA_TLS })[0]).toMatch(/^DATABASE_URL: has no password/);
  });

  it('outside it, accepts a URL with a password, in the user part or as a parameter', () => {
    expect(loadConfig('demo', fragments(), PRODUCTION).devMode).toBe(false);
    expect(loadConfig('demo', fragments(), { RABT_DEV_MODE: 'false', DATABASE_URL: 'postgresql://rabt@db.internal/rabt?password=s3cret&sslmode=require', ...KAFKA_TLS }).unsafe).toEqual([]);
  });

  it('outside it, refuses a plaintext database link to a host that is not loopback, naming the host', () => {
    const remote = { RABT_DEV_MODE: 'false', DATABASE_URL: 'postgres://rabt_gateway:s3cret@db.internal:5432/rabt', ...KAFKA_TLS };
    expect(problemsOf(remote)).toEqual([
      'DATABASE_SSL: is false while DATABASE_URL connects to db.internal, which is neither loopback nor a Unix socket: its password and data would cross the network in plaintext (set DATABASE_SSL=true or sslmode=verify-full) (allowed only in development mode, RABT_DEV_MODE=true)',
    ]);
    expect(problemsOf({ ...remote, DATABASE_URL: 'postgres://rabt_gateway:s3cret@10.0.0.5/rabt' })[0]).toMatch(/^DATABASE_SSL: is false while DATABASE_URL connects to 10\.0\.0\.5,/);
    expect(problemsOf({ ...remote, DATABASE_URL: 'postgres://rabt_gateway:s3cret@[2001:db8::1]:5432/rabt' })[0]).toMatch(/^DATABASE_SSL: is false while DATABASE_URL connects to \[2001:db8::1\],/);
    expect(problemsOf({ ...remote, DATABASE_URL: 'postgres://rabt_gateway:s3cret@localhost/rabt?host=db.internal' })[0]).toMatch(/connects to db\.internal,/);
    expect(problemsOf({ ...remote, DATABASE_URL: 'postgres://rabt_gateway:s3cret@db.internal/rabt?sslmode=disable' })[0]).toMatch(/^DATABASE_SSL:/);
  });

  it('outside it, allows plaintext over loopback or a Unix socket, and TLS to any host', () => {
    const base = { RABT_DEV_MODE: 'false', ...KAFKA_TLS };
    for (const url of [
      'postgres://rabt_gateway:s3cret@127.0.0.1:5432/rabt',
      'postgres://rabt_gateway:s3cret@127.8.9.10/rabt',
      'postgres://rabt_gateway:s3cret@localhost/rabt',
      'postgres://rabt_gateway:s3cret@[::1]:5432/rabt',
      'postgres://rabt_gateway:s3cret@%2Fvar%2Frun%2Fpostgresql/rabt',
      'postgres://rabt_gateway:s3cret@x/rabt?host=/var/run/postgresql',
      'postgres://rabt_gateway:s3cret@db.internal/rabt?sslmode=verify-full',
      'postgres://rabt_gateway:s3cret@db.internal/rabt?sslmode=require',
    ]) {
      expect(loadConfig('demo', fragments(), { ...base, DATABASE_URL: url }).unsafe, url).toEqual([]);
    }
    expect(loadConfig('demo', fragments(), { ...base, DATABASE_URL: 'postgres://rabt_gateway:s3cret@db.internal/rabt', DATABASE_SSL: 'true' }).unsafe).toEqual([]);
  });

  it('names every unsafe setting at once, together with the invalid values', () => {
    const problems = problemsOf({ RABT_DEV_MODE: 'false', DEMO_PORT: 'eighty', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'rabt' });
    expect(problems).toContain('DEMO_PORT: must be a port number (got "eighty")');
    expect(problems.some((p) => p.startsWith('DATABASE_URL: is not set'))).toBe(true);
    expect(problems.some((p) => p.startsWith('KAFKA_SASL_PASSWORD: is not set while KAFKA_SASL_MECHANISM is plain'))).toBe(true);
    expect(problems.some((p) => p.startsWith('KAFKA_SSL: is false while KAFKA_SASL_MECHANISM is plain'))).toBe(true);
    expect(problems.some((p) => p.startsWith('KAFKA_SSL: is false: plaintext Kafka'))).toBe(true);
    expect(problems).toHaveLength(5);
  });

  it('refuses registry credentials without a password', () => {
    expect(() => loadConfig('demo', { ...fragments(), registry: schemaRegistryClientFragment() }, { ...PRODUCTION, SCHEMA_REGISTRY_USERNAME: 'gateway' })).toThrow(
      /SCHEMA_REGISTRY_PASSWORD: is not set while SCHEMA_REGISTRY_USERNAME is/,
    );
  });

  it('in it, allows the unsafe settings and lists them for the start-up warning', () => {
    const loaded = loadConfig('demo', fragments(), { RABT_DEV_MODE: 'true' });
    expect(loaded.devMode).toBe(true);
    expect(loaded.unsafe.map((u) => u.variable)).toEqual(['KAFKA_SSL', 'KAFKA_SSL_CERT_FILE', 'DATABASE_URL']);
    expect(loaded.printable['RABT_DEV_MODE']).toBe('true');
  });

  it('refuses a value that is not true or false', () => {
    expect(problemsOf({ ...PRODUCTION, RABT_DEV_MODE: 'sometimes' })).toEqual(['RABT_DEV_MODE: must be true or false (got "sometimes")']);
  });
});

describe('Kafka TLS (KAFKA_SSL_*_FILE)', () => {
  it('reads the PEM files at start; the printable view shows their paths, never their contents', () => {
    const loaded = loadConfig('demo', fragments(), PRODUCTION);
    expect(loaded.values.kafka.ssl).toBe(true);
    expect(loaded.values.kafka.tls?.key).toContain('BEGIN PRIVATE KEY');
    expect(loaded.values.kafka.tls?.ca).toContain('ca.crt');
    expect(loaded.printable['KAFKA_SSL_KEY_FILE']).toBe(KAFKA_TLS.KAFKA_SSL_KEY_FILE);
    expect(JSON.stringify(loaded.printable)).not.toContain('BEGIN');
  });

  it('outside development mode refuses plaintext, and TLS without a client certificate', () => {
    expect(problemsOf({ ...PRODUCTION, KAFKA_SSL_CA_FILE: '', KAFKA_SSL_CERT_FILE: '', KAFKA_SSL_KEY_FILE: '' }).map((p) => p.split(':')[0])).toEqual(['KAFKA_SSL', 'KAFKA_SSL_CERT_FILE']);
    expect(problemsOf({ ...PRODUCTION, KAFKA_SSL_CERT_FILE: '', KAFKA_SSL_KEY_FILE: '' })).toEqual([
      'KAFKA_SSL_CERT_FILE: and KAFKA_SSL_KEY_FILE are not both set (nor KAFKA_SASL_MECHANISM): the client would be unauthenticated; give it its certificate and key (allowed only in development mode, RABT_DEV_MODE=true)',
    ]);
    expect(problemsOf({ ...PRODUCTION, KAFKA_SSL_KEY_FILE: '' }).map((p) => p.split(':')[0])).toEqual(['KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE']);
  });

  it('a file that cannot be read, or is not PEM, is a problem in any mode', () => {
    expect(problemsOf({ RABT_DEV_MODE: 'true', KAFKA_SSL_CA_FILE: join(pemDir, 'missing.crt') })).toEqual([`KAFKA_SSL_CA_FILE: cannot be read (ENOENT) (got "${join(pemDir, 'missing.crt')}")`]);
    const notPem = join(pemDir, 'not.pem');
    writeFileSync(notPem, 'hello');
    expect(problemsOf({ RABT_DEV_MODE: 'true', KAFKA_SSL_CA_FILE: notPem })).toEqual([`KAFKA_SSL_CA_FILE: is not a PEM file (got "${notPem}")`]);
  });
});

describe('/metrics and /docs access (HTTP fragment)', () => {
  it('outside development mode both are closed unless opened or given a token', () => {
    expect(loadConfig('demo', fragments(), PRODUCTION).values.http).toMatchObject({ metrics: { open: false }, docs: { enabled: false } });
    const token = 'm'.repeat(32);
    const { http } = loadConfig('demo', fragments(), { ...PRODUCTION, METRICS_AUTH_TOKEN: token, DOCS_AUTH_TOKEN: token }).values;
    expect(http.metrics).toEqual({ token, open: false });
    expect(http.docs).toEqual({ enabled: true, token, open: true });
    expect(loadConfig('demo', fragments(), { ...PRODUCTION, METRICS_PUBLIC: 'true', DOCS_ENABLED: 'true' }).values.http).toMatchObject({ metrics: { open: true }, docs: { enabled: true } });
  });

  it('refuses a short token and never prints one', () => {
    expect(problemsOf({ ...PRODUCTION, METRICS_AUTH_TOKEN: 'short' })).toEqual(['METRICS_AUTH_TOKEN: must be at least 32 characters (got (secret, not shown))']);
    const { printable } = loadConfig('demo', fragments(), { ...PRODUCTION, METRICS_AUTH_TOKEN: 'x'.repeat(40) });
    expect(printable['METRICS_AUTH_TOKEN']).toBe('***');
  });
});
