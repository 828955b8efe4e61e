import { createParamDecorator, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { OperatorRole } from '@rabt/ops-contracts';
import { OpsConfig } from '../config/ops.config';
import { hostileInput } from '../hostile-input';
import { OpsExceptionCode, opsError } from '../ops.exception';
import { hasRole, type OperatorPrincipal } from './roles';
import { SessionsRepository } from './sessions.repository';

export const SESSION_COOKIE = 'rabt_ops_session';

export type OperatorRequest = FastifyRequest & { operator?: OperatorPrincipal; cookies?: Record<string, string | undefined> };

const ROLE = 'rabt:ops-role';
const PUBLIC = 'rabt:ops-public';

/** The least role a route needs (routes without it need `viewer`). */
export const RequireRole = (role: OperatorRole) => SetMetadata(ROLE, role);
/** A route anyone may call (signing in). */
export const PublicRoute = () => SetMetadata(PUBLIC, true);

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The session token of a request: `Authorization: Bearer …` (CLI) or the session cookie (console). */
export function sessionTokenOf(request: OperatorRequest): string | undefined {
  const auth = request.headers.authorization;
  const bearer = typeof auth === 'string' ? /^Bearer\s+(\S+)$/i.exec(auth)?.[1] : undefined;
  return bearer ?? request.cookies?.[SESSION_COOKIE] ?? undefined;
}

/**
 * Every /v1 route: a mutating request must send JSON (with the SameSite=Strict cookie, the CSRF
 * defence); no path parameter, query value or body may hold a NUL character or nest deeper than
 * MAX_BODY_DEPTH (400 INVALID_REQUEST, before anything is read or written); the request must
 * carry a live session (401 UNAUTHENTICATED), and the account's role must reach the route's
 * (403 FORBIDDEN_ROLE). Health, metrics, docs and the console's files are public.
 */
@Injectable()
export class OperatorSessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsRepository,
    private readonly config: OpsConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<OperatorRequest>();
    if (!(request.routeOptions.url ?? '').startsWith('/v1/')) return true;
    if (MUTATING.has(request.method) && request.body !== undefined && !/^application\/json\b/i.test(String(request.headers['content-type'] ?? ''))) {
      throw opsError(OpsExceptionCode.UNSUPPORTED_MEDIA_TYPE, 'request bodies must be application/json');
    }
    const hostile = hostileInput(request.params) ?? hostileInput(request.query) ?? hostileInput(request.body);
    if (hostile) throw opsError(OpsExceptionCode.INVALID_REQUEST, hostile);
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const token = sessionTokenOf(request);
    const operator = token ? await this.sessions.resolve(token, this.config.sessionIdleMs) : undefined;
    if (!operator) throw opsError(OpsExceptionCode.UNAUTHENTICATED, 'sign in first: POST /v1/session, then send the cookie or Authorization: Bearer <token>');
    request.operator = operator;
    const required = this.reflector.getAllAndOverride<OperatorRole>(ROLE, [context.getHandler(), context.getClass()]) ?? 'viewer';
    if (!hasRole(operator.role, required)) throw opsError(OpsExceptionCode.FORBIDDEN_ROLE, `this needs the ${required} role; ${operator.username} is a ${operator.role}`);
    return true;
  }
}

/** The signed-in operator (after OperatorSessionGuard). */
export const CurrentOperator = createParamDecorator((_: unknown, ctx: ExecutionContext): OperatorPrincipal => {
  const operator = ctx.switchToHttp().getRequest<OperatorRequest>().operator;
  if (!operator) throw opsError(OpsExceptionCode.UNAUTHENTICATED, 'not signed in');
  return operator;
});

/** An operator action's reason: required, trimmed, at most 1000 characters. */
export function requireReason(body: unknown): string {
  const reason = (body as { reason?: unknown } | undefined)?.reason;
  if (typeof reason !== 'string' || !reason.trim()) throw opsError(OpsExceptionCode.REASON_REQUIRED, 'send a non-empty "reason": every operator action is audited with its reason');
  if (reason.length > 1000) throw opsError(OpsExceptionCode.INVALID_REQUEST, 'reason: at most 1000 characters');
  return reason.trim();
}
