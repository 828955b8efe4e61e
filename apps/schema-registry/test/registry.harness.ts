// Starts the real schema registry (Nest app, Fastify, real Postgres) on a fresh database and
// talks to it over HTTP, the way a Confluent client does.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import { createDataSource, migrateDatabase, seedAgencies, serviceDatabaseUrl } from '@rabt/persistence';
import { createService } from '@rabt/runtime';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import { AppModule } from '../src/app.module';
import { loadSchemaRegistryConfig } from '../src/config/schema-registry.config';
import { configureRegistryHttp, REGISTRY_MAX_PARAM_LENGTH, registryExceptionFilter } from '../src/registry/registry.http';

/**
 * Who calls: `admin` and `platform` are keys of the operator agency `ita` (roles admin and
 * integrator: the platform); `integrator` (moh) and `mom-admin` carry roles on an ordinary agency;
 * `mom` and `rop` are agency keys without roles.
 */
export type Principal = 'admin' | 'platform' | 'integrator' | 'mom-admin' | 'mom' | 'rop' | 'anonymous' | 'bad-password';
export interface Credentials { readonly username: string; readonly password: string }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface RegistryResponse { status: number; body: any; headers: Record<string, string | string[] | undefined> }
export interface RegistryHarness {
  readonly url: string;
  authHeader(as: Principal | Credentials): string | undefined;
  request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    /** `contentType` without a body sends the header on a body-less request, as Confluent's Java and Go clients do. */
    options?: { body?: unknown; rawBody?: string; as?: Principal | Credentials; contentType?: string },
  ): Promise<RegistryResponse>;
  restart(): Promise<void>;
  close(): Promise<void>;
  /** The audit records written so far, oldest first. */
  audited(): Promise<{ actor: string; action: string; subject: string; details: Record<string, unknown> }[]>;
  /** Issues a key (for an agency that may not be seeded: it is created first). */
  issue(agency: string, roles?: readonly ('admin' | 'integrator')[]): Promise<Credentials>;
  /** Runs SQL against the registry's database (to compare state before and after). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Username/password pairs, for clients that take Basic credentials (e.g. @kafkajs/confluent-schema-registry). */
  credentials(as: Exclude<Principal, 'anonymous' | 'bad-password'>): { username: string; password: string };
}

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

export async function startRegistry(): Promise<RegistryHarness> {
  const db: ThrowawayDatabase = await createThrowawayDatabase('rabt_registry_test');
  // The registry connects as its own role; the test migrates, seeds and inspects as the superuser.
  const config = loadSchemaRegistryConfig({ DATABASE_URL: serviceDatabaseUrl(db.url, 'schema-registry'), LOG_LEVEL: 'warn', SCHEMA_REGISTRY_PORT: '1' });
  await migrateDatabase({ url: db.url, poolMax: 2, ssl: false }, 'registry-test');
  const admin = createDataSource({ url: db.url, poolMax: 2, ssl: false }, 'registry-test');
  await admin.initialize();
  let app: NestFastifyApplication | undefined;
  let url = '';

  const start = async () => {
    app = await createService({ rootModule: AppModule.forRoot(config), config, exceptionFilter: registryExceptionFilter(), configure: configureRegistryHttp, maxParamLength: REGISTRY_MAX_PARAM_LENGTH });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = await app.getUrl();
    url = url.replace('[::1]', '127.0.0.1');
  };
  await start();
  await seedAgencies(admin);
  const keys = { issue: async (agency: string, label: string, roles: readonly ('admin' | 'integrator')[] = []) => issueAgencyKey(admin.manager, DEVELOPMENT_PEPPER, agency, label, [...roles]) };
  const issued = {
    admin: { username: 'ita', password: (await keys.issue('ita', 'test admin', ['admin'])).token },
    platform: { username: 'ita', password: (await keys.issue('ita', 'test platform service', ['integrator'])).token },
    integrator: { username: 'moh', password: (await keys.issue('moh', 'test integrator', ['integrator'])).token },
    'mom-admin': { username: 'mom', password: (await keys.issue('mom', 'test mom admin', ['admin'])).token },
    mom: { username: 'mom', password: (await keys.issue('mom', 'test mom')).token },
    rop: { username: 'rop', password: (await keys.issue('rop', 'test rop')).token },
  };

  const authHeader = (as: Principal | Credentials): string | undefined => {
    if (typeof as === 'object') return basic(as.username, as.password);
    if (as === 'anonymous') return undefined;
    if (as === 'bad-password') return basic('mom', `${issued.mom.password.slice(0, -4)}AAAA`);
    return basic(issued[as].username, issued[as].password);
  };

  return {
    get url() {
      return url;
    },
    authHeader,
    credentials: (as) => issued[as],
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { Accept: 'application/vnd.schemaregistry.v1+json' };
      const auth = authHeader(options.as ?? 'admin');
      if (auth) headers['Authorization'] = auth;
      let body: string | undefined;
      if (options.rawBody !== undefined) body = options.rawBody;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined || options.contentType !== undefined) headers['Content-Type'] = options.contentType ?? 'application/vnd.schemaregistry.v1+json';
      const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: parsed, headers: Object.fromEntries(res.headers.entries()) };
    },
    async restart() {
      await app?.close();
      await start();
    },
    async issue(agency, roles = []) {
      await admin.query(`INSERT INTO agency (code, name_en, name_ar) VALUES ($1, $1, 'وكالة') ON CONFLICT DO NOTHING`, [agency]);
      return { username: agency, password: (await keys.issue(agency, 'test key', roles)).token };
    },
    async query(sql, params) {
      return admin.query(sql, params);
    },
    async audited() {
      return admin.query(`SELECT actor, action, subject, details FROM audit_record ORDER BY id`);
    },
    async close() {
      await app?.close();
      await admin.destroy();
      await db.drop();
    },
  };
}
