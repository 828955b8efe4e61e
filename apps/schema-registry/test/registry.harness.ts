// Starts the real schema registry (Nest app, Fastify, real Postgres) on a fresh database and
// talks to it over HTTP, the way a Confluent client does.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AgencyKeysService } from '@rabt/auth';
import { migrateDatabase, seedAgencies } from '@rabt/persistence';
import { createService } from '@rabt/runtime';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import { AppModule } from '../src/app.module';
import { loadSchemaRegistryConfig } from '../src/config/schema-registry.config';
import { configureRegistryHttp, registryExceptionFilter } from '../src/registry/registry.http';

export type Principal = 'admin' | 'integrator' | 'mom' | 'rop' | 'anonymous' | 'bad-password';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface RegistryResponse { status: number; body: any; headers: Record<string, string | string[] | undefined> }
export interface RegistryHarness {
  readonly url: string;
  authHeader(as: Principal): string | undefined;
  request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options?: { body?: unknown; rawBody?: string; as?: Principal; contentType?: string },
  ): Promise<RegistryResponse>;
  restart(): Promise<void>;
  close(): Promise<void>;
  /** The audit records written so far, oldest first. */
  audited(): Promise<{ actor: string; action: string; subject: string; details: Record<string, unknown> }[]>;
  /** Username/password pairs, for clients that take Basic credentials (e.g. @kafkajs/confluent-schema-registry). */
  credentials(as: Exclude<Principal, 'anonymous' | 'bad-password'>): { username: string; password: string };
}

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

export async function startRegistry(): Promise<RegistryHarness> {
  const db: ThrowawayDatabase = await createThrowawayDatabase('rabt_registry_test');
  const config = loadSchemaRegistryConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'warn', SCHEMA_REGISTRY_PORT: '1' });
  await migrateDatabase(config.values.database, 'registry-test');
  let app: NestFastifyApplication | undefined;
  let url = '';

  const start = async () => {
    app = await createService({ rootModule: AppModule.forRoot(config), config, exceptionFilter: registryExceptionFilter(), configure: configureRegistryHttp });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = await app.getUrl();
    url = url.replace('[::1]', '127.0.0.1');
  };
  await start();
  await seedAgencies(app!.get(DataSource));
  const keys = app!.get(AgencyKeysService);
  const issued = {
    admin: { username: 'ita', password: (await keys.issue('ita', 'test admin', ['admin'])).token },
    integrator: { username: 'moh', password: (await keys.issue('moh', 'test integrator', ['integrator'])).token },
    mom: { username: 'mom', password: (await keys.issue('mom', 'test mom')).token },
    rop: { username: 'rop', password: (await keys.issue('rop', 'test rop')).token },
  };

  const authHeader = (as: Principal): string | undefined => {
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
      if (body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/vnd.schemaregistry.v1+json';
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
    async audited() {
      return app!.get(DataSource).query(`SELECT actor, action, subject, details FROM audit_record ORDER BY id`);
    },
    async close() {
      await app?.close();
      await db.drop();
    },
  };
}
