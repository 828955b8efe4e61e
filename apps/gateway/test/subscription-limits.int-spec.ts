// What one agency can make the bus do through its subscriptions, on the real gateway (in process)
// with Postgres: a filter whose worst case is too costly is refused at creation (400
// INVALID_FILTER, naming why), and the number of subscriptions per agency and per event type is
// capped (409 SUBSCRIPTION_QUOTA_EXCEEDED), atomically, even for concurrent creates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriptionEntity } from '@rabt/persistence';
import { REPORTED, type Answer } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

const WITHDRAWN = 'mom.employee.left-work-withdrawn';
const PER_AGENCY = 3;
const PER_TYPE = 5;
let gw: GatewayHarness;

beforeAll(async () => {
  gw = await startGateway({ env: { RABT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1', RABT_SUBSCRIPTIONS_PER_AGENCY: String(PER_AGENCY), RABT_SUBSCRIPTIONS_PER_TYPE: String(PER_TYPE) } });
});
afterAll(async () => {
  await gw?.close();
});

async function api(method: string, path: string, key: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${gw.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

function expectProblem(res: Answer, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, detail: expect.any(String) });
}

const count = (where: Partial<Pick<SubscriptionEntity, 'agencyCode' | 'eventType'>> = {}) => gw.db.getRepository(SubscriptionEntity).countBy(where);
const hook = (name: string) => ({ url: `http://127.0.0.1:9/hook/${name}` });
const TEN = '[0,1,2,3,4,5,6,7,8,9]';
const VARS = 'abcdefghijklmn';
const nestedAll = (depth: number) => Array.from({ length: depth }).reduceRight<string>((inner, _, i) => `${TEN}.all(${VARS[i]}, ${inner})`, 'a >= 0');

describe('filter cost bombs are refused at creation', () => {
  it.each([
    ['14 nested [0..9].all(x, …)', nestedAll(14), /^invalid filter: estimated cost \S+e14 exceeds budget 1e5: comprehensions nested 14 deep over lists of up to 10 items$/],
    ['nested map, filter and exists', `${TEN}.map(a, ${TEN}.map(b, ${TEN}.filter(c, ${TEN}.exists(d, ${TEN}.exists(e, a + b + c + d + e == 45))))).size() > 0`, /exceeds budget 1e5: comprehensions nested 5 deep/],
    ['nested comprehensions over event data', 'data.reportId.split("").exists(a, data.passportNumber.split("").exists(b, data.workerCivilNumber.split("").exists(c, a + b == c)))', /exceeds budget 1e5: comprehensions nested 3 deep over lists of up to 10001 items/],
    ['a huge string built by doubling', 'cel.bind(a, data.reportId, cel.bind(b, a + a, cel.bind(c, b + b, cel.bind(d, c + c, cel.bind(e, d + d, cel.bind(f, e + e, cel.bind(g, f + f, cel.bind(h, g + g, cel.bind(i, h + h, i.contains("y"))))))))))', /exceeds budget 1e5: it builds strings or lists of up to \S+ characters or items/],
    ['a regular expression', 'data.reportId.matches("^(a+)+$")', /regular expressions are not allowed/],
  ])('%s → 400 INVALID_FILTER naming why, nothing stored', async (_, filter, why) => {
    const res = await api('POST', '/v1/subscriptions', gw.keys.mom, { eventType: REPORTED, inbox: true, filter });
    expectProblem(res, 400, 'INVALID_FILTER');
    expect(res.body.detail).toMatch(why);
    expect(await count()).toBe(0);
  });

  it('a realistic filter is accepted', async () => {
    const res = await api('POST', '/v1/subscriptions', gw.keys.mom, { eventType: REPORTED, webhook: hook('realistic'), filter: 'data.reason in ["ABSCONDED", "CONTRACT_ENDED"] && [1, 2, 3].exists(x, x == 2)' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await api('DELETE', `/v1/subscriptions/${res.body.id}`, gw.keys.mom)).status).toBe(204);
  });
});

describe('subscription quotas', () => {
  it(`per agency: of 10 concurrent creates by one agency, exactly ${PER_AGENCY} pass; the rest get 409 naming the limit and the count`, async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => api('POST', '/v1/subscriptions', gw.keys.mom, { eventType: REPORTED, webhook: hook(`mom-${i}`) })));
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    expect(created).toHaveLength(PER_AGENCY);
    for (const res of refused) {
      expectProblem(res, 409, 'SUBSCRIPTION_QUOTA_EXCEEDED');
      expect(res.body.detail).toBe(`'mom' already holds ${PER_AGENCY} subscriptions, the most one agency may hold (RABT_SUBSCRIPTIONS_PER_AGENCY=${PER_AGENCY}): remove one first`);
      expect(res.body).toMatchObject({ scope: 'agency', limit: PER_AGENCY, count: PER_AGENCY });
    }
    expect(await count({ agencyCode: 'mom' })).toBe(PER_AGENCY);
  });

  it('a removed subscription frees its place', async () => {
    const [first] = await gw.db.getRepository(SubscriptionEntity).find({ where: { agencyCode: 'mom' }, order: { createdAt: 'ASC' } });
    expect((await api('DELETE', `/v1/subscriptions/${first!.id}`, gw.keys.mom)).status).toBe(204);
    expect((await api('POST', '/v1/subscriptions', gw.keys.mom, { eventType: REPORTED, webhook: hook('mom-again') })).status).toBe(201);
    expectProblem(await api('POST', '/v1/subscriptions', gw.keys.mom, { eventType: REPORTED, webhook: hook('mom-one-more') }), 409, 'SUBSCRIPTION_QUOTA_EXCEEDED');
  });

  it(`per type: of 6 concurrent creates by two agencies on one type, exactly ${PER_TYPE - 0} pass across both`, async () => {
    for (const agency of ['rop', 'moci']) {
      await gw.db.query(`INSERT INTO agency_grant (agency_code, event_type, permission, granted_by) VALUES ($1, $2, 'subscribe', 'mom')`, [agency, WITHDRAWN]);
    }
    const requests = (['rop', 'moci'] as const).flatMap((agency) => Array.from({ length: 3 }, (_, i) => api('POST', '/v1/subscriptions', gw.keys[agency], { eventType: WITHDRAWN, webhook: hook(`${agency}-${i}`) })));
    const answers = await Promise.all(requests);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(PER_TYPE);
    const [refused] = answers.filter((a) => a.status !== 201);
    expectProblem(refused!, 409, 'SUBSCRIPTION_QUOTA_EXCEEDED');
    expect(refused!.body.detail).toBe(`${WITHDRAWN} already has ${PER_TYPE} subscriptions, the most one event type may have (RABT_SUBSCRIPTIONS_PER_TYPE=${PER_TYPE}): remove one first`);
    expect(refused!.body).toMatchObject({ scope: 'eventType', limit: PER_TYPE, count: PER_TYPE });
    expect(await count({ eventType: WITHDRAWN })).toBe(PER_TYPE);
  });
});

describe('enabling a subscription checks its filter again', () => {
  it('a disabled subscription whose stored filter is a bomb → 400 INVALID_FILTER, and it stays disabled', async () => {
    const [row] = (await gw.db.query(
      `INSERT INTO subscription (id, agency_code, event_type, filter, inbox, state, disabled_reason) VALUES (gen_random_uuid(), 'mom', 'mom.work-permit.suspended', $1, true, 'disabled', 'test') RETURNING id`,
      [nestedAll(14)],
    )) as { id: string }[];
    const res = await api('POST', `/v1/subscriptions/${row!.id}/enable`, gw.keys.mom);
    expectProblem(res, 400, 'INVALID_FILTER');
    expect(res.body.detail).toMatch(/estimated cost \S+e14 exceeds budget 1e5: comprehensions nested 14 deep/);
    expect(await gw.db.getRepository(SubscriptionEntity).findOneByOrFail({ id: row!.id })).toMatchObject({ state: 'disabled' });
  });
});
