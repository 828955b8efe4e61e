import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AgencyKeysService, parseBearer, type Principal } from '@rabt/auth';
import { GatewayExceptionCode, gatewayError } from '../publish/gateway.exception';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

const PUBLIC = /^\/(health\/|metrics$|docs)/;

/** `Authorization: Bearer <agency API key>` on every call except health, metrics and docs. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly keys: AgencyKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (PUBLIC.test(request.routeOptions.url ?? '')) return true;
    const token = parseBearer(request.headers.authorization);
    const principal = token ? await this.keys.authenticate(token) : undefined;
    if (!principal) throw gatewayError(GatewayExceptionCode.UNAUTHENTICATED, 'send Authorization: Bearer <your agency API key>; the key is missing, malformed, unknown or revoked');
    request.principal = principal;
    return true;
  }
}

export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw gatewayError(GatewayExceptionCode.UNAUTHENTICATED, 'not authenticated');
  return principal;
});
