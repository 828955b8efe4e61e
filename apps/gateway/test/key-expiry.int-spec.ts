import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_PEPPER } from '@rabt/auth';
import { get, type Answer } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

// API keys with an expiry and under versioned peppers, over the gateway's admin API: an expired
// key, or one under a pepper that is not listed, gets exactly the 401 of a revoked key.
let gw: GatewayHarness;
const NEW_PEPPER = 'a-second-pepper-of-at-least-thirty-two-characters';

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

const issue = (body: Record<string, unknown>) => api('POST', '/v1/admin/agencies/mom/keys', gw.keys.ita, { label: 'expiry test', ...body });
const keyRows = () => gw.db.query(`SELECT id, expires_at, pepper_version FROM agency_api_key ORDER BY id`);
/** A 401 as the caller sees it, without what differs per request. */
const unauthenticated = (res: Answer) => {
  expect(res.status).toBe(401);
  const { instance: _i, traceId: _t, ...rest } = res.body as Record<string, unknown>;
  return { ...rest, wwwAuthenticate: res.headers.get('www-authenticate'), contentType: res.headers.get('content-type') };
};

describe('API key expiry', () => {
  it('takes an expiry as a duration or an ISO-8601 time, answers and lists it', async () => {
    const before = Date.now();
    const byDuration = await issue({ expires: '90d' });
    expect(byDuration.status, JSON.stringify(byDuration.body)).toBe(201);
    const at = new Date(byDuration.body.expiresAt as string).getTime();
    expect(at).toBeGreaterThanOrEqual(before + 90 * 86_400_000);
    expect(at).toBeLessThan(Date.now() + 90 * 86_400_000 + 1000);
    const byTime = await issue({ expires: new Date(Date.now() + 86_400_000).toISOString() });
    expect(byTime.status).toBe(201);
    const listed = (await api('GET', '/v1/admin/agencies/mom/keys', gw.keys.ita)).body.keys as { id: string; expiresAt: string | null }[];
    expect(listed.find((k) => k.id === byDuration.body.keyId)?.expiresAt).toBe(byDuration.body.expiresAt);
    expect((await get(`${gw.url}/v1/grants`, byDuration.body.token as string)).status).toBe(200);
  });

  it.each([
    ['a past time', { expires: '2020-01-01T00:00:00Z' }, 'must be in the future'],
    ['beyond RABT_API_KEY_MAX_TTL_DAYS', { expires: '398d' }, 'must be at most 397 days from now'],
    ['no time or duration', { expires: 'next tuesday' }, 'must be an ISO-8601 time with a zone'],
    ['a local time without zone', { expires: '2027-01-01T00:00:00' }, 'must be an ISO-8601 time with a zone'],
    ['not a string', { expires: 90 }, 'must be a string'],
    ['a duration beyond any date', { expires: `${'9'.repeat(60)}d` }, 'must be an ISO-8601 time with a zone'],
  ])('refuses %s with 400 INVALID_KEY, storing nothing', async (_what, body, message) => {
    const before = await keyRows();
    const res = await issue(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'INVALID_KEY', errors: [{ path: 'expires', message: expect.stringContaining(message) }] });
    expect(await keyRows()).toEqual(before);
  });

  it('an expired key gets exactly the 401 of a revoked key, at its expiry even after a cached check', async () => {
    const revoked = await issue({});
    await api('DELETE', `/v1/admin/keys/${revoked.body.keyId as string}`, gw.keys.ita);
    const revokedAnswer = unauthenticated(await get(`${gw.url}/v1/grants`, revoked.body.token as string));

    const short = await issue({ expires: '2s' });
    expect(short.status).toBe(201);
    const token = short.body.token as string;
    expect((await get(`${gw.url}/v1/grants`, token)).status).toBe(200); // now cached
    const wait = new Date(short.body.expiresAt as string).getTime() - Date.now() + 50;
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    expect(unauthenticated(await get(`${gw.url}/v1/grants`, token))).toEqual(revokedAnswer);

    // expired elsewhere (another instance, the CLI, the database): refused within the 5 s cache, like a revocation
    const other = await issue({ expires: '30d' });
    const otherToken = other.body.token as string;
    expect((await get(`${gw.url}/v1/grants`, otherToken)).status).toBe(200);
    await gw.db.query(`UPDATE agency_api_key SET expires_at = now() - interval '1 second' WHERE id = $1`, [other.body.keyId]);
    await new Promise((r) => setTimeout(r, 5_100));
    expect(unauthenticated(await get(`${gw.url}/v1/grants`, otherToken))).toEqual(revokedAnswer);
  }, 30_000);

  it('exports the keys expiring soon per agency on /metrics, never a key id or a secret', async () => {
    const soon = await issue({ expires: '3d' });
    const res = await fetch(`${gw.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/^rabt_api_keys_expiring\{[^}]*agency="mom"[^}]*\} [1-9]\d*$/m);
    const soonest = /^rabt_api_key_soonest_expiry_seconds\{[^}]*agency="mom"[^}]*\} (\d+)$/m.exec(text);
    expect(Number(soonest?.[1])).toBeGreaterThan(0);
    expect(Number(soonest?.[1])).toBeLessThanOrEqual(3 * 86_400);
    expect(text).not.toContain(soon.body.keyId as string);
    expect(text).not.toContain(soon.body.token as string);
  });
});

describe('versioned API-key peppers', () => {
  it('new keys hash under the newest pepper; old ones keep working while their pepper is listed, and are refused (401) once it is not', async () => {
    const old = await issue({});
    await gw.restart({ RABT_API_KEY_PEPPERS: `1:${DEVELOPMENT_PEPPER},2:${NEW_PEPPER}` });
    const fresh = await issue({ label: 'under pepper 2', roles: [] });
    expect(fresh.status).toBe(201);
    const [row] = (await gw.db.query(`SELECT pepper_version FROM agency_api_key WHERE id = $1`, [fresh.body.keyId])) as { pepper_version: number }[];
    expect(row!.pepper_version).toBe(2);
    expect((await get(`${gw.url}/v1/grants`, old.body.token as string)).status).toBe(200);
    expect((await get(`${gw.url}/v1/grants`, fresh.body.token as string)).status).toBe(200);

    await gw.restart({ RABT_API_KEY_PEPPERS: `2:${NEW_PEPPER}` });
    expect((await get(`${gw.url}/v1/grants`, fresh.body.token as string)).status).toBe(200);
    const refused = await get(`${gw.url}/v1/grants`, old.body.token as string);
    const unknown = await get(`${gw.url}/v1/grants`, `rabt_${'0'.repeat(32)}_${'A'.repeat(43)}`);
    expect(unauthenticated(refused)).toEqual(unauthenticated(unknown));
  }, 60_000);
});
