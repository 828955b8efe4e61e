import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKey } from '@rabt/auth';
import { ABSCONDING, cloudEvent, fixture, post, REPORTED, type Answer } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

// The agency registry over HTTP: admin keys manage agencies and keys, type owners (or admins)
// manage grants. Every refusal is problem+json with a stable code and changes nothing.
let gw: GatewayHarness;
const issuedTokens: string[] = [];

beforeAll(async () => {
  gw = await startGateway();
});
afterAll(async () => {
  await gw?.close();
});

async function api(method: string, path: string, key: string | undefined, body?: unknown): Promise<Answer> {
  const res = await fetch(`${gw.url}${path}`, {
    method,
    headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

function expectProblem(res: Answer, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: `https://rabt.gov.om/problems/${code.toLowerCase().replace(/_/g, '-')}`, title: expect.any(String), detail: expect.any(String) });
}

/** Everything the registry holds, to prove that a refused call changed nothing. */
async function registryState(): Promise<unknown> {
  return {
    agencies: await gw.db.query(`SELECT code, name_en, name_ar, status, rate_per_second, rate_burst FROM agency ORDER BY code`),
    keys: await gw.db.query(`SELECT id, label, roles, revoked_at FROM agency_api_key ORDER BY id`),
    grants: await gw.db.query(`SELECT agency_code, event_type, permission, granted_by FROM agency_grant ORDER BY 1, 2, 3`),
  };
}

async function issue(agency: string, body: unknown = { label: 'test key' }): Promise<{ keyId: string; token: string }> {
  const res = await api('POST', `/v1/admin/agencies/${agency}/keys`, gw.keys.ita, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  issuedTokens.push(res.body.token);
  return res.body;
}

const publish = (key: string, agency = 'mom') => post(`${gw.url}/v1/events`, key, cloudEvent(agency, REPORTED, fixture(REPORTED, 'ok')));
const KEY_ID = '3f2b8c1e-0a4d-4e7f-9b21-5c6d7e8f9a0b';
const ADMIN_CALLS: [string, string, unknown?][] = [
  ['POST', '/v1/admin/agencies', { code: 'mol', nameEn: 'Ministry of Labour', nameAr: 'وزارة العمل' }],
  ['GET', '/v1/admin/agencies'],
  ['PATCH', '/v1/admin/agencies/rop', { status: 'suspended' }],
  ['POST', '/v1/admin/agencies/mom/keys', { label: 'sneaky', roles: ['admin'] }],
  ['GET', '/v1/admin/agencies/mom/keys'],
  ['DELETE', `/v1/admin/keys/${KEY_ID}`],
];

describe('who may manage the registry', () => {
  it.each(ADMIN_CALLS)('%s %s without a key → 401 UNAUTHENTICATED', async (method, path, body) => {
    expectProblem(await api(method, path, undefined, body), 401, 'UNAUTHENTICATED');
  });

  it('a plain agency key gets 403 ADMIN_ONLY on every admin endpoint and changes nothing', async () => {
    const { keyId } = await issue('mom');
    const before = await registryState();
    for (const [method, path, body] of [...ADMIN_CALLS, ['DELETE', `/v1/admin/keys/${keyId}`] as [string, string]]) {
      for (const key of [gw.keys.mom, gw.keys.rop]) expectProblem(await api(method, path, key, body), 403, 'ADMIN_ONLY');
    }
    expect(await registryState()).toEqual(before);
  });

  it('an integrator key is not an admin key; an issued admin key is', async () => {
    const integrator = await issue('ita', { label: 'ci', roles: ['integrator'] });
    expectProblem(await api('GET', '/v1/admin/agencies', integrator.token), 403, 'ADMIN_ONLY');
    const admin = await issue('ita', { label: 'second admin', roles: ['admin', 'admin'] });
    expect((await api('GET', '/v1/admin/agencies', admin.token)).status).toBe(200);
    const listed = (await api('GET', '/v1/admin/agencies/ita/keys', admin.token)).body.keys as { id: string; roles: string[] }[];
    expect(listed.find((k) => k.id === admin.keyId)!.roles).toEqual(['admin']);
  });
});

describe('agencies', () => {
  it('POST registers an agency (201), active with default limits; GET lists every agency by code', async () => {
    const res = await api('POST', '/v1/admin/agencies', gw.keys.ita, { code: 'mol', nameEn: ' Ministry of Labour ', nameAr: 'وزارة العمل' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ code: 'mol', nameEn: 'Ministry of Labour', nameAr: 'وزارة العمل', status: 'active', ratePerSecond: null, rateBurst: null });
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();
    const list = await api('GET', '/v1/admin/agencies', gw.keys.ita);
    expect(list.status).toBe(200);
    expect(list.body.agencies.map((a: { code: string }) => a.code)).toEqual(['epay', 'ita', 'mm', 'moci', 'moh', 'mol', 'mom', 'rop']);
  });

  it('refuses a code that exists (409 AGENCY_EXISTS) and bad bodies (400 INVALID_AGENCY, naming each field), changing nothing', async () => {
    const before = await registryState();
    expectProblem(await api('POST', '/v1/admin/agencies', gw.keys.ita, { code: 'mom', nameEn: 'Other', nameAr: 'أخرى' }), 409, 'AGENCY_EXISTS');
    const bad = await api('POST', '/v1/admin/agencies', gw.keys.ita, { code: 'Bad-Code', nameEn: '', nameAr: 'Latin only' });
    expectProblem(bad, 400, 'INVALID_AGENCY');
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['code', 'nameEn', 'nameAr']);
    for (const body of [{ code: 'mol2' }, { code: 'mol2', nameEn: 'x', nameAr: 'س', status: 'active' }, ['mol2'], 'mol2']) {
      expectProblem(await api('POST', '/v1/admin/agencies', gw.keys.ita, body), 400, 'INVALID_AGENCY');
    }
    expectProblem(await api('POST', '/v1/admin/agencies', gw.keys.ita), 400, 'INVALID_AGENCY');
    expect(await registryState()).toEqual(before);
  });

  it('PATCH renames and sets rate limits; null returns to the default', async () => {
    const res = await api('PATCH', '/v1/admin/agencies/mol', gw.keys.ita, { nameEn: 'Ministry of Labour (MoL)', ratePerSecond: 50, rateBurst: 100 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ code: 'mol', nameEn: 'Ministry of Labour (MoL)', nameAr: 'وزارة العمل', ratePerSecond: 50, rateBurst: 100 });
    expect((await api('PATCH', '/v1/admin/agencies/mol', gw.keys.ita, { rateBurst: null })).body).toMatchObject({ ratePerSecond: 50, rateBurst: null });
  });

  it('PATCH refuses unknown agencies (404 AGENCY_NOT_FOUND) and bad changes (400 INVALID_AGENCY)', async () => {
    const before = await registryState();
    expectProblem(await api('PATCH', '/v1/admin/agencies/nobody', gw.keys.ita, { status: 'suspended' }), 404, 'AGENCY_NOT_FOUND');
    expectProblem(await api('PATCH', '/v1/admin/agencies/MOM', gw.keys.ita, { status: 'suspended' }), 400, 'INVALID_AGENCY');
    for (const body of [{}, { status: 'deleted' }, { ratePerSecond: 0 }, { rateBurst: 1.5 }, { code: 'mom2' }]) {
      expectProblem(await api('PATCH', '/v1/admin/agencies/mom', gw.keys.ita, body), 400, 'INVALID_AGENCY');
    }
    expect(await registryState()).toEqual(before);
  });

  it("suspending an agency stops its keys authenticating; activating brings them back", async () => {
    const { token } = await issue('mol');
    expect((await api('GET', '/v1/grants', token)).status).toBe(200);
    expect((await api('PATCH', '/v1/admin/agencies/mol', gw.keys.ita, { status: 'suspended' })).body.status).toBe('suspended');
    expectProblem(await api('GET', '/v1/grants', token), 401, 'UNAUTHENTICATED');
    await gw.restart(); // also on a fresh instance, without any cache
    expectProblem(await api('GET', '/v1/grants', token), 401, 'UNAUTHENTICATED');
    expect((await api('PATCH', '/v1/admin/agencies/mol', gw.keys.ita, { status: 'active' })).body.status).toBe('active');
    expect((await api('GET', '/v1/grants', token)).status).toBe(200);
  });
});

describe('keys', () => {
  it('an issued key publishes, keeps working beside the agency\'s other keys, and stops at once when revoked', async () => {
    const { keyId, token } = await issue('mom', { label: 'rotation 2026' });
    expect(parseApiKey(token)?.keyId).toBe(keyId);
    expect((await publish(token)).status).toBe(202);
    expect((await publish(gw.keys.mom)).status).toBe(202); // several active keys: rotation without downtime

    expect((await api('DELETE', `/v1/admin/keys/${keyId}`, gw.keys.ita)).status).toBe(204);
    expectProblem(await publish(token), 401, 'UNAUTHENTICATED');
    expect((await publish(gw.keys.mom)).status).toBe(202);
    await gw.restart();
    expectProblem(await publish(token), 401, 'UNAUTHENTICATED');

    const listed = (await api('GET', '/v1/admin/agencies/mom/keys', gw.keys.ita)).body.keys as { id: string; label: string; revokedAt: string | null }[];
    const revoked = listed.find((k) => k.id === keyId)!;
    expect(revoked).toMatchObject({ label: 'rotation 2026', revokedAt: expect.any(String) });
    expect((await api('DELETE', `/v1/admin/keys/${keyId.replace(/-/g, '')}`, gw.keys.ita)).status).toBe(204); // again: nothing changes
    const again = (await api('GET', '/v1/admin/agencies/mom/keys', gw.keys.ita)).body.keys as { id: string; revokedAt: string }[];
    expect(again.find((k) => k.id === keyId)!.revokedAt).toBe(revoked.revokedAt);
    // issued and revoked once each in the audit log, by the admin agency, never with the token
    const audited = (await gw.db.query(`SELECT actor, action, details FROM audit_record WHERE subject = $1 ORDER BY id`, [`key:${keyId}`])) as unknown[];
    expect(audited).toEqual([
      { actor: 'agency:ita', action: 'agency.key-issued', details: { agency: 'mom', label: 'rotation 2026', roles: [], pepperVersion: 1, expiresAt: null } },
      { actor: 'agency:ita', action: 'agency.key-revoked', details: { agency: 'mom', label: 'rotation 2026' } },
    ]);
  });

  it('GET lists id, agency, label, roles, createdAt, revokedAt and expiresAt of every key, oldest first', async () => {
    const res = await api('GET', '/v1/admin/agencies/mom/keys', gw.keys.ita);
    expect(res.status).toBe(200);
    const keys = res.body.keys as Record<string, unknown>[];
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const key of keys) expect(Object.keys(key).sort()).toEqual(['agency', 'createdAt', 'expiresAt', 'id', 'label', 'revokedAt', 'roles']);
    expect(keys.map((k) => k['createdAt'] as string)).toEqual(keys.map((k) => k['createdAt'] as string).sort());
  });

  it('refuses bad key requests, unknown agencies and unknown keys, changing nothing', async () => {
    const before = await registryState();
    for (const body of [{}, { label: '' }, { label: 'x', roles: ['root'] }, { label: 'x', roles: 'admin' }, { label: 'x'.repeat(101) }]) {
      expectProblem(await api('POST', '/v1/admin/agencies/mom/keys', gw.keys.ita, body), 400, 'INVALID_KEY');
    }
    expectProblem(await api('POST', '/v1/admin/agencies/nobody/keys', gw.keys.ita, { label: 'x' }), 404, 'AGENCY_NOT_FOUND');
    expectProblem(await api('POST', '/v1/admin/agencies/NOBODY/keys', gw.keys.ita, { label: 'x' }), 400, 'INVALID_AGENCY');
    expectProblem(await api('GET', '/v1/admin/agencies/nobody/keys', gw.keys.ita), 404, 'AGENCY_NOT_FOUND');
    expectProblem(await api('DELETE', `/v1/admin/keys/${KEY_ID}`, gw.keys.ita), 404, 'KEY_NOT_FOUND');
    expectProblem(await api('DELETE', '/v1/admin/keys/not-a-key-id', gw.keys.ita), 400, 'INVALID_KEY');
    expect(await registryState()).toEqual(before);
  });
});

describe('grants', () => {
  const subscribeReported = { agency: 'rop', eventType: REPORTED, permission: 'subscribe' };

  it("mom grants rop subscribe on mom's own type (201, then 200 for the same grant)", async () => {
    const res = await api('POST', '/v1/grants', gw.keys.mom, subscribeReported);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ ...subscribeReported, grantedBy: 'mom', createdAt: expect.any(String) });
    const again = await api('POST', '/v1/grants', gw.keys.mom, subscribeReported);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
  });

  it("nobody but the owner or an admin changes a type's grants: 403 NOT_TYPE_OWNER, nothing changed", async () => {
    const before = await registryState();
    expectProblem(await api('POST', '/v1/grants', gw.keys.mom, { agency: 'rop', eventType: ABSCONDING, permission: 'subscribe' }), 403, 'NOT_TYPE_OWNER');
    expectProblem(await api('POST', '/v1/grants', gw.keys.rop, { agency: 'rop', eventType: REPORTED, permission: 'publish' }), 403, 'NOT_TYPE_OWNER');
    expectProblem(await api('POST', '/v1/grants', gw.keys.moci, { agency: 'moci', eventType: REPORTED, permission: 'subscribe' }), 403, 'NOT_TYPE_OWNER');
    expectProblem(await api('DELETE', '/v1/grants', gw.keys.rop, subscribeReported), 403, 'NOT_TYPE_OWNER');
    expect(await registryState()).toEqual(before);
  });

  it('an admin grants on any type, recorded as granted by the admin agency', async () => {
    const res = await api('POST', '/v1/grants', gw.keys.ita, { agency: 'moci', eventType: ABSCONDING, permission: 'subscribe' });
    expect(res.status).toBe(201);
    expect(res.body.grantedBy).toBe('ita');
  });

  it('an agency sees the grants it holds and those on its own types; an admin sees all; filters narrow', async () => {
    const seen = async (key: string, query = '') => {
      const res = await api('GET', `/v1/grants${query}`, key);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.grants as { agency: string; eventType: string }[]).map((g) => `${g.agency} ${g.eventType}`);
    };
    // Ordered by event type, then agency.
    expect(await seen(gw.keys.ita)).toEqual([`rop ${REPORTED}`, `moci ${ABSCONDING}`]);
    expect(await seen(gw.keys.rop)).toEqual([`rop ${REPORTED}`, `moci ${ABSCONDING}`]);
    expect(await seen(gw.keys.mom)).toEqual([`rop ${REPORTED}`]);
    expect(await seen(gw.keys.moci)).toEqual([`moci ${ABSCONDING}`]);
    expect(await seen(gw.keys.ita, '?agency=rop')).toEqual([`rop ${REPORTED}`]);
    expect(await seen(gw.keys.rop, `?eventType=${ABSCONDING}`)).toEqual([`moci ${ABSCONDING}`]);
    expect(await seen(gw.keys.moci, '?agency=rop')).toEqual([]);
  });

  it('refuses bad filters', async () => {
    expectProblem(await api('GET', '/v1/grants?eventType=mom.employee.teleported', gw.keys.mom), 404, 'UNKNOWN_EVENT_TYPE');
    expectProblem(await api('GET', '/v1/grants?agency=ROP', gw.keys.mom), 400, 'INVALID_GRANT');
    expectProblem(await api('GET', '/v1/grants?agency=nobody', gw.keys.mom), 404, 'AGENCY_NOT_FOUND');
    expectProblem(await api('GET', '/v1/grants?type=x', gw.keys.mom), 400, 'INVALID_GRANT');
  });

  it('refuses bad grants: INVALID_GRANT, UNKNOWN_EVENT_TYPE, AGENCY_NOT_FOUND, changing nothing', async () => {
    const before = await registryState();
    for (const body of [{ ...subscribeReported, permission: 'read' }, { agency: 'rop', eventType: REPORTED }, { ...subscribeReported, grantedBy: 'ita' }, { agency: 'mom', eventType: REPORTED, permission: 'publish' }]) {
      expectProblem(await api('POST', '/v1/grants', gw.keys.mom, body), 400, 'INVALID_GRANT');
    }
    expectProblem(await api('POST', '/v1/grants', gw.keys.mom, { ...subscribeReported, eventType: 'mom.employee.teleported' }), 404, 'UNKNOWN_EVENT_TYPE');
    expectProblem(await api('POST', '/v1/grants', gw.keys.mom, { ...subscribeReported, agency: 'nobody' }), 404, 'AGENCY_NOT_FOUND');
    expect(await registryState()).toEqual(before);
  });

  it('a publish grant takes effect at once, and so does taking it away (DELETE by query)', async () => {
    expectProblem(await publish(gw.keys.rop, 'rop'), 403, 'NOT_GRANTED');
    expect((await api('POST', '/v1/grants', gw.keys.mom, { agency: 'rop', eventType: REPORTED, permission: 'publish' })).status).toBe(201);
    expect((await publish(gw.keys.rop, 'rop')).status).toBe(202);
    const res = await api('DELETE', `/v1/grants?agency=rop&eventType=${REPORTED}&permission=publish`, gw.keys.mom);
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    expectProblem(await publish(gw.keys.rop, 'rop'), 403, 'NOT_GRANTED');
    const audited = (await gw.db.query(`SELECT actor, details->>'change' AS change FROM audit_record WHERE action = 'agency.grant-changed' AND subject = $1 ORDER BY id`, [
      `grant:rop/${REPORTED}/publish`,
    ])) as { actor: string; change: string }[];
    expect(audited.slice(-2)).toEqual([
      { actor: 'agency:mom', change: 'added' },
      { actor: 'agency:mom', change: 'removed' },
    ]);
  });

  it('DELETE with a body removes a grant (204); a grant that is not there → 404 GRANT_NOT_FOUND', async () => {
    expect((await api('DELETE', '/v1/grants', gw.keys.mom, subscribeReported)).status).toBe(204);
    expectProblem(await api('DELETE', '/v1/grants', gw.keys.mom, subscribeReported), 404, 'GRANT_NOT_FOUND');
    expectProblem(await api('DELETE', '/v1/grants', gw.keys.mom, { ...subscribeReported, permission: 'read' }), 400, 'INVALID_GRANT');
    expect(await gw.db.query(`SELECT 1 FROM agency_grant WHERE agency_code = 'rop'`)).toEqual([]);
  });
});

describe('secrets', () => {
  it('no list answer ever holds a token, a secret or a secret hash', async () => {
    const hashes = ((await gw.db.query(`SELECT secret_hash FROM agency_api_key`)) as { secret_hash: string }[]).map((r) => r.secret_hash);
    const secrets = [...issuedTokens, ...Object.values(gw.keys)].map((t) => parseApiKey(t)!.secret);
    expect(hashes.length).toBeGreaterThan(issuedTokens.length);
    const answers = [await api('GET', '/v1/admin/agencies', gw.keys.ita), await api('GET', '/v1/grants', gw.keys.ita)];
    for (const agency of ['mom', 'rop', 'moci', 'ita', 'mol']) answers.push(await api('GET', `/v1/admin/agencies/${agency}/keys`, gw.keys.ita));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const text = JSON.stringify(answer.body);
      expect(text).not.toMatch(/secret|hash|token/i);
      for (const s of [...secrets, ...hashes]) expect(text).not.toContain(s);
    }
  });
});

describe('OpenAPI', () => {
  it('documents every admin and grants endpoint at /docs-json', async () => {
    const doc = (await api('GET', '/docs-json', undefined)).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /v1/admin/agencies',
        'GET /v1/admin/agencies',
        'PATCH /v1/admin/agencies/{code}',
        'POST /v1/admin/agencies/{code}/keys',
        'GET /v1/admin/agencies/{code}/keys',
        'DELETE /v1/admin/keys/{keyId}',
        'GET /v1/grants',
        'POST /v1/grants',
        'DELETE /v1/grants',
      ]),
    );
  });
});
