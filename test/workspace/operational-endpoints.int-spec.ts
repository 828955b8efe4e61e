// Who may read a built service's /metrics and /docs: closed by default outside development mode,
// opened by a token (bearer, or the password of HTTP Basic for the docs page) or explicitly.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startBuiltService, testStack, type ServiceProcess } from '@rabt/testing';

const running: ServiceProcess[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

const databaseUrl = (() => {
  const u = new URL(testStack.databaseUrl);
  u.username = 'postgres';
  u.password = randomBytes(12).toString('hex'); // the local server trusts local connections: any password works
  return u.toString();
})();
const production = { RABT_DEV_MODE: 'false', DATABASE_URL: databaseUrl, RABT_API_KEY_PEPPER: randomBytes(24).toString('base64url'), RABT_SECRET_KEY: randomBytes(32).toString('base64'), KAFKA_BROKERS: testStack.kafkaBrokers };
const TOKEN = randomBytes(24).toString('base64url');
const DOCS_TOKEN = randomBytes(24).toString('base64url');

async function gateway(env: Record<string, string>): Promise<string> {
  const service = await startBuiltService('gateway', env, 'GATEWAY_PORT');
  running.push(service);
  return service.url;
}
const get = async (url: string, authorization?: string) => {
  const res = await fetch(url, authorization ? { headers: { authorization } } : {});
  const text = await res.text();
  return { status: res.status, text, contentType: res.headers.get('content-type') ?? '', wwwAuthenticate: res.headers.get('www-authenticate') };
};
const basic = (password: string) => `Basic ${Buffer.from(`reader:${password}`).toString('base64')}`;

describe('/metrics and /docs outside development mode', () => {
  it('are closed by default: /metrics 403 ENDPOINT_CLOSED, /docs 404, health still answers', async () => {
    const url = await gateway(production);
    const metrics = await get(`${url}/metrics`);
    expect(metrics.status).toBe(403);
    expect(metrics.contentType).toContain('application/problem+json');
    expect(JSON.parse(metrics.text)).toMatchObject({ code: 'ENDPOINT_CLOSED', status: 403 });
    expect((await get(`${url}/metrics`, `Bearer ${TOKEN}`)).status).toBe(403);
    for (const path of ['/docs', '/docs/', '/docs-json', '/docs/static/index.html', '/%64ocs-json', '/docs%2Djson']) expect((await get(url + path)).status, path).toBe(404);
    // Percent-encoded spellings reach the same routes, and the same refusal.
    for (const path of ['/%6detrics', '/%6Detrics', '/metric%73']) expect((await get(url + path)).status, path).toBe(403);
    expect((await get(`${url}/health/ready`)).status).toBe(200);
  });

  it('with tokens, want them: bearer for /metrics, bearer or Basic password for /docs', async () => {
    const url = await gateway({ ...production, METRICS_AUTH_TOKEN: TOKEN, DOCS_AUTH_TOKEN: DOCS_TOKEN });
    const anonymous = await get(`${url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text)).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(anonymous.wwwAuthenticate).toMatch(/^Bearer/);
    expect((await get(`${url}/metrics`, `Bearer ${TOKEN.slice(0, -1)}`)).status).toBe(401);
    expect((await get(`${url}/%6detrics`)).status).toBe(401);
    expect((await get(`${url}/%64ocs-json`)).status).toBe(401);
    expect((await get(`${url}/metrics`, `Bearer ${DOCS_TOKEN}`)).status).toBe(401);
    const scraped = await get(`${url}/metrics`, `Bearer ${TOKEN}`);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('# TYPE');

    const docs = await get(`${url}/docs-json`);
    expect(docs.status).toBe(401);
    expect(docs.wwwAuthenticate).toMatch(/^Basic/);
    expect((await get(`${url}/docs-json`, `Bearer ${TOKEN}`)).status).toBe(401);
    expect(JSON.parse((await get(`${url}/docs-json`, `Bearer ${DOCS_TOKEN}`)).text)).toHaveProperty('openapi');
    expect((await get(`${url}/docs`, basic(DOCS_TOKEN))).status).toBe(200);
  });

  it('METRICS_PUBLIC and DOCS_ENABLED open them to anyone', async () => {
    const url = await gateway({ ...production, METRICS_PUBLIC: 'true', DOCS_ENABLED: 'true' });
    expect((await get(`${url}/metrics`)).status).toBe(200);
    expect((await get(`${url}/docs-json`)).status).toBe(200);
  });
});

describe('in development mode', () => {
  it('both are open by default, and a token set is still required', async () => {
    const open = await gateway({ RABT_DEV_MODE: 'true', DATABASE_URL: testStack.databaseUrl });
    expect((await get(`${open}/metrics`)).status).toBe(200);
    expect((await get(`${open}/docs-json`)).status).toBe(200);
    const guarded = await gateway({ RABT_DEV_MODE: 'true', DATABASE_URL: testStack.databaseUrl, METRICS_AUTH_TOKEN: TOKEN });
    expect((await get(`${guarded}/metrics`)).status).toBe(401);
    expect((await get(`${guarded}/metrics`, `Bearer ${TOKEN}`)).status).toBe(200);
  });
});
