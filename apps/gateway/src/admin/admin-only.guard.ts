import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@rabt/auth';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { GatewayExceptionCode, gatewayError } from '../publish/gateway.exception';

export const isAdmin = (principal: Principal): boolean => principal.roles.includes('admin');

/** Lets through only callers whose key has the `admin` role (runs after BearerAuthGuard). */
@Injectable()
export class AdminOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw gatewayError(GatewayExceptionCode.UNAUTHENTICATED, 'not authenticated');
    if (!isAdmin(principal)) {
      throw gatewayError(GatewayExceptionCode.ADMIN_ONLY, `this key of agency '${principal.agency}' does not have the admin role; the agency registry is managed by admin keys only`);
    }
    return true;
  }
}
