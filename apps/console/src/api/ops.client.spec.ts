import { describe, expect, it } from 'vitest';
import { OpsClient, queryString } from './ops.client';
import { OpsProblem } from './ops-problem.exception';

type Call = { url: string; init: RequestInit };

function fakeFetch(answer: () => Response): { calls: Call[]; fetch: typeof fetch } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return answer();
    }) as typeof fetch,
  };
}

const problem = (status: number, body: object) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });

describe('ops client', () => {
  it('sends the filter as a query without empty values, and a bearer token when it has one', async () => {
    const f = fakeFetch(() => Response.json({ items: [], nextCursor: null, total: 0 }));
    await new OpsClient({ baseUrl: 'http://ops/', token: 'tok', fetch: f.fetch }).deadLetters({ agency: 'rop', type: '', transactionId: 'tx 1', limit: 50 });
    expect(f.calls[0]!.url).toBe('http://ops/v1/dead-letters?agency=rop&transactionId=tx+1&limit=50');
    expect((f.calls[0]!.init.headers as Record<string, string>)['authorization']).toBe('Bearer tok');
    expect(f.calls[0]!.init.credentials).toBe('same-origin');
  });

  it('mutations are JSON (the ops service refuses anything else) and carry the reason', async () => {
    const f = fakeFetch(() => Response.json({ id: 'd1', state: 'replaying' }, { status: 202 }));
    await new OpsClient({ fetch: f.fetch }).replay('a/b', 'receiver fixed');
    expect(f.calls[0]!.url).toBe('/v1/dead-letters/a%2Fb/replay');
    expect(f.calls[0]!.init.method).toBe('POST');
    expect((f.calls[0]!.init.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(JSON.parse(String(f.calls[0]!.init.body))).toEqual({ reason: 'receiver fixed' });
  });

  it('a problem+json answer becomes an OpsProblem with its code, title and detail', async () => {
    const f = fakeFetch(() => problem(429, { title: 'Too many sign-in attempts', status: 429, code: 'RATE_LIMITED', detail: 'try again in 40 s' }));
    const error = await new OpsClient({ fetch: f.fetch }).signIn('x', 'y').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpsProblem);
    expect((error as OpsProblem).code).toBe('RATE_LIMITED');
    expect((error as OpsProblem).status).toBe(429);
    expect((error as OpsProblem).message).toBe('Too many sign-in attempts: try again in 40 s');
  });

  it('an answer that is not problem+json still becomes a problem with the HTTP status', async () => {
    const f = fakeFetch(() => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const error = (await new OpsClient({ fetch: f.fetch }).dashboard().catch((e: unknown) => e)) as OpsProblem;
    expect(error.problem).toMatchObject({ status: 502, code: 'HTTP_502', title: 'Bad Gateway' });
  });

  it('a network failure is a NETWORK problem', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const error = (await new OpsClient({ fetch: failing }).agencies().catch((e: unknown) => e)) as OpsProblem;
    expect(error.problem).toMatchObject({ status: 0, code: 'NETWORK', detail: 'fetch failed' });
  });

  it('tells when a session has ended (401 UNAUTHENTICATED), except for the session check itself', async () => {
    let ended = 0;
    const f = fakeFetch(() => problem(401, { title: 'Sign in', status: 401, code: 'UNAUTHENTICATED' }));
    const client = new OpsClient({ fetch: f.fetch, onUnauthenticated: () => ended++ });
    await client.currentOperator().catch(() => undefined);
    expect(ended).toBe(0);
    await client.schemas().catch(() => undefined);
    expect(ended).toBe(1);
  });

  it('204 answers resolve to nothing', async () => {
    const f = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(new OpsClient({ fetch: f.fetch }).signOut()).resolves.toBeUndefined();
  });

  it('queryString keeps zero and drops null, undefined and empty strings', () => {
    expect(queryString({ a: 0, b: null, c: undefined, d: '', e: 'x' })).toBe('?a=0&e=x');
    expect(queryString({})).toBe('');
  });
});
