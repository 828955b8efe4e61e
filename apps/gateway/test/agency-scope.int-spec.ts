// No agency acts as another: an admin key of an agency other than the operator (ita) manages only
// its own agency's keys, with roles it holds itself; it cannot register, change or suspend
// agencies, change grants on other agencies' types, or see or touch other agencies'
// subscriptions. Lookups of another agency's keys and subscriptions answer what an unknown id
// answers. Real gateway (in process), real Postgres, real schema registry and Kafka.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import { ABSCONDING, cloudEvent, fixture, post, REPORTED, type Answer } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

let gw: GatewayHarness;
let momAdmin: string;
let ropKeyId: string;
let ropSubscriptionId: string;

beforeAll(async () => {
  gw = await startGateway();
  momAdmin = (await issueAgencyKey(gw.db.manager, DEVELOPMENT_PEPPER, 'mom', 'mom admin', ['admin'])).token;
  ropKeyId = (await issueAgencyKey(gw.db.manager, DEVELOPMENT_PEPPER, 'rop', 'rop back office')).keyId;
  const sub = await api('POST', '/v1/subscriptions', gw.keys.rop, { eventType: ABSCONDING, inbox: true });
  expect(sub.status, JSON.stringify(sub.body)).toBe(201);
  ropSubscriptionId = sub.body.id;
  const grant = await api('POST', '/v1/grants', gw.keys.ita, { agency: 'moci', eventType: ABSCONDING, permission: 'subscribe' });
  expect(grant.status, JSON.stringify(grant.body)).toBe(201);
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
  expect(res.body).toMatchObject({ status, code });
}

/** Everything a refused call could have changed. */
async function state(): Promise<unknown> {
  return {
    agencies: await gw.db.query(`SELECT code, name_en, name_ar, status, rate_per_second, rate_burst FROM agency ORDER BY code`),
    keys: await gw.db.query(`SELECT id, agency_code, label, roles, revoked_at FROM agency_api_key ORDER BY id`),
    grants: await gw.db.query(`SELECT agency_code, event_type, permission, granted_by FROM agency_grant ORDER BY 1, 2, 3`),
    subscriptions: await gw.db.query(`SELECT id, agency_code, event_type, state, updated_at FROM subscription ORDER BY id`),
  };
}

describe("an agency's admin key acts for its own agency only", () => {
  it('cannot register, rename, suspend or rate-limit any agency (403 PLATFORM_ONLY), and changes nothing', async () => {
    const before = await state();
    expectProblem(await api('POST', '/v1/admin/agencies', momAdmin, { code: 'mol', nameEn: 'Ministry of Labour', nameAr: 'وزارة العمل' }), 403, 'PLATFORM_ONLY');
    expectProblem(await api('PATCH', '/v1/admin/agencies/rop', momAdmin, { status: 'suspended' }), 403, 'PLATFORM_ONLY');
    expectProblem(await api('PATCH', '/v1/admin/agencies/mom', momAdmin, { ratePerSecond: 100000, rateBurst: 100000 }), 403, 'PLATFORM_ONLY');
    expect(await state()).toEqual(before);
  });

  it('lists only its own agency', async () => {
    const res = await api('GET', '/v1/admin/agencies', momAdmin);
    expect(res.status).toBe(200);
    expect(res.body.agencies.map((a: { code: string }) => a.code)).toEqual(['mom']);
  });

  it("cannot mint or list another agency's keys (403 OTHER_AGENCY, the same for unknown agencies), changing nothing", async () => {
    const before = await state();
    for (const agency of ['rop', 'ita', 'nobody']) {
      const minted = await api('POST', `/v1/admin/agencies/${agency}/keys`, momAdmin, { label: 'sneaky', roles: ['admin'] });
      expectProblem(minted, 403, 'OTHER_AGENCY');
      expect(JSON.stringify(minted.body)).not.toContain('rabt_');
      expectProblem(await api('GET', `/v1/admin/agencies/${agency}/keys`, momAdmin), 403, 'OTHER_AGENCY');
    }
    expect(await state()).toEqual(before);
  });

  it('mints keys for its own agency, but not with a role it does not hold (403 ROLE_NOT_HELD)', async () => {
    const before = await state();
    expectProblem(await api('POST', '/v1/admin/agencies/mom/keys', momAdmin, { label: 'registry', roles: ['integrator'] }), 403, 'ROLE_NOT_HELD');
    expect(await state()).toEqual(before);
    const plain = await api('POST', '/v1/admin/agencies/mom/keys', momAdmin, { label: 'back office' });
    expect(plain.status, JSON.stringify(plain.body)).toBe(201);
    expect(plain.body.agency).toBe('mom');
    const admin = await api('POST', '/v1/admin/agencies/mom/keys', momAdmin, { label: 'second admin', roles: ['admin'] });
    expect(admin.status).toBe(201);
    const listed = await api('GET', '/v1/admin/agencies/mom/keys', momAdmin);
    expect(listed.status).toBe(200);
    expect(listed.body.keys.every((k: { agency: string }) => k.agency === 'mom')).toBe(true);
  });

  it("revoking another agency's key answers exactly what an unknown key answers (404 KEY_NOT_FOUND), and the key keeps working", async () => {
    const before = await state();
    const unknown = randomUUID();
    const other = await api('DELETE', `/v1/admin/keys/${ropKeyId}`, momAdmin);
    const missing = await api('DELETE', `/v1/admin/keys/${unknown}`, momAdmin);
    expectProblem(other, 404, 'KEY_NOT_FOUND');
    expectProblem(missing, 404, 'KEY_NOT_FOUND');
    expect(JSON.stringify(other.body).replaceAll(ropKeyId, '<id>')).toBe(JSON.stringify(missing.body).replaceAll(unknown, '<id>'));
    expect(await state()).toEqual(before);
    // The operator's admin key still revokes any key.
    expect((await api('DELETE', `/v1/admin/keys/${ropKeyId}`, gw.keys.ita)).status).toBe(204);
  });

  it('revokes its own keys', async () => {
    const own = await api('POST', '/v1/admin/agencies/mom/keys', momAdmin, { label: 'short-lived' });
    expect((await api('DELETE', `/v1/admin/keys/${own.body.keyId}`, momAdmin)).status).toBe(204);
    expect((await post(`${gw.url}/v1/events`, own.body.token, cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok')))).status).toBe(401);
  });
});

describe('grants: only the type owner or the operator', () => {
  it("an agency's admin key cannot grant or take away grants on another agency's type (403 NOT_TYPE_OWNER)", async () => {
    const before = await state();
    expectProblem(await api('POST', '/v1/grants', momAdmin, { agency: 'mom', eventType: ABSCONDING, permission: 'subscribe' }), 403, 'NOT_TYPE_OWNER');
    expectProblem(await api('DELETE', '/v1/grants', momAdmin, { agency: 'moci', eventType: ABSCONDING, permission: 'subscribe' }), 403, 'NOT_TYPE_OWNER');
    expect(await state()).toEqual(before);
  });

  it("an agency's admin key sees only the grants it holds and those on its own types", async () => {
    const res = await api('GET', '/v1/grants', momAdmin);
    expect(res.status).toBe(200);
    expect(res.body.grants.find((g: { agency: string; eventType: string }) => g.agency === 'moci' && g.eventType === ABSCONDING)).toBeUndefined();
  });
});

describe("subscriptions: another agency's do not exist for an agency's admin key", () => {
  it('cannot subscribe another agency (403 OTHER_AGENCY)', async () => {
    const before = await state();
    expectProblem(await api('POST', '/v1/subscriptions', momAdmin, { agency: 'rop', eventType: ABSCONDING, inbox: true }), 403, 'OTHER_AGENCY');
    expect(await state()).toEqual(before);
  });

  it('reads, rotates, enables and deletes answer 404 SUBSCRIPTION_NOT_FOUND, as for an unknown id; the list leaves it out', async () => {
    const before = await state();
    const unknown = randomUUID();
    const calls: [string, string][] = [
      ['GET', ''],
      ['POST', '/rotate-secret'],
      ['POST', '/enable'],
      ['DELETE', ''],
    ];
    for (const [method, suffix] of calls) {
      const other = await api(method, `/v1/subscriptions/${ropSubscriptionId}${suffix}`, momAdmin);
      const missing = await api(method, `/v1/subscriptions/${unknown}${suffix}`, momAdmin);
      expectProblem(other, 404, 'SUBSCRIPTION_NOT_FOUND');
      expect(JSON.stringify(other.body).replaceAll(ropSubscriptionId, '<id>')).toBe(JSON.stringify(missing.body).replaceAll(unknown, '<id>'));
    }
    const list = await api('GET', '/v1/subscriptions', momAdmin);
    expect(list.body.subscriptions.map((s: { agency: string }) => s.agency).filter((a: string) => a !== 'mom')).toEqual([]);
    expect(await state()).toEqual(before);
  });
});
