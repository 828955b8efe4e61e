// Subscriptions over HTTP, on the real gateway (in process) with Postgres: grants from the owner,
// filters, projections, the SSRF guard, secrets shown once and stored sealed, rotation, and who
// sees what. Every refusal is problem+json with a stable code and stores nothing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_SECRET_KEY, SecretBox } from '@rabt/auth';
import { disableSubscription, webhookSecretsOf } from '@rabt/routing';
import { SubscriptionEntity } from '@rabt/persistence';
import { REPORTED, type Answer } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

let gw: GatewayHarness;
let receiver: Server;
let hook: string;
const box = SecretBox.fromBase64(DEVELOPMENT_SECRET_KEY);

beforeAll(async () => {
  receiver = createServer((_, res) => res.writeHead(204).end());
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  gw = await startGateway({ env: { RABT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' } });
});
afterAll(async () => {
  await gw?.close();
  await new Promise((resolve) => receiver?.close(resolve));
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

function expectProblem(res: Answer, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: `https://rabt.gov.om/problems/${code.toLowerCase().replace(/_/g, '-')}`, detail: expect.any(String) });
}

const stored = () => gw.db.getRepository(SubscriptionEntity).find({ order: { createdAt: 'ASC' } });
const ropSubscription = (extra: Record<string, unknown> = {}) => ({
  eventType: REPORTED,
  filter: 'data.reason == "ABSCONDED" && data.workerLastKnownAddress.governorate == "Muscat"',
  projection: ['reason', 'passportNumber'],
  webhook: { url: hook },
  ...extra,
});
let created: { id: string; webhookSecret: string };

describe('subscribing needs a grant from the owner', () => {
  it('rop without a subscribe grant → 403 NOT_SUBSCRIBE_GRANTED, nothing stored', async () => {
    const res = await api('POST', '/v1/subscriptions', gw.keys.rop, ropSubscription());
    expectProblem(res, 403, 'NOT_SUBSCRIBE_GRANTED');
    expect(res.body.detail).toContain(`'rop' holds no subscribe grant on ${REPORTED}: its owner 'mom'`);
    expect(await stored()).toEqual([]);
  });

  it('after mom grants it, rop subscribes with a filter, a projection and an allow-listed webhook → 201 with the secret, once', async () => {
    expect((await api('POST', '/v1/grants', gw.keys.mom, { agency: 'rop', eventType: REPORTED, permission: 'subscribe' })).status).toBe(201);
    const res = await api('POST', '/v1/subscriptions', gw.keys.rop, ropSubscription());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      agency: 'rop',
      eventType: REPORTED,
      filter: ropSubscription().filter,
      projection: ['workerCivilNumber', 'passportNumber', 'reason'],
      webhook: { url: hook, previousSecretExpiresAt: null },
      inboxTopic: null,
      state: 'active',
      disabledReason: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      webhookSecret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    created = res.body;
    const [row] = await stored();
    expect(row!.webhookSecretCiphertext).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain(created.webhookSecret.slice('whsec_'.length));
    expect(webhookSecretsOf(row!, box)).toEqual([created.webhookSecret]);
  });

  it('list and get show the subscription, never a secret', async () => {
    const list = await api('GET', '/v1/subscriptions', gw.keys.rop);
    expect(list.status).toBe(200);
    expect(list.body.subscriptions).toHaveLength(1);
    const one = await api('GET', `/v1/subscriptions/${created.id}`, gw.keys.rop);
    expect(one.body).toEqual(list.body.subscriptions[0]);
    const { webhookSecret: _secret, ...withoutSecret } = created;
    expect(one.body).toEqual(withoutSecret);
    for (const text of [JSON.stringify(list.body), JSON.stringify(one.body)]) {
      expect(text).not.toContain('whsec_');
      expect(text).not.toContain('v1:');
    }
  });

  it('the owner subscribes to its own type without a grant; an admin subscribes any agency, but not past the grants', async () => {
    const own = await api('POST', '/v1/subscriptions', gw.keys.mom, { eventType: REPORTED, inbox: true });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body).toMatchObject({ agency: 'mom', inboxTopic: 'rabt.inbox.mom', webhook: null, webhookSecret: null });
    expectProblem(await api('POST', '/v1/subscriptions', gw.keys.ita, { agency: 'moci', eventType: REPORTED, inbox: true }), 403, 'NOT_SUBSCRIBE_GRANTED');
    const forRop = await api('POST', '/v1/subscriptions', gw.keys.ita, { agency: 'rop', eventType: REPORTED, inbox: true });
    expect(forRop.status).toBe(201);
    expect(forRop.body.agency).toBe('rop');
    expectProblem(await api('POST', `/v1/subscriptions/${forRop.body.id}/rotate-secret`, gw.keys.rop), 409, 'NO_WEBHOOK');
  });
});

describe('bad subscriptions are refused with the right code, and nothing is stored', () => {
  const cases: [string, string, () => unknown, number, string, RegExp][] = [
    ['an invalid filter', 'rop', () => ropSubscription({ filter: 'data.reason == ' }), 400, 'INVALID_FILTER', /^invalid filter: Unexpected token: EOF \(at character 16\)$/],
    ['a filter on a field the type lacks', 'rop', () => ropSubscription({ filter: 'data.salary > 100' }), 400, 'INVALID_FILTER', /data\.salary is not a field of mom\.employee\.left-work-reported/],
    ['an unknown projection field', 'rop', () => ropSubscription({ projection: ['reason', 'salary'] }), 400, 'INVALID_PROJECTION', /'salary' is not a field of mom\.employee\.left-work-reported/],
    ['a private address', 'rop', () => ropSubscription({ webhook: { url: 'https://10.1.2.3/x' } }), 400, 'WEBHOOK_URL_REFUSED', /10\.1\.2\.3 is a private address$/],
    ['the metadata address', 'rop', () => ropSubscription({ webhook: { url: 'http://169.254.169.254/latest' } }), 400, 'WEBHOOK_URL_REFUSED', /plain http is allowed only for hosts on the operator allow-list/],
    ['the metadata address over https', 'rop', () => ropSubscription({ webhook: { url: 'https://169.254.169.254/latest' } }), 400, 'WEBHOOK_URL_REFUSED', /169\.254\.169\.254 is a cloud metadata address$/],
    ['localhost, not allow-listed', 'rop', () => ropSubscription({ webhook: { url: 'https://localhost/x' } }), 400, 'WEBHOOK_URL_REFUSED', /localhost resolves to a non-public address$/],
    ['loopback, over plain http', 'rop', () => ropSubscription({ webhook: { url: 'http://[::1]:8080/x' } }), 400, 'WEBHOOK_URL_REFUSED', /plain http is allowed only/],
    ['no delivery method', 'rop', () => ({ eventType: REPORTED, filter: 'true' }), 400, 'INVALID_SUBSCRIPTION', /no delivery method: give a webhook/],
    ['bad fields, all named', 'rop', () => ({ eventType: 5, inbox: 'yes', secret: 'x' }), 400, 'INVALID_SUBSCRIPTION', /eventType must be a string.*inbox must be true or false.*unknown field 'secret'/],
    ['not an object', 'rop', () => ['x'], 400, 'INVALID_SUBSCRIPTION', /must be a JSON object/],
    ['an unknown type', 'rop', () => ({ eventType: 'mom.employee.teleported', inbox: true }), 404, 'UNKNOWN_EVENT_TYPE', /is not an event type of the catalogue/],
    ['a type rop holds no grant on', 'rop', () => ({ eventType: 'moci.employer.labour-record-updated', inbox: true }), 403, 'NOT_SUBSCRIBE_GRANTED', /its owner 'moci'/],
    ['moci, never granted by mom', 'moci', () => ({ eventType: REPORTED, inbox: true }), 403, 'NOT_SUBSCRIBE_GRANTED', /'moci' holds no subscribe grant/],
    ['another agency, without an admin key', 'rop', () => ({ agency: 'moci', eventType: REPORTED, inbox: true }), 403, 'OTHER_AGENCY', /may subscribe only 'rop'/],
    ['the same webhook again', 'rop', () => ropSubscription({ filter: null }), 409, 'SUBSCRIPTION_EXISTS', /already subscribes to mom\.employee\.left-work-reported there/],
    ['an unknown agency (admin)', 'ita', () => ({ agency: 'nobody', eventType: REPORTED, inbox: true }), 404, 'AGENCY_NOT_FOUND', /agency 'nobody' does not exist/],
  ];

  it.each(cases)('%s', async (_name, who, body, status, code, detail) => {
    const before = await stored();
    const res = await api('POST', '/v1/subscriptions', gw.keys[who as 'rop' | 'moci' | 'ita'], body());
    expectProblem(res, status, code);
    expect(res.body.detail).toMatch(detail);
    expect(await stored()).toEqual(before);
  });

  it('a filter refusal names the position; a webhook refusal the field', async () => {
    const filter = await api('POST', '/v1/subscriptions', gw.keys.rop, ropSubscription({ filter: 'data.reason == ' }));
    expect(filter.body.errors).toEqual([{ path: 'filter', message: 'Unexpected token: EOF', position: { start: 15, end: 15 } }]);
    const url = await api('POST', '/v1/subscriptions', gw.keys.rop, ropSubscription({ webhook: { url: 'https://10.1.2.3/x' } }));
    expect(url.body.errors).toEqual([{ path: 'webhook.url', message: '10.1.2.3 is a private address' }]);
  });

  it('without a key → 401', async () => {
    expectProblem(await api('POST', '/v1/subscriptions', undefined, ropSubscription()), 401, 'UNAUTHENTICATED');
    expectProblem(await api('GET', '/v1/subscriptions', undefined), 401, 'UNAUTHENTICATED');
  });
});

describe('secrets, other agencies, enable and delete', () => {
  it('rotate-secret answers a new secret once; the previous one stays valid for 24 h', async () => {
    const res = await api('POST', `/v1/subscriptions/${created.id}/rotate-secret`, gw.keys.rop);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.webhookSecret).toMatch(/^whsec_/);
    expect(res.body.webhookSecret).not.toBe(created.webhookSecret);
    const expires = Date.parse(res.body.webhook.previousSecretExpiresAt) - Date.now();
    expect(expires).toBeGreaterThan(23.9 * 3_600_000);
    expect(expires).toBeLessThanOrEqual(24 * 3_600_000);
    const row = await gw.db.getRepository(SubscriptionEntity).findOneByOrFail({ id: created.id });
    expect(webhookSecretsOf(row, box)).toEqual([res.body.webhookSecret, created.webhookSecret]);
    const after = await api('GET', `/v1/subscriptions/${created.id}`, gw.keys.rop);
    expect(after.body.webhook.previousSecretExpiresAt).toBe(res.body.webhook.previousSecretExpiresAt);
    expect(JSON.stringify(after.body)).not.toContain('whsec_');
  });

  it("moci can neither see nor change rop's subscription (404, as if it did not exist)", async () => {
    expect((await api('GET', '/v1/subscriptions', gw.keys.moci)).body).toEqual({ subscriptions: [] });
    expect((await api('GET', '/v1/subscriptions?agency=rop', gw.keys.moci)).body).toEqual({ subscriptions: [] });
    for (const [method, path] of [
      ['GET', ''],
      ['DELETE', ''],
      ['POST', '/rotate-secret'],
      ['POST', '/enable'],
    ] as const) {
      expectProblem(await api(method, `/v1/subscriptions/${created.id}${path}`, gw.keys.moci), 404, 'SUBSCRIPTION_NOT_FOUND');
    }
    expectProblem(await api('GET', '/v1/subscriptions/not-a-uuid', gw.keys.rop), 404, 'SUBSCRIPTION_NOT_FOUND');
    expect((await api('GET', `/v1/subscriptions/${created.id}`, gw.keys.rop)).status).toBe(200);
  });

  it('an admin sees every subscription and filters them', async () => {
    const all = (await api('GET', '/v1/subscriptions', gw.keys.ita)).body.subscriptions as { agency: string }[];
    expect(all.map((s) => s.agency).sort()).toEqual(['mom', 'rop', 'rop']);
    expect((await api('GET', '/v1/subscriptions?agency=mom', gw.keys.ita)).body.subscriptions).toHaveLength(1);
    expect((await api('GET', '/v1/subscriptions?state=disabled', gw.keys.ita)).body.subscriptions).toEqual([]);
    expectProblem(await api('GET', '/v1/subscriptions?state=paused', gw.keys.ita), 400, 'INVALID_SUBSCRIPTION');
  });

  it('enable brings back a subscription the dispatcher disabled', async () => {
    await disableSubscription(gw.db.manager, created.id, 'the webhook answered 410 Gone', 'service:dispatcher');
    expect((await api('GET', `/v1/subscriptions/${created.id}`, gw.keys.rop)).body).toMatchObject({ state: 'disabled', disabledReason: 'the webhook answered 410 Gone' });
    const res = await api('POST', `/v1/subscriptions/${created.id}/enable`, gw.keys.rop);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, state: 'active', disabledReason: null });
  });

  it('delete → 204; then it is gone', async () => {
    const res = await api('DELETE', `/v1/subscriptions/${created.id}`, gw.keys.rop);
    expect(res.status).toBe(204);
    expectProblem(await api('GET', `/v1/subscriptions/${created.id}`, gw.keys.rop), 404, 'SUBSCRIPTION_NOT_FOUND');
    expect((await stored()).map((s) => s.id)).not.toContain(created.id);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${gw.url}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/subscriptions', '/v1/subscriptions/{id}', '/v1/subscriptions/{id}/rotate-secret', '/v1/subscriptions/{id}/enable']));
  });
});
