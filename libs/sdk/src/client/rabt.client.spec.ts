import { describe, expect, it } from 'vitest';
import type { EventData } from '@rabt/contracts';
import { RabtNetworkError, RabtProblemError } from './problem.exception';
import { RabtClient, type RabtClientOptions } from './rabt.client';

const REPORTED = 'mom.employee.left-work-reported';
const DATA: EventData<typeof REPORTED> = {
  reportId: 'LWR-2025-0048173',
  workerCivilNumber: '118364205',
  workerName: { nameEn: 'Mohammad Shahidul Islam', nameAr: 'محمد شهيد الإسلام' },
  nationality: 'BGD',
  passportNumber: null,
  workPermitNumber: 'WP-2023-7781045',
  employerCrNumber: '1098765',
  employerNameEn: 'Al Seeb Modern Contracting LLC',
  employerNameAr: 'شركة السيب الحديثة للمقاولات ش.م.م',
  occupationCode: '7112',
  occupationTitle: 'Mason',
  lastWorkingDay: 20222,
  reason: 'ABSCONDED',
  reasonDetails: null,
  reportedBy: { officerId: 'MOL-PRO-220931', nameEn: 'Khalid Salim Al Balushi', nameAr: 'خالد بن سالم البلوشي', role: 'Public Relations Officer' },
  reportedAt: 1747550530000,
  workerLastKnownAddress: null,
};
const ACCEPTED = { id: 'x', transactionid: 'tx-1', topic: REPORTED, partition: 2, offset: '41' };

type Answer = Response | Error | ((signal: AbortSignal) => Promise<Response>);
interface Call {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** A fetch that answers from a script, one answer per call, and records every request. */
function scripted(...answers: Answer[]) {
  const calls: Call[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), method: init?.method ?? 'GET', headers: init?.headers as Record<string, string>, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const answer = answers.shift();
    if (!answer) throw new Error('no scripted answer left');
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer(init!.signal!) : answer;
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const problem = (status: number, code: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: `https://rabt.gov.om/problems/${code}`, title: code, status, code, detail: `${code} detail`, ...extra }), { status, headers: { 'content-type': 'application/problem+json', ...headers } });

function client(fetch: typeof globalThis.fetch, options: Partial<RabtClientOptions> = {}) {
  const waits: number[] = [];
  const c = new RabtClient({ baseUrl: 'https://gw.example/', apiKey: 'rabt_mom_key', agency: 'mom', fetch, sleep: async (ms) => void waits.push(ms), ...options });
  return { c, waits };
}

describe('RabtClient.publish', () => {
  it('POSTs a structured CloudEvent with Bearer auth and returns the 202 answer', async () => {
    const { fetch, calls } = scripted(json(202, ACCEPTED));
    const { c } = client(fetch);
    const answer = await c.publish(REPORTED, DATA, { subject: 'LWR-2025-0048173', transactionid: 'tx-1', time: new Date('2026-01-02T03:04:05Z'), dataschema: 'http://r/schemas/ids/7' });
    expect(answer).toEqual(ACCEPTED);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://gw.example/v1/events');
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.headers).toMatchObject({ Authorization: 'Bearer rabt_mom_key', 'Content-Type': 'application/cloudevents+json' });
    expect(calls[0]!.body).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      source: 'urn:rabt:agency:mom',
      type: REPORTED,
      subject: 'LWR-2025-0048173',
      transactionid: 'tx-1',
      time: '2026-01-02T03:04:05.000Z',
      dataschema: 'http://r/schemas/ids/7',
      data: DATA,
    });
  });

  it('uses the given id, and leaves time to the gateway when none is given', async () => {
    const { fetch, calls } = scripted(json(202, ACCEPTED), json(202, ACCEPTED));
    const { c } = client(fetch);
    await c.publish(REPORTED, DATA, { id: 'mom-report-1' });
    await c.publish(REPORTED, DATA);
    const [first, second] = calls.map((call) => call.body as Record<string, unknown>);
    expect(first!['id']).toBe('mom-report-1');
    expect(first).not.toHaveProperty('time');
    expect(second!['id']).not.toBe('mom-report-1');
  });

  it('type-checks data against the event type (compile-time; typecheck fails if these stop erroring)', () => {
    const { c } = client(scripted().fetch);
    // @ts-expect-error data of another type
    void (() => c.publish(REPORTED, { caseNumber: 'ROP-1' }));
    // @ts-expect-error a type that is not in the catalogue
    void (() => c.publish('mom.employee.vanished', DATA));
    // @ts-expect-error a field of the right type with the wrong value type
    void (() => c.publish(REPORTED, { ...DATA, lastWorkingDay: '2025-05-14' }));
  });

  it('retries 503 after Retry-After, resending the same event (same id), and returns the answer', async () => {
    const { fetch, calls } = scripted(problem(503, 'KAFKA_UNAVAILABLE', {}, { 'retry-after': '2' }), json(202, ACCEPTED));
    const { c, waits } = client(fetch);
    expect(await c.publish(REPORTED, DATA)).toEqual(ACCEPTED);
    expect(waits).toEqual([2000]);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toEqual(calls[0]!.body);
  });

  it('retries 429 with an HTTP-date Retry-After, and 409 IDEMPOTENCY_IN_PROGRESS', async () => {
    const soon = new Date(Date.now() + 3000).toUTCString();
    const { fetch, calls } = scripted(problem(429, 'RATE_LIMITED', {}, { 'retry-after': soon }), problem(409, 'IDEMPOTENCY_IN_PROGRESS', {}, { 'retry-after': '1' }), json(202, ACCEPTED));
    const { c, waits } = client(fetch);
    await c.publish(REPORTED, DATA, { id: 'same' });
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    expect(waits[0]).toBeLessThanOrEqual(4000);
    expect(waits[1]).toBe(1000);
    expect(calls.map((call) => (call.body as { id: string }).id)).toEqual(['same', 'same', 'same']);
  });

  it('retries network errors with growing, jittered backoff and the same id', async () => {
    const { fetch, calls } = scripted(new TypeError('fetch failed'), new TypeError('fetch failed'), json(202, ACCEPTED));
    const { c, waits } = client(fetch);
    expect(await c.publish(REPORTED, DATA)).toEqual(ACCEPTED);
    expect(waits[0]).toBeGreaterThanOrEqual(125);
    expect(waits[0]).toBeLessThanOrEqual(250);
    expect(waits[1]).toBeGreaterThanOrEqual(250);
    expect(waits[1]).toBeLessThanOrEqual(500);
    expect(new Set(calls.map((call) => (call.body as { id: string }).id)).size).toBe(1);
  });

  it('treats a timed-out attempt as a network error and retries it', async () => {
    const hang = (signal: AbortSignal) => new Promise<Response>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const { fetch, calls } = scripted(hang, json(202, ACCEPTED));
    const { c } = client(fetch, { timeoutMs: 20 });
    expect(await c.publish(REPORTED, DATA)).toEqual(ACCEPTED);
    expect(calls).toHaveLength(2);
  });

  it('does not retry a refusal: 422 throws RabtProblemError with the failing paths', async () => {
    const errors = [{ path: 'workPermitNumber', expected: 'string', got: 'nothing' }];
    const { fetch, calls } = scripted(problem(422, 'SCHEMA_VALIDATION_FAILED', { errors, schemaId: 3 }));
    const { c } = client(fetch);
    const error = await c.publish(REPORTED, DATA).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RabtProblemError);
    expect(error).toMatchObject({ status: 422, code: 'SCHEMA_VALIDATION_FAILED', title: 'SCHEMA_VALIDATION_FAILED', detail: 'SCHEMA_VALIDATION_FAILED detail', errors, retryAfterSeconds: undefined });
    expect((error as RabtProblemError).problem['schemaId']).toBe(3);
    expect(calls).toHaveLength(1);
  });

  it('gives up after `retries` retries with the last problem, Retry-After included', async () => {
    const busy = () => problem(503, 'KAFKA_UNAVAILABLE', {}, { 'retry-after': '5' });
    const { fetch, calls } = scripted(busy(), busy(), busy());
    const { c, waits } = client(fetch, { retries: 2 });
    await expect(c.publish(REPORTED, DATA)).rejects.toMatchObject({ name: 'RabtProblemError', code: 'KAFKA_UNAVAILABLE', retryAfterSeconds: 5 });
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([5000, 5000]);
  });

  it('gives up on network errors with RabtNetworkError (default 3 retries = 4 attempts)', async () => {
    const down = () => new TypeError('connect ECONNREFUSED');
    const { fetch, calls } = scripted(down(), down(), down(), down());
    const { c } = client(fetch);
    const error = await c.publish(REPORTED, DATA).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RabtNetworkError);
    expect(error).toMatchObject({ attempts: 4 });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(calls).toHaveLength(4);
  });

  it('does not wait out a Retry-After longer than maxRetryDelayMs', async () => {
    const { fetch, calls } = scripted(problem(429, 'RATE_LIMITED', {}, { 'retry-after': '120' }));
    const { c, waits } = client(fetch, { maxRetryDelayMs: 10_000 });
    await expect(c.publish(REPORTED, DATA)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 120 });
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('reports an answer without a problem document as UNEXPECTED_RESPONSE (502 is not retried)', async () => {
    const { fetch, calls } = scripted(new Response('<html>Bad Gateway</html>', { status: 502 }));
    const { c } = client(fetch);
    await expect(c.publish(REPORTED, DATA)).rejects.toMatchObject({ status: 502, code: 'UNEXPECTED_RESPONSE', detail: 'HTTP 502: <html>Bad Gateway</html>' });
    expect(calls).toHaveLength(1);
  });
});

describe('RabtClient.publishBatch', () => {
  it('answers per event, in order, resending only the retryable ones with their ids', async () => {
    const { fetch, calls } = scripted(
      json(200, {
        results: [
          { index: 0, status: 202, ...ACCEPTED, id: 'a' },
          { index: 1, status: 503, problem: { code: 'KAFKA_UNAVAILABLE', title: 'down', detail: 'd' } },
          { index: 2, status: 422, problem: { code: 'SCHEMA_VALIDATION_FAILED', title: 'bad', errors: [{ path: 'reason', expected: 'x', got: 'y' }] } },
        ],
      }),
      json(200, { results: [{ index: 0, status: 202, ...ACCEPTED, id: 'b', offset: '42' }] }),
    );
    const { c } = client(fetch);
    const results = await c.publishBatch([
      { type: REPORTED, data: DATA, id: 'a' },
      { type: REPORTED, data: DATA, id: 'b' },
      { type: REPORTED, data: DATA, id: 'c' },
    ]);
    expect(calls[0]!.url).toBe('https://gw.example/v1/events/batch');
    expect(calls[0]!.headers['Content-Type']).toBe('application/cloudevents-batch+json');
    expect((calls[0]!.body as { id: string }[]).map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect((calls[1]!.body as { id: string }[]).map((e) => e.id)).toEqual(['b']);
    expect(results[0]).toEqual({ index: 0, ok: true, accepted: { ...ACCEPTED, id: 'a' } });
    expect(results[1]).toEqual({ index: 1, ok: true, accepted: { ...ACCEPTED, id: 'b', offset: '42' } });
    expect(results[2]).toMatchObject({ index: 2, ok: false, error: { status: 422, code: 'SCHEMA_VALIDATION_FAILED', errors: [{ path: 'reason' }] } });
  });

  it('retries the whole request on 429 and type-checks each event', async () => {
    const { fetch, calls } = scripted(problem(429, 'RATE_LIMITED', {}, { 'retry-after': '1' }), json(200, { results: [{ index: 0, status: 202, ...ACCEPTED }] }));
    const { c } = client(fetch);
    expect(await c.publishBatch([{ type: REPORTED, data: DATA }])).toHaveLength(1);
    expect(calls).toHaveLength(2);
    // @ts-expect-error data of another type in a batch
    void (() => c.publishBatch([{ type: 'rop.residence.absconding-registered', data: DATA }]));
  });

  it('sends nothing for an empty batch', async () => {
    const { fetch, calls } = scripted();
    expect(await client(fetch).c.publishBatch([])).toEqual([]);
    expect(calls).toHaveLength(0);
  });
});

describe('RabtClient.getEvent', () => {
  it('GETs the event by its (encoded) id', async () => {
    const event = { id: 'a/b', state: 'accepted', offset: '41' };
    const { fetch, calls } = scripted(json(200, event));
    const { c } = client(fetch);
    expect(await c.getEvent('a/b')).toEqual(event);
    expect(calls[0]).toMatchObject({ url: 'https://gw.example/v1/events/a%2Fb', method: 'GET' });
    expect(calls[0]!.headers).not.toHaveProperty('Content-Type');
  });

  it('throws EVENT_NOT_FOUND as a RabtProblemError', async () => {
    const { c } = client(scripted(problem(404, 'EVENT_NOT_FOUND')).fetch);
    await expect(c.getEvent('nope')).rejects.toMatchObject({ status: 404, code: 'EVENT_NOT_FOUND' });
  });
});

describe('RabtClient.getTransaction', () => {
  it('GETs the transaction by its (encoded) id', async () => {
    const tx = { id: 'tx/1', workflow: 'employee-left-work', workflowVersion: 1, state: 'running', startedAt: '2026-11-30T08:00:00Z', completedAt: null, steps: [], timeline: [] };
    const { fetch, calls } = scripted(json(200, tx));
    const { c } = client(fetch);
    expect(await c.getTransaction('tx/1')).toEqual(tx);
    expect(calls[0]).toMatchObject({ url: 'https://gw.example/v1/transactions/tx%2F1', method: 'GET' });
  });

  it('throws TRANSACTION_NOT_FOUND as a RabtProblemError, without retrying', async () => {
    const { fetch, calls } = scripted(problem(404, 'TRANSACTION_NOT_FOUND'));
    const { c } = client(fetch);
    await expect(c.getTransaction('tx-2')).rejects.toMatchObject({ status: 404, code: 'TRANSACTION_NOT_FOUND' });
    expect(calls).toHaveLength(1);
  });
});
