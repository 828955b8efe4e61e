import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptBodylessRequests, announcesNoBody } from './bodyless-requests';

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

function app(withHook: boolean) {
  const fastify = Fastify();
  apps.push(fastify);
  if (withHook) acceptBodylessRequests(fastify);
  for (const method of ['DELETE', 'POST', 'PUT'] as const) fastify.route({ method, url: '/thing', handler: async (req) => ({ body: req.body ?? null }) });
  return fastify;
}

describe('body-less requests with a content type', () => {
  it('without the hook Fastify refuses a DELETE that has a JSON content type and no body', async () => {
    const res = await app(false).inject({ method: 'DELETE', url: '/thing', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'FST_ERR_CTP_EMPTY_JSON_BODY' });
  });

  it.each([undefined, '0'])('with it, such a DELETE (Content-Length %s) reaches the route', async (length) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (length !== undefined) headers['content-length'] = length;
    const res = await app(true).inject({ method: 'DELETE', url: '/thing', headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ body: null });
  });

  it('a DELETE that does carry a body is still parsed', async () => {
    const res = await app(true).inject({ method: 'DELETE', url: '/thing', headers: { 'content-type': 'application/json' }, payload: '{"a":1}' });
    expect(res.json()).toEqual({ body: { a: 1 } });
    const bad = await app(true).inject({ method: 'DELETE', url: '/thing', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(bad.statusCode).toBe(400);
  });

  it.each(['POST', 'PUT'] as const)('a %s with a JSON content type and no body is still refused', async (method) => {
    const res = await app(true).inject({ method, url: '/thing', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
  });

  it('announcesNoBody reads Content-Length and Transfer-Encoding', () => {
    expect(announcesNoBody({})).toBe(true);
    expect(announcesNoBody({ 'content-length': '0' })).toBe(true);
    expect(announcesNoBody({ 'content-length': '2' })).toBe(false);
    expect(announcesNoBody({ 'transfer-encoding': 'chunked' })).toBe(false);
  });
});
