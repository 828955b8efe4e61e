import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createOperator, DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import { registerCatalogueSchemas } from '@rabt/contracts';
import { createDataSource, migrateDatabase, seedAgencies, serviceDatabaseUrl } from '@rabt/persistence';
import { createCa } from '@rabt/pki';
import { createThrowawayDatabase, kafkaAdminEnv, startBuiltService, testStack, type ServiceProcess, type ThrowawayDatabase } from '@rabt/testing';

// Every HTTP route of the gateway, the schema registry and ops, read from the running services'
// own route tables (each logs it at start), called by every kind of caller. The outcome of each
// (route, caller) is decided in the tables below; a route that has no row fails the test, so a
// new route cannot ship without its authorisation being decided.
//
// Outcomes: 401 (no or bad credential), 403 (authenticated, not allowed), 404 (hidden: the caller
// may not learn whether it exists; exactly 404), 'ok' (authorised: any answer below 500 other than
// 401 and 403; validation errors and not-found count, since the bodies sent are empty and an
// earlier caller may have deleted the thing). 5xx always fails. Path parameters name things of
// MoM, the "same agency"; bodies are `{}`. Reads go first and deletions last.

type Caller = 'none' | 'otherAgency' | 'sameAgency' | 'agencyAdmin' | 'platformAdmin';
type Outcome = 401 | 403 | 404 | 'ok';
type Row = Readonly<Record<Caller, Outcome>>;
const CALLERS: readonly Caller[] = ['none', 'otherAgency', 'sameAgency', 'agencyAdmin', 'platformAdmin'];

const row = (none: Outcome, otherAgency: Outcome, sameAgency: Outcome, agencyAdmin: Outcome, platformAdmin: Outcome): Row => ({ none, otherAgency, sameAgency, agencyAdmin, platformAdmin });
const PUBLIC = row('ok', 'ok', 'ok', 'ok', 'ok');
const ANY_AGENCY = row(401, 'ok', 'ok', 'ok', 'ok');
const PLATFORM_ONLY = row(401, 403, 403, 403, 'ok');
const AGENCY_ADMIN = row(401, 403, 403, 'ok', 'ok');
/** Ops: any admin, each within its own agency. */
const ANY_ADMIN = row(401, 'ok', 403, 'ok', 'ok');
/** Ops: an account of MoM, which an admin of another agency may not learn exists. */
const MOM_ACCOUNT = row(401, 404, 403, 'ok', 'ok');

/** Infrastructure every service answers alike (health, metrics, OpenAPI). */
const COMMON: Record<string, Row> = {
  'GET /health/live': PUBLIC,
  'GET /health/ready': PUBLIC,
  'GET /metrics': PUBLIC,
};

/** The OpenAPI description and Swagger UI (open in development mode, as the tests run). */
const DOCS: Record<string, Row> = {
  'GET /docs': PUBLIC,
  'GET /docs-json': PUBLIC,
  'GET /docs-yaml': PUBLIC,
  'GET /docs/LICENSE': PUBLIC,
  'GET /docs/docs/swagger-ui-init.js': PUBLIC,
  'GET /docs/index.html': PUBLIC,
  'GET /docs/swagger-ui-init.js': PUBLIC,
  'GET /docs/*': PUBLIC,
};

const GATEWAY: Record<string, Row> = {
  ...COMMON,
  ...DOCS,
  'POST /v1/events': ANY_AGENCY,
  'POST /v1/events/batch': ANY_AGENCY,
  'GET /v1/events/:id': row(401, 404, 404, 404, 404),
  'GET /v1/events/:id/deliveries': row(401, 404, 404, 404, 404),
  'GET /v1/transactions/:id': row(401, 404, 404, 404, 404),
  'POST /v1/subscriptions': ANY_AGENCY,
  'GET /v1/subscriptions': ANY_AGENCY,
  'GET /v1/subscriptions/:id': row(401, 404, 404, 404, 404),
  'DELETE /v1/subscriptions/:id': row(401, 404, 404, 404, 404),
  'POST /v1/subscriptions/:id/enable': row(401, 404, 404, 404, 404),
  'POST /v1/subscriptions/:id/rotate-secret': row(401, 404, 404, 404, 404),
  'GET /v1/grants': ANY_AGENCY,
  'POST /v1/grants': ANY_AGENCY,
  'DELETE /v1/grants': ANY_AGENCY,
  'GET /v1/admin/agencies': AGENCY_ADMIN,
  'POST /v1/admin/agencies': PLATFORM_ONLY,
  'PATCH /v1/admin/agencies/:code': PLATFORM_ONLY,
  'POST /v1/admin/agencies/:code/keys': AGENCY_ADMIN,
  'GET /v1/admin/agencies/:code/keys': AGENCY_ADMIN,
  'DELETE /v1/admin/keys/:keyId': AGENCY_ADMIN,
};

const REGISTRY: Record<string, Row> = {
  ...COMMON,
  'GET /': ANY_AGENCY,
  'GET /subjects': ANY_AGENCY,
  'GET /schemas/types': ANY_AGENCY,
  'GET /schemas/ids/:id': ANY_AGENCY,
  'GET /schemas/ids/:id/schema': ANY_AGENCY,
  'GET /schemas/ids/:id/subjects': ANY_AGENCY,
  'GET /schemas/ids/:id/versions': ANY_AGENCY,
  'GET /subjects/:subject/versions': ANY_AGENCY,
  'GET /subjects/:subject/versions/:version': ANY_AGENCY,
  'GET /subjects/:subject/versions/:version/schema': ANY_AGENCY,
  'GET /subjects/:subject/versions/:version/referencedby': ANY_AGENCY,
  'POST /subjects/:subject': ANY_AGENCY,
  'POST /subjects/:subject/versions': row(401, 403, 'ok', 'ok', 'ok'),
  'DELETE /subjects/:subject': row(401, 403, 'ok', 'ok', 'ok'),
  'DELETE /subjects/:subject/versions/:version': row(401, 403, 'ok', 'ok', 'ok'),
  'POST /compatibility/subjects/:subject/versions': ANY_AGENCY,
  'POST /compatibility/subjects/:subject/versions/:version': ANY_AGENCY,
  'GET /config': ANY_AGENCY,
  'PUT /config': PLATFORM_ONLY,
  'DELETE /config': PLATFORM_ONLY,
  'GET /config/:subject': ANY_AGENCY,
  'PUT /config/:subject': row(401, 403, 'ok', 'ok', 'ok'),
  'DELETE /config/:subject': row(401, 403, 'ok', 'ok', 'ok'),
  'GET /mode': ANY_AGENCY,
  'PUT /mode': PLATFORM_ONLY,
  'GET /mode/:subject': ANY_AGENCY,
  'PUT /mode/:subject': row(401, 403, 'ok', 'ok', 'ok'),
  'DELETE /mode/:subject': row(401, 403, 'ok', 'ok', 'ok'),
};

// For ops, "another agency" is an admin bound to ROP, the "same agency" a viewer of MoM, the
// "agency admin" an admin bound to MoM, the "platform admin" an admin bound to no agency. An
// admin of another agency reaches its own agency's accounts and records only: MoM's are hidden.
const OPS: Record<string, Row> = {
  ...COMMON,
  ...DOCS,
  'POST /v1/session': PUBLIC,
  'GET /v1/session': ANY_AGENCY,
  'DELETE /v1/session': ANY_AGENCY,
  'GET /v1/dashboard': ANY_AGENCY,
  'GET /v1/dead-letters': ANY_AGENCY,
  'GET /v1/dead-letters/:id': row(401, 404, 404, 404, 404),
  'POST /v1/dead-letters/:id/replay': row(401, 'ok', 403, 'ok', 'ok'),
  'POST /v1/dead-letters/:id/discard': row(401, 'ok', 403, 'ok', 'ok'),
  'GET /v1/replays': ANY_AGENCY,
  'GET /v1/replays/:id': row(401, 404, 404, 404, 404),
  'POST /v1/replays': row(401, 'ok', 403, 'ok', 'ok'),
  'GET /v1/events/:id': row(401, 404, 404, 404, 404),
  'GET /v1/transactions': ANY_AGENCY,
  'GET /v1/transactions/:id': row(401, 404, 404, 404, 404),
  'GET /v1/agencies': ANY_AGENCY,
  'GET /v1/schemas': ANY_AGENCY,
  'GET /v1/schemas/:subject/versions': ANY_AGENCY,
  'GET /v1/subscriptions': ANY_AGENCY,
  // Every account reads it; an agency account gets its own agency's keys only (apps/ops/test/expiring-keys.int-spec.ts).
  'GET /v1/api-keys/expiring': ANY_AGENCY,
  'GET /v1/audit': ANY_ADMIN,
  'POST /v1/audit/verify': PLATFORM_ONLY,
  'GET /v1/operators': ANY_ADMIN,
  // The body names no agency, so it asks for a Rabt-wide account: only a Rabt-wide admin may.
  'POST /v1/operators': PLATFORM_ONLY,
  'POST /v1/operators/:username/unlock': MOM_ACCOUNT,
  'POST /v1/operators/:username/disable': MOM_ACCOUNT,
  'POST /v1/operators/:username/enable': MOM_ACCOUNT,
  'POST /v1/operators/:username/revoke-sessions': MOM_ACCOUNT,
  // Agency certificates are credentials Rabt vouches for: Rabt-wide admins only, even for an
  // admin's own agency.
  'GET /v1/agencies/:code/certificates': PLATFORM_ONLY,
  'POST /v1/agencies/:code/certificates': PLATFORM_ONLY,
  'POST /v1/agency-certificates/:id/revoke': PLATFORM_ONLY,
};

/** Values for path parameters: things of MoM, the same agency. */
function fillPath(url: string, values: Record<string, string>): string {
  return url
    .replace(/\*$/, 'index.html')
    .replace(/:(\w+)/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`no value for path parameter :${name} in ${url}; add one to the test`);
      return encodeURIComponent(value);
    });
}

function routesFromLog(output: string, service: string): string[] {
  for (const line of output.split('\n')) {
    if (!line.includes('"routes"')) continue;
    const routes = (JSON.parse(line) as { routes?: string[] }).routes;
    if (routes) return [...new Set(routes.map((r) => r.replace(/([^ ])\/$/, '$1')))].sort();
  }
  throw new Error(`${service} logged no route table:\n${output.slice(0, 3000)}`);
}

interface Service {
  readonly name: string;
  readonly process: ServiceProcess;
  readonly table: Record<string, Row>;
  readonly credentials: Record<Caller, Record<string, string>>;
  /** The body sent with every POST, PUT and PATCH. */
  readonly body: string;
}

let database: ThrowawayDatabase;
let db: DataSource;
const services: Service[] = [];
const params: Record<string, string> = {};
let pki = '';

beforeAll(async () => {
  database = await createThrowawayDatabase('rabt_matrix_test');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'matrix-test');
  db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'matrix-test');
  await db.initialize();
  await seedAgencies(db);
  const key = async (agency: string, roles: ('admin' | 'integrator')[] = []) => await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, agency, 'matrix', roles);
  const basic = (agency: string, token: string) => ({ authorization: `Basic ${Buffer.from(`${agency}:${token}`).toString('base64')}` });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const mom = await key('mom');
  const momAdmin = await key('mom', ['admin']);
  const rop = await key('rop');
  const platform = await key('ita', ['admin', 'integrator']);
  const victim = await key('mom');
  params['keyId'] = victim.keyId;
  params['code'] = 'mom';
  params['id'] = randomUUID();
  params['subject'] = 'mom.employee.left-work-reported-value';
  params['version'] = '1';
  params['username'] = 'mom-victim';

  const registry = await startBuiltService('schema-registry', { DATABASE_URL: serviceDatabaseUrl(database.url, 'schema-registry'), LOG_LEVEL: 'info' }, 'SCHEMA_REGISTRY_PORT');
  await registerCatalogueSchemas(registry.url, { username: 'ita', password: platform.token });
  const gateway = await startBuiltService(
    'gateway',
    { DATABASE_URL: serviceDatabaseUrl(database.url, 'gateway'), KAFKA_BROKERS: testStack.kafkaBrokers, SCHEMA_REGISTRY_URL: registry.url, SCHEMA_REGISTRY_USERNAME: 'ita', SCHEMA_REGISTRY_PASSWORD: platform.token, LOG_LEVEL: 'info' },
    'GATEWAY_PORT',
  );
  const agencyCredentials = (auth: (agency: string, token: string) => Record<string, string>): Record<Caller, Record<string, string>> => ({
    none: {},
    otherAgency: auth('rop', rop.token),
    sameAgency: auth('mom', mom.token),
    agencyAdmin: auth('mom', momAdmin.token),
    platformAdmin: auth('ita', platform.token),
  });
  services.push({ name: 'gateway', process: gateway, table: GATEWAY, credentials: agencyCredentials((_, token) => bearer(token)), body: '{}' });
  services.push({ name: 'schema-registry', process: registry, table: REGISTRY, credentials: agencyCredentials(basic), body: '{}' });

  const password = 'correct horse battery staple';
  for (const [username, role, agency] of [
    ['rop-admin', 'admin', 'rop'],
    ['mom-viewer', 'viewer', 'mom'],
    ['mom-victim', 'viewer', 'mom'],
    ['mom-admin', 'admin', 'mom'],
    ['platform-admin', 'admin', undefined],
  ] as const) {
    await createOperator(db.manager, { username, role, password, ...(agency ? { agency } : {}) });
  }
  // Rabt's CA, so that a Rabt-wide admin really issues an agency certificate.
  pki = mkdtempSync(join(tmpdir(), 'rabt-matrix-pki-'));
  const ca = await createCa();
  writeFileSync(join(pki, 'ca.crt'), ca.certPem);
  writeFileSync(join(pki, 'ca.key'), ca.keyPem, { mode: 0o600 });
  const ops = await startBuiltService('ops', { DATABASE_URL: serviceDatabaseUrl(database.url, 'ops'), OPS_CONSOLE_DIR: '/nonexistent', LOG_LEVEL: 'info', RABT_PKI_DIR: pki, ...kafkaAdminEnv() }, 'OPS_PORT');
  const session = async (username: string) => {
    const res = await fetch(`${ops.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    if (res.status !== 200 || !cookie) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
    return { cookie };
  };
  services.push({
    name: 'ops',
    process: ops,
    table: OPS,
    // Every operator action needs a reason: with one, a refusal is about who asks, not what is missing.
    body: JSON.stringify({ reason: 'authorisation matrix' }),
    credentials: { none: {}, otherAgency: await session('rop-admin'), sameAgency: await session('mom-viewer'), agencyAdmin: await session('mom-admin'), platformAdmin: await session('platform-admin') },
  });
}, 180_000);

afterAll(async () => {
  for (const s of services) await s.process.stop();
  if (pki) rmSync(pki, { recursive: true, force: true });
  await db?.destroy();
  await database?.drop();
});

describe('the authorisation matrix over every route of gateway, schema registry and ops', () => {
  it('has a decided row for every route each service registers, and no row for a route that is gone', () => {
    const undecided: string[] = [];
    const stale: string[] = [];
    for (const s of services) {
      const routes = routesFromLog(s.process.output(), s.name);
      undecided.push(...routes.filter((r) => !s.table[r]).map((r) => `${s.name} ${r}`));
      stale.push(...Object.keys(s.table).filter((r) => !routes.includes(r)).map((r) => `${s.name} ${r}`));
    }
    expect(undecided, 'routes with no row in the table').toEqual([]);
    expect(stale, 'rows for routes the service does not have').toEqual([]);
  });

  it('answers each (route, caller) as the table decides, and never 5xx', async () => {
    const mismatches: string[] = [];
    for (const s of services) {
      // Reads first, deletions last, signing out at the very end (or the callers after it would
      // have no session).
      const rank = (r: string) => (r === 'DELETE /v1/session' ? 3 : r.startsWith('DELETE ') ? 2 : r.startsWith('GET ') ? 0 : 1);
      const routes = routesFromLog(s.process.output(), s.name).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
      for (const route of routes) {
        const expected = s.table[route];
        if (!expected) continue; // the test above names it
        const [method, url] = route.split(' ') as [string, string];
        for (const caller of CALLERS) {
          const hasBody = !['GET', 'DELETE'].includes(method);
          const res = await fetch(`${s.process.url}${fillPath(url, params)}`, {
            method,
            headers: { ...s.credentials[caller], ...(hasBody ? { 'content-type': 'application/json' } : {}) },
            ...(hasBody ? { body: s.body } : {}),
            redirect: 'manual',
          });
          const body = await res.text();
          const want = expected[caller];
          const met = res.status < 500 && (want === 'ok' ? res.status !== 401 && res.status !== 403 : res.status === want);
          if (!met) mismatches.push(`${s.name} ${route} as ${caller}: expected ${want}, got ${res.status} ${body.slice(0, 200)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);
});
