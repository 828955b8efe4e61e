import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudEvent, fixture, post, REPORTED, type Answer } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

// Token bucket per agency: default 2 events/s with a burst of 3 here; rop gets its own limits.
let gw: GatewayHarness;
beforeAll(async () => {
  gw = await startGateway({ env: { GATEWAY_RATE_PER_SECOND: '2', GATEWAY_RATE_BURST: '3' } });
});
afterAll(async () => {
  await gw?.close();
});

const publish = (key: string, agency = 'mom') => post(`${gw.url}/v1/events`, key, cloudEvent(agency, REPORTED, fixture(REPORTED, 'ok')));

describe('per-agency rate limit', () => {
  it('lets a burst through, then answers 429 RATE_LIMITED with Retry-After, and refills over time', async () => {
    // Sent at once, so that no token refills between them however slow this machine is.
    const answers = await Promise.all(Array.from({ length: 5 }, () => publish(gw.keys.mom)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 202, 202, 429, 429]);
    const limited = answers.find((a) => a.status === 429)!;
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body.retryAfterSeconds).toBeUndefined(); // a header, not a body member

    await new Promise((r) => setTimeout(r, 1100));
    expect((await publish(gw.keys.mom)).status).toBe(202);
  });

  it('a batch costs one token per event: more than the burst is refused whole', async () => {
    await new Promise((r) => setTimeout(r, 1600)); // refill
    const batch = Array.from({ length: 4 }, () => cloudEvent('mom', REPORTED, fixture(REPORTED, 'ok')));
    const res = await post(`${gw.url}/v1/events/batch`, gw.keys.mom, batch, { 'Content-Type': 'application/json' });
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('RATE_LIMITED');
  });

  it('limits are per agency and configurable per agency', async () => {
    await gw.db.query(`UPDATE agency SET rate_per_second = 100, rate_burst = 10 WHERE code = 'rop'`);
    await gw.db.query(`INSERT INTO agency_grant (agency_code, event_type, permission, granted_by) VALUES ('rop', $1, 'publish', 'mom')`, [REPORTED]);
    await gw.restart({ GATEWAY_RATE_PER_SECOND: '2', GATEWAY_RATE_BURST: '3' });
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await publish(gw.keys.rop, 'rop')).status);
    expect(statuses).toEqual(Array(8).fill(202));
    // mom's bucket is its own, and small
    const mom = [];
    for (let i = 0; i < 4; i++) mom.push((await publish(gw.keys.mom)).status);
    expect(mom).toEqual([202, 202, 202, 429]);
  });
});

describe('per-agency byte limit', () => {
  it('counts request body bytes: a few large events exhaust it → 429 RATE_LIMITED with Retry-After; other agencies are not affected', async () => {
    await gw.restart({ GATEWAY_RATE_PER_SECOND: '1000', GATEWAY_RATE_BURST: '1000', GATEWAY_RATE_BYTES_PER_SECOND: '10000', GATEWAY_RATE_BYTES_BURST: '200000' });
    const large = () => cloudEvent('mom', REPORTED, { ...fixture(REPORTED, 'ok'), reasonDetails: 'x'.repeat(60_000) });
    const answers: Answer[] = [];
    for (let i = 0; i < 4; i++) answers.push(await post(`${gw.url}/v1/events`, gw.keys.mom, large()));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 429]);
    expect(answers[3]!.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // rop's bucket is its own; mom's refills at 10,000 bytes a second.
    expect((await publish(gw.keys.rop, 'rop')).status).toBe(202);
    await new Promise((r) => setTimeout(r, Number(answers[3]!.headers.get('retry-after')) * 1000 + 100));
    expect((await post(`${gw.url}/v1/events`, gw.keys.mom, large())).status).toBe(202);
  });

  it('a batch counts its whole body', async () => {
    const batch = Array.from({ length: 4 }, () => cloudEvent('mom', REPORTED, { ...fixture(REPORTED, 'ok'), reasonDetails: 'x'.repeat(60_000) }));
    const res = await post(`${gw.url}/v1/events/batch`, gw.keys.mom, batch, { 'Content-Type': 'application/json' });
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('RATE_LIMITED');
  });
});
