// Who may read a service's operational endpoints: /metrics (Prometheus) and /docs (the OpenAPI
// page and document). Enforced in one Fastify hook for every service, before any route runs.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EndpointAccess, HttpConfig } from '@rabt/config';
import { genericProblem, problem } from './problem-details';
import { sendProblem } from './problem-details.filter';

const METRICS_ROUTE = '/metrics';
const DOCS_ROUTE = /^\/docs(?:[/-]|$)/;

/** The token of `Authorization: Bearer <token>`, or the password of `Authorization: Basic` (a browser's prompt). */
function presentedToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const [scheme, value] = authorization.split(' ', 2);
  if (!value) return undefined;
  if (/^bearer$/i.test(scheme ?? '')) return value.trim();
  if (/^basic$/i.test(scheme ?? '')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

/** Constant-time comparison of the digests, so neither the token's length nor its prefix leaks. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Whether a request may read an endpoint of this access: 'ok', 'unauthenticated' or 'closed'. */
export function endpointDecision(access: EndpointAccess, authorization: string | undefined): 'ok' | 'unauthenticated' | 'closed' {
  if (access.token !== undefined) return tokenMatches(presentedToken(authorization), access.token) ? 'ok' : 'unauthenticated';
  return access.open ? 'ok' : 'closed';
}

function refuse(request: FastifyRequest, reply: FastifyReply, what: string, decision: 'unauthenticated' | 'closed', basicRealm: boolean): void {
  const path = request.url.split('?')[0]!;
  if (decision === 'closed') {
    sendProblem(reply, {
      ...problem('ENDPOINT_CLOSED', 403, 'This endpoint is not served to anyone', `${what} is closed on this service: set its token (or open it) in the service's configuration`),
      instance: path,
    });
    return;
  }
  void reply.header('WWW-Authenticate', basicRealm ? 'Basic realm="rabt-docs", charset="UTF-8"' : 'Bearer realm="rabt-metrics"');
  sendProblem(reply, { ...genericProblem(401, `${what} needs its bearer token`), instance: path });
}

/**
 * Adds the hook: /metrics per `http.metrics`; /docs* answer 404 when docs are off and want the
 * docs token when one is set. It decides by the route the request matched, not by the URL as
 * sent, so that a percent-encoded spelling (`/%6detrics`) cannot slip past it.
 */
export function guardOperationalEndpoints(fastify: FastifyInstance, http: Pick<HttpConfig, 'metrics' | 'docs'>): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined) return undefined;
    if (route === METRICS_ROUTE) {
      const decision = endpointDecision(http.metrics, request.headers.authorization);
      if (decision === 'ok') return undefined;
      refuse(request, reply, 'GET /metrics', decision, false);
      return reply;
    }
    if (DOCS_ROUTE.test(route)) {
      if (!http.docs.enabled) {
        sendProblem(reply, { ...genericProblem(404, `no route ${request.method} ${request.url.split('?')[0]}`), instance: request.url.split('?')[0] });
        return reply;
      }
      const decision = endpointDecision(http.docs, request.headers.authorization);
      if (decision === 'ok') return undefined;
      refuse(request, reply, 'the API documentation', decision, true);
      return reply;
    }
    return undefined;
  });
}
