// GET /v1/events/{id}/deliveries on the real gateway (in process) and Postgres: the publisher sees
// each subscriber's delivery of its own event, with every attempt; nobody else sees anything.
// Of each failure the publisher sees the status and an error class, never what the subscriber
// answered (its body may hold anything: internal addresses, stack traces, personal data).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryAttemptEntity, DeliveryEntity } from '@rabt/persistence';
import { cloudEvent, fixture, get, post, REPORTED } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

let gw: GatewayHarness;
let eventId: string;
let quietEventId: string;
const ropSubscription = randomUUID();
const mociSubscription = randomUUID();
const mohSubscription = randomUUID();
const mmSubscription = randomUUID();
/** What a subscriber's error page said: none of it may reach the publisher. */
const SUBSCRIBER_BODY = '<html>maintenance by ops@moci.internal; db 10.20.30.40 down; trace at Db.connect</html>';

beforeAll(async () => {
  gw = await startGateway();
  const published = await post(`${gw.url}/v1/events`, gw.keys.mom, cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok')));
  expect(published.status, JSON.stringify(published.body)).toBe(202);
  eventId = published.body.id;
  const quiet = await post(`${gw.url}/v1/events`, gw.keys.mom, cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok')));
  quietEventId = quiet.body.id;

  // What the dispatcher would have written: rop delivered on the second attempt, moci still retrying.
  const base = { eventSource: 'urn:rabt:agency:mom', eventId, eventType: REPORTED, orderingKey: '118364205', payload: { specversion: '1.0' }, inboxPartition: 0 };
  await gw.db.getRepository(DeliveryEntity).insert([
    { ...base, id: 'msg_rop', subscriptionId: ropSubscription, agencyCode: 'rop', inboxTopic: 'rabt.inbox.rop', inboxOffset: '7', state: 'delivered', attempts: 2, lastStatus: 204, deliveredAt: new Date() },
    { ...base, id: 'msg_moci', subscriptionId: mociSubscription, agencyCode: 'moci', inboxTopic: 'rabt.inbox.moci', inboxOffset: '3', state: 'retrying', attempts: 1, lastStatus: 503, lastError: `HTTP 503: ${SUBSCRIBER_BODY}` },
    { ...base, id: 'msg_moh', subscriptionId: mohSubscription, agencyCode: 'moh', inboxTopic: 'rabt.inbox.moh', inboxOffset: '1', state: 'dead', attempts: 1, lastStatus: null, lastError: 'refused by the SSRF guard: moh.example resolves to a private address (10.9.8.7)' },
    { ...base, id: 'msg_mm', subscriptionId: mmSubscription, agencyCode: 'mm', inboxTopic: 'rabt.inbox.mm', inboxOffset: '2', state: 'dead', attempts: 3, lastStatus: 422, lastError: `gave up after 3 attempts (retry schedule used up); last error: HTTP 422: ${SUBSCRIBER_BODY}` },
    { ...base, id: 'msg_other', eventId: 'someone-elses', subscriptionId: ropSubscription, agencyCode: 'rop', inboxTopic: 'rabt.inbox.rop', inboxOffset: '8' },
  ]);
  const t = Date.now();
  await gw.db.getRepository(DeliveryAttemptEntity).insert([
    { deliveryId: 'msg_rop', attemptNo: 2, startedAt: new Date(t - 1000), status: 204, latencyMs: 9, error: null },
    { deliveryId: 'msg_rop', attemptNo: 1, startedAt: new Date(t - 5000), status: null, latencyMs: 1000, error: 'timed out after 1000 ms' },
    { deliveryId: 'msg_moci', attemptNo: 1, startedAt: new Date(t - 2000), status: 503, latencyMs: 4, error: `HTTP 503: ${SUBSCRIBER_BODY}` },
    { deliveryId: 'msg_moh', attemptNo: 1, startedAt: new Date(t - 2000), status: null, latencyMs: 0, error: 'refused by the SSRF guard: moh.example resolves to a private address (10.9.8.7)' },
    { deliveryId: 'msg_mm', attemptNo: 1, startedAt: new Date(t - 3000), status: null, latencyMs: 3, error: 'connect ECONNREFUSED 10.1.1.1:443' },
    { deliveryId: 'msg_mm', attemptNo: 2, startedAt: new Date(t - 2000), status: null, latencyMs: 2, error: 'getaddrinfo ENOTFOUND hooks.mm.internal' },
    { deliveryId: 'msg_mm', attemptNo: 3, startedAt: new Date(t - 1000), status: 422, latencyMs: 5, error: `HTTP 422: ${SUBSCRIBER_BODY}` },
  ]);
});
afterAll(async () => {
  await gw?.close();
});

describe('GET /v1/events/{id}/deliveries', () => {
  it('the publisher sees, per subscriber, state, attempts, last status and error class, and every attempt in order', async () => {
    const res = await get(`${gw.url}/v1/events/${eventId}/deliveries`, gw.keys.mom);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      id: eventId,
      source: 'urn:rabt:agency:mom',
      type: REPORTED,
      deliveries: [
        {
          agency: 'mm',
          subscriptionId: mmSubscription,
          webhookId: 'msg_mm',
          state: 'dead',
          attempts: 3,
          lastStatus: 422,
          lastError: 'http_4xx',
          createdAt: expect.any(String),
          nextAttemptAt: null,
          deliveredAt: null,
          history: [
            { attempt: 1, startedAt: expect.any(String), status: null, latencyMs: 3, error: 'connection_refused' },
            { attempt: 2, startedAt: expect.any(String), status: null, latencyMs: 2, error: 'dns_failure' },
            { attempt: 3, startedAt: expect.any(String), status: 422, latencyMs: 5, error: 'http_4xx' },
          ],
        },
        {
          agency: 'moci',
          subscriptionId: mociSubscription,
          webhookId: 'msg_moci',
          state: 'retrying',
          attempts: 1,
          lastStatus: 503,
          lastError: 'http_5xx',
          createdAt: expect.any(String),
          nextAttemptAt: expect.any(String),
          deliveredAt: null,
          history: [{ attempt: 1, startedAt: expect.any(String), status: 503, latencyMs: 4, error: 'http_5xx' }],
        },
        {
          agency: 'moh',
          subscriptionId: mohSubscription,
          webhookId: 'msg_moh',
          state: 'dead',
          attempts: 1,
          lastStatus: null,
          lastError: 'ssrf_refused',
          createdAt: expect.any(String),
          nextAttemptAt: null,
          deliveredAt: null,
          history: [{ attempt: 1, startedAt: expect.any(String), status: null, latencyMs: 0, error: 'ssrf_refused' }],
        },
        {
          agency: 'rop',
          subscriptionId: ropSubscription,
          webhookId: 'msg_rop',
          state: 'delivered',
          attempts: 2,
          lastStatus: 204,
          lastError: null,
          createdAt: expect.any(String),
          nextAttemptAt: null,
          deliveredAt: expect.any(String),
          history: [
            { attempt: 1, startedAt: expect.any(String), status: null, latencyMs: 1000, error: 'timeout' },
            { attempt: 2, startedAt: expect.any(String), status: 204, latencyMs: 9, error: null },
          ],
        },
      ],
    });
  });

  it("no part of a subscriber's answer, nor the address its host resolved to, reaches the publisher", async () => {
    const res = await get(`${gw.url}/v1/events/${eventId}/deliveries`, gw.keys.mom);
    const text = JSON.stringify(res.body);
    for (const leak of ['maintenance', 'ops@moci.internal', '10.20.30.40', 'Db.connect', '10.9.8.7', 'ECONNREFUSED', 'hooks.mm.internal', 'HTTP 4', 'HTTP 5']) expect(text).not.toContain(leak);
  });

  it('an event of its own that reached no subscriber yet has no deliveries', async () => {
    const res = await get(`${gw.url}/v1/events/${quietEventId}/deliveries`, gw.keys.mom);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: quietEventId, deliveries: [] });
  });

  it('another agency, even a subscriber, gets 404 EVENT_NOT_FOUND; so does an unknown id', async () => {
    for (const [key, id] of [
      [gw.keys.rop, eventId],
      [gw.keys.moci, eventId],
      [gw.keys.mom, 'no-such-event'],
    ] as const) {
      const res = await get(`${gw.url}/v1/events/${id}/deliveries`, key);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'EVENT_NOT_FOUND' });
    }
  });

  it('without an API key: 401', async () => {
    const res = await get(`${gw.url}/v1/events/${eventId}/deliveries`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('is in the OpenAPI document', async () => {
    const res = await get(`${gw.url}/docs-json`);
    expect(res.body.paths['/v1/events/{id}/deliveries'].get.summary).toMatch(/delivered/);
  });
});
