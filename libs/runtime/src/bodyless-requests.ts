import type { FastifyInstance } from 'fastify';

/** Methods whose requests carry no body in every API Rabt serves. */
const BODYLESS_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS']);

/** True when the request announces no body: no Transfer-Encoding and no (or a zero) Content-Length. */
export function announcesNoBody(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/**
 * Confluent's Java and Go clients (and other HTTP libraries) send `Content-Type` on every request,
 * including a DELETE with no body. Fastify then runs the JSON parser on nothing and answers 400
 * "Body cannot be empty when content-type is set". On a DELETE, GET, HEAD or OPTIONS that
 * announces no body, the content type describes nothing: it is dropped before parsing, so the
 * route answers as it would without it. A POST, PUT or PATCH with no body is still parsed (and
 * refused).
 */
export function acceptBodylessRequests(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request) => {
    if (!BODYLESS_METHODS.has(request.method) || !announcesNoBody(request.raw.headers)) return;
    if (request.raw.headers['content-type'] !== undefined) delete request.raw.headers['content-type'];
  });
}
