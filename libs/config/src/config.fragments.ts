import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/**
 * A fragment maps a set of environment variables to one typed piece of configuration.
 * Apps compose fragments; every variable is validated in one pass so start-up reports
 * every problem at once.
 */
export interface ConfigFragment<Env extends z.ZodRawShape, Out> {
  /** The Nest injection token (an abstract class) this fragment's value is provided as. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly token: abstract new (...args: any[]) => Out;
  readonly env: Env;
  readonly map: (env: z.infer<z.ZodObject<Env>>, context: FragmentContext) => Out;
  /** Names of variables whose values must never be printed. */
  readonly secrets?: readonly (keyof Env & string)[];
  /**
   * Settings that are safe only on a developer's machine (a public default secret, a passwordless
   * superuser, a cookie without Secure). Outside development mode each one stops start-up; in
   * development mode each one is a warning.
   */
  readonly unsafe?: (env: z.infer<z.ZodObject<Env>>, context: FragmentContext) => readonly UnsafeSetting[];
  /**
   * Variables that are each valid but wrong together (e.g. a primary key id that is not in the
   * keyring): always refused, in development mode too.
   */
  readonly conflicts?: (env: z.infer<z.ZodObject<Env>>, context: FragmentContext) => readonly UnsafeSetting[];
}

/** What a fragment knows besides its own variables. */
export interface FragmentContext {
  /** RABT_DEV_MODE=true: a developer's machine, where the public development defaults are allowed. */
  readonly devMode: boolean;
  /** The variables the environment sets (non-empty), as distinct from those left at their defaults. */
  readonly given: ReadonlySet<string>;
}

/** One setting that is safe only in development mode, and why. */
export interface UnsafeSetting {
  readonly variable: string;
  readonly problem: string;
}

export function fragment<Env extends z.ZodRawShape, Out>(def: ConfigFragment<Env, Out>): ConfigFragment<Env, Out> {
  return def;
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ message: 'must be a port number' })
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be between 1 and 65535' })
  .max(65535, { message: 'must be between 1 and 65535' });

const positiveInt = z.coerce.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).positive({ message: 'must be greater than 0' });

const hostPort = /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/;

export abstract class KafkaConfig {
  abstract readonly brokers: readonly string[];
  abstract readonly clientId: string;
  abstract readonly ssl: boolean;
  /** Mutual TLS (KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE): the PEM texts, read at start. */
  abstract readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string };
  abstract readonly sasl?: { readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; readonly username: string; readonly password: string };
  abstract readonly defaultPartitions: number;
  abstract readonly replicationFactor: number;
}

/** A PEM file read at start; printed (config dumps, logs) as its path, never its contents. */
class PemFile {
  constructor(
    readonly path: string,
    readonly text: string,
  ) {}
  toString(): string {
    return this.path;
  }
}

/** A path to a PEM file, read at start: its text, or a problem naming the file and why it cannot be read. */
const pemFile = z
  .string()
  .min(1)
  .transform((path, ctx) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      return z.NEVER;
    }
    if (!text.includes('-----BEGIN ')) {
      ctx.addIssue({ code: 'custom', message: 'is not a PEM file' });
      return z.NEVER;
    }
    return new PemFile(path, text);
  });

/** TLS to the brokers: KAFKA_SSL=true, or any of the TLS files given (a client certificate implies TLS). */
const kafkaUsesTls = (e: { KAFKA_SSL: boolean; KAFKA_SSL_CA_FILE?: PemFile; KAFKA_SSL_CERT_FILE?: PemFile; KAFKA_SSL_KEY_FILE?: PemFile }) =>
  e.KAFKA_SSL || Boolean(e.KAFKA_SSL_CA_FILE || e.KAFKA_SSL_CERT_FILE || e.KAFKA_SSL_KEY_FILE);

export const kafkaFragment = (clientId: string) =>
  fragment({
    token: KafkaConfig,
    env: {
      KAFKA_BROKERS: z
        .string()
        .default('127.0.0.1:9092')
        .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
        .refine((list) => list.length > 0 && list.every((b) => hostPort.test(b)), {
          message: 'must be a comma-separated list of host:port',
        }),
      KAFKA_CLIENT_ID: z.string().min(1).default(clientId),
      KAFKA_SSL: bool.default(false),
      KAFKA_SSL_CA_FILE: pemFile.optional(),
      KAFKA_SSL_CERT_FILE: pemFile.optional(),
      KAFKA_SSL_KEY_FILE: pemFile.optional(),
      KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
      KAFKA_SASL_USERNAME: z.string().optional(),
      KAFKA_SASL_PASSWORD: z.string().optional(),
      KAFKA_DEFAULT_PARTITIONS: positiveInt.default(3),
      KAFKA_REPLICATION_FACTOR: positiveInt.default(1),
    },
    secrets: ['KAFKA_SASL_PASSWORD'],
    unsafe: (e) => [
      ...(!kafkaUsesTls(e)
        ? [{ variable: 'KAFKA_SSL', problem: 'is false: plaintext Kafka lets anyone on the network read and forge records; set KAFKA_SSL=true and KAFKA_SSL_CA_FILE' }]
        : []),
      ...(!(e.KAFKA_SSL_CERT_FILE && e.KAFKA_SSL_KEY_FILE) && !e.KAFKA_SASL_MECHANISM
        ? [{ variable: 'KAFKA_SSL_CERT_FILE', problem: 'and KAFKA_SSL_KEY_FILE are not both set (nor KAFKA_SASL_MECHANISM): the client would be unauthenticated; give it its certificate and key' }]
        : []),
      ...(Boolean(e.KAFKA_SSL_CERT_FILE) !== Boolean(e.KAFKA_SSL_KEY_FILE)
        ? [{ variable: e.KAFKA_SSL_CERT_FILE ? 'KAFKA_SSL_KEY_FILE' : 'KAFKA_SSL_CERT_FILE', problem: 'is not set while the other half of the client certificate is' }]
        : []),
      ...(e.KAFKA_SASL_MECHANISM && !e.KAFKA_SASL_USERNAME ? [{ variable: 'KAFKA_SASL_USERNAME', problem: `is not set while KAFKA_SASL_MECHANISM is ${e.KAFKA_SASL_MECHANISM}` }] : []),
      ...(e.KAFKA_SASL_MECHANISM && !e.KAFKA_SASL_PASSWORD ? [{ variable: 'KAFKA_SASL_PASSWORD', problem: `is not set while KAFKA_SASL_MECHANISM is ${e.KAFKA_SASL_MECHANISM}` }] : []),
      ...(e.KAFKA_SASL_MECHANISM === 'plain' && !kafkaUsesTls(e)
        ? [{ variable: 'KAFKA_SSL', problem: 'is false while KAFKA_SASL_MECHANISM is plain: the password would cross the network in clear text; set KAFKA_SSL=true' }]
        : []),
    ],
    map: (e): KafkaConfig => ({
      brokers: e.KAFKA_BROKERS,
      clientId: e.KAFKA_CLIENT_ID,
      ssl: kafkaUsesTls(e),
      ...(e.KAFKA_SSL_CA_FILE || e.KAFKA_SSL_CERT_FILE || e.KAFKA_SSL_KEY_FILE
        ? {
            tls: {
              ...(e.KAFKA_SSL_CA_FILE ? { ca: e.KAFKA_SSL_CA_FILE.text } : {}),
              ...(e.KAFKA_SSL_CERT_FILE ? { cert: e.KAFKA_SSL_CERT_FILE.text } : {}),
              ...(e.KAFKA_SSL_KEY_FILE ? { key: e.KAFKA_SSL_KEY_FILE.text } : {}),
            },
          }
        : {}),
      ...(e.KAFKA_SASL_MECHANISM
        ? { sasl: { mechanism: e.KAFKA_SASL_MECHANISM, username: e.KAFKA_SASL_USERNAME ?? '', password: e.KAFKA_SASL_PASSWORD ?? '' } }
        : {}),
      defaultPartitions: e.KAFKA_DEFAULT_PARTITIONS,
      replicationFactor: e.KAFKA_REPLICATION_FACTOR,
    }),
  });

/**
 * The provisioning credential (KAFKA_ADMIN_CERT_FILE, KAFKA_ADMIN_KEY_FILE): a client certificate
 * that may create and delete ACLs (operator-admin locally), used only to grant and revoke agency
 * certificates' pull-mode ACLs. It is kept apart from the service's own credential, which stays
 * least-privileged; the CA file is KAFKA_SSL_CA_FILE's.
 */
export abstract class KafkaAdminConfig {
  abstract readonly credential?: { readonly cert: string; readonly key: string };
}

export const kafkaAdminFragment = () =>
  fragment({
    token: KafkaAdminConfig,
    env: { KAFKA_ADMIN_CERT_FILE: pemFile.optional(), KAFKA_ADMIN_KEY_FILE: pemFile.optional() },
    conflicts: (e) =>
      Boolean(e.KAFKA_ADMIN_CERT_FILE) !== Boolean(e.KAFKA_ADMIN_KEY_FILE)
        ? [{ variable: e.KAFKA_ADMIN_CERT_FILE ? 'KAFKA_ADMIN_KEY_FILE' : 'KAFKA_ADMIN_CERT_FILE', problem: 'is not set while the other half of the provisioning certificate is' }]
        : [],
    map: (e): KafkaAdminConfig =>
      e.KAFKA_ADMIN_CERT_FILE && e.KAFKA_ADMIN_KEY_FILE ? { credential: { cert: e.KAFKA_ADMIN_CERT_FILE.text, key: e.KAFKA_ADMIN_KEY_FILE.text } } : {},
  });

export abstract class DatabaseConfig {
  abstract readonly url: string;
  abstract readonly poolMax: number;
  abstract readonly ssl: boolean;
  /** Postgres cancels any statement of this service's connections that runs longer (ms). */
  abstract readonly statementTimeoutMs: number;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/rabt';
/** DATABASE_STATEMENT_TIMEOUT_MS unset: no statement of a service runs longer than this. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** A password in the URL's user part (`role:password@`) or as a `password=` parameter. */
function hasDatabasePassword(url: string): boolean {
  const userInfo = /^postgres(?:ql)?:\/\/([^@/?#]*)@/.exec(url)?.[1] ?? '';
  const colon = userInfo.indexOf(':');
  if (colon >= 0 && colon < userInfo.length - 1) return true;
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  return new URLSearchParams(query).get('password') ? true : false;
}

/**
 * Where a postgres:// URL connects when it asks for no TLS itself (sslmode require, verify-ca or
 * verify-full, or ssl=true, ask for it): undefined for a Unix socket or a loopback address, else
 * the host, whose link a plaintext connection (the password included) would cross.
 */
export function plaintextDatabaseHost(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined; // not a URL: the URL's own check reports it
  }
  const sslmode = parsed.searchParams.get('sslmode');
  const ssl = parsed.searchParams.get('ssl');
  if ((sslmode && ['require', 'verify-ca', 'verify-full'].includes(sslmode)) || ssl === 'true' || ssl === '1') return undefined;
  const host = parsed.searchParams.get('host') ?? decodeURIComponent(parsed.hostname);
  if (host === '' || host.startsWith('/') || host.toLowerCase() === 'localhost') return undefined;
  const address = host.replace(/^\[(.*)\]$/, '$1');
  if (ipaddr.isValid(address) && ipaddr.process(address).range() === 'loopback') return undefined;
  return host;
}

export const databaseFragment = () =>
  fragment({
    token: DatabaseConfig,
    env: {
      DATABASE_URL: z
        .string()
        .default(DEFAULT_DATABASE_URL)
        .refine((u) => /^postgres(ql)?:\/\/[^/]+\/[^/?]+/.test(u), { message: 'must be a postgres:// URL naming a database' }),
      DATABASE_POOL_MAX: positiveInt.default(10),
      DATABASE_SSL: bool.default(false),
      DATABASE_STATEMENT_TIMEOUT_MS: positiveInt.max(3_600_000, { message: 'must be at most 3600000 (one hour)' }).default(DEFAULT_STATEMENT_TIMEOUT_MS),
    },
    secrets: ['DATABASE_URL'],
    unsafe: (e, { given }) => {
      const problem = !given.has('DATABASE_URL')
        ? `is not set, and the default (${DEFAULT_DATABASE_URL}) is the passwordless superuser`
        : e.DATABASE_URL === DEFAULT_DATABASE_URL
          ? 'is the default, the passwordless superuser'
          : hasDatabasePassword(e.DATABASE_URL)
            ? undefined
            : 'has no password; give the service its own role and password (postgres://role:password@host/db)';
      const plaintextHost = e.DATABASE_SSL ? undefined : plaintextDatabaseHost(e.DATABASE_URL);
      return [
        ...(problem ? [{ variable: 'DATABASE_URL', problem }] : []),
        ...(plaintextHost
          ? [{ variable: 'DATABASE_SSL', problem: `is false while DATABASE_URL connects to ${plaintextHost}, which is neither loopback nor a Unix socket: its password and data would cross the network in plaintext (set DATABASE_SSL=true or sslmode=verify-full)` }]
          : []),
      ];
    },
    map: (e): DatabaseConfig => ({ url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX, ssl: e.DATABASE_SSL, statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS }),
  });

export abstract class HttpConfig {
  abstract readonly host: string;
  abstract readonly port: number;
  abstract readonly bodyLimitBytes: number;
  /** Who may read GET /metrics. */
  abstract readonly metrics: EndpointAccess;
  /** Whether /docs (the OpenAPI page and document) is served, and to whom. */
  abstract readonly docs: EndpointAccess & { readonly enabled: boolean };
  /** HTTPS instead of HTTP: PEM file paths as given (read and checked when the service starts). */
  abstract readonly tls: HttpTlsFiles;
}

/** HTTP_TLS_CERT / HTTP_TLS_KEY serve HTTPS; HTTP_TLS_CLIENT_CA also requests client certificates. */
export interface HttpTlsFiles {
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly clientCaFile?: string;
}

/** Access to an operational endpoint: with a bearer token when one is set, else open or closed. */
export interface EndpointAccess {
  /** When set, callers must send `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Without a token: served to anyone (true) or to no one (false). */
  readonly open: boolean;
}

const endpointToken = z.string().min(32, { message: 'must be at least 32 characters' }).optional();
const tlsFile = z.string().min(1).optional();

/**
 * HTTP listener; each app names its own port variable, e.g. GATEWAY_PORT. Also who may read
 * /metrics and /docs: METRICS_AUTH_TOKEN / DOCS_AUTH_TOKEN require that bearer token; without
 * one, METRICS_PUBLIC and DOCS_ENABLED open them, and both default to on only in development
 * mode, so a production service exposes neither unless told to. HTTP_TLS_CERT and HTTP_TLS_KEY
 * (PEM files) serve HTTPS; HTTP_TLS_CLIENT_CA requests (does not require) client certificates
 * and verifies them against that CA.
 */
export const httpFragment = <P extends string>(portVariable: P, defaultPort: number) =>
  fragment({
    token: HttpConfig,
    env: {
      [portVariable]: port.default(defaultPort),
      HTTP_HOST: z.string().min(1).default('127.0.0.1'),
      HTTP_BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
      METRICS_AUTH_TOKEN: endpointToken,
      METRICS_PUBLIC: bool.optional(),
      DOCS_ENABLED: bool.optional(),
      DOCS_AUTH_TOKEN: endpointToken,
      HTTP_TLS_CERT: tlsFile,
      HTTP_TLS_KEY: tlsFile,
      HTTP_TLS_CLIENT_CA: tlsFile,
    } as { [K in P]: z.ZodDefault<typeof port> } & {
      HTTP_HOST: z.ZodDefault<z.ZodString>;
      HTTP_BODY_LIMIT_BYTES: z.ZodDefault<typeof positiveInt>;
      METRICS_AUTH_TOKEN: typeof endpointToken;
      METRICS_PUBLIC: z.ZodOptional<typeof bool>;
      DOCS_ENABLED: z.ZodOptional<typeof bool>;
      DOCS_AUTH_TOKEN: typeof endpointToken;
      HTTP_TLS_CERT: typeof tlsFile;
      HTTP_TLS_KEY: typeof tlsFile;
      HTTP_TLS_CLIENT_CA: typeof tlsFile;
    },
    secrets: ['METRICS_AUTH_TOKEN', 'DOCS_AUTH_TOKEN'],
    map: (e, { devMode }): HttpConfig => {
      const v = e as Record<string, unknown>;
      const metricsToken = v['METRICS_AUTH_TOKEN'] as string | undefined;
      const docsToken = v['DOCS_AUTH_TOKEN'] as string | undefined;
      return {
        host: v['HTTP_HOST'] as string,
        port: v[portVariable] as number,
        bodyLimitBytes: v['HTTP_BODY_LIMIT_BYTES'] as number,
        metrics: { ...(metricsToken ? { token: metricsToken } : {}), open: (v['METRICS_PUBLIC'] as boolean | undefined) ?? devMode },
        docs: { enabled: (v['DOCS_ENABLED'] as boolean | undefined) ?? (devMode || docsToken !== undefined), ...(docsToken ? { token: docsToken } : {}), open: true },
        tls: {
          ...(v['HTTP_TLS_CERT'] ? { certFile: v['HTTP_TLS_CERT'] as string } : {}),
          ...(v['HTTP_TLS_KEY'] ? { keyFile: v['HTTP_TLS_KEY'] as string } : {}),
          ...(v['HTTP_TLS_CLIENT_CA'] ? { clientCaFile: v['HTTP_TLS_CLIENT_CA'] as string } : {}),
        },
      };
    },
  });

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export abstract class LoggingConfig {
  abstract readonly service: string;
  abstract readonly level: (typeof LOG_LEVELS)[number];
  abstract readonly pretty: boolean;
}

export const loggingFragment = (service: string) =>
  fragment({
    token: LoggingConfig,
    env: {
      LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
      LOG_PRETTY: bool.default(false),
    },
    map: (e): LoggingConfig => ({ service, level: e.LOG_LEVEL, pretty: e.LOG_PRETTY }),
  });

/** An optional string that `parse` accepts; what `parse` throws is the problem reported for it. */
const checkedBy = (parse: (value: string) => unknown) =>
  z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      try {
        parse(value);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    });

export const configTypes = { bool, port, positiveInt, checkedBy };

export abstract class SchemaRegistryClientConfig {
  abstract readonly url: string;
  abstract readonly username?: string;
  abstract readonly password?: string;
  /** How long a subject's latest schema id is reused before asking the registry again. */
  abstract readonly latestCacheMs: number;
}

/** Where a service finds the schema registry (Rabt's own or any Confluent-compatible one). */
export const schemaRegistryClientFragment = () =>
  fragment({
    token: SchemaRegistryClientConfig,
    env: {
      SCHEMA_REGISTRY_URL: z.string().url({ message: 'must be an http(s) URL' }).default('http://127.0.0.1:8081'),
      SCHEMA_REGISTRY_USERNAME: z.string().optional(),
      SCHEMA_REGISTRY_PASSWORD: z.string().optional(),
      SCHEMA_REGISTRY_LATEST_CACHE_MS: z.coerce.number({ message: 'must be a number' }).int().min(0).default(30_000),
    },
    secrets: ['SCHEMA_REGISTRY_PASSWORD'],
    unsafe: (e) =>
      e.SCHEMA_REGISTRY_USERNAME && !e.SCHEMA_REGISTRY_PASSWORD ? [{ variable: 'SCHEMA_REGISTRY_PASSWORD', problem: 'is not set while SCHEMA_REGISTRY_USERNAME is' }] : [],
    map: (e): SchemaRegistryClientConfig => ({
      url: e.SCHEMA_REGISTRY_URL.replace(/\/+$/, ''),
      ...(e.SCHEMA_REGISTRY_USERNAME ? { username: e.SCHEMA_REGISTRY_USERNAME, password: e.SCHEMA_REGISTRY_PASSWORD ?? '' } : {}),
      latestCacheMs: e.SCHEMA_REGISTRY_LATEST_CACHE_MS,
    }),
  });
