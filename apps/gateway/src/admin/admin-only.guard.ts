import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { isPlatformAdmin, PLATFORM_AGENCY, type Principal } from '@rabt/auth';
import type { ApiKeyRole } from '@rabt/persistence';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { GatewayExceptionCode, gatewayError } from '../publish/gateway.exception';

export const isAdmin = (principal: Principal): boolean => principal.roles.includes('admin');

/** Throws PLATFORM_ONLY unless the caller is a platform admin. */
export function requirePlatformAdmin(caller: Principal, what: string): void {
  if (!isPlatformAdmin(caller)) {
    throw gatewayError(GatewayExceptionCode.PLATFORM_ONLY, `${what} is for admin keys of the operator ('${PLATFORM_AGENCY}') only; this is a key of agency '${caller.agency}'`);
  }
}

/** Throws OTHER_AGENCY unless the caller may act for `agency`: its own, or any for a platform admin. */
export function requireActsFor(caller: Principal, agency: unknown): void {
  if (agency === caller.agency || isPlatformAdmin(caller)) return;
  throw gatewayError(GatewayExceptionCode.OTHER_AGENCY, `a key of agency '${caller.agency}' acts for agency '${caller.agency}' only`);
}

/** Throws ROLE_NOT_HELD when a non-platform caller would hand out a role its own key does not hold. */
export function requireRolesHeld(caller: Principal, roles: unknown): void {
  if (isPlatformAdmin(caller) || !Array.isArray(roles)) return;
  const above = roles.filter((role): role is ApiKeyRole => (role === 'admin' || role === 'integrator') && !caller.roles.includes(role));
  if (above.length > 0) {
    throw gatewayError(GatewayExceptionCode.ROLE_NOT_HELD, `this key of agency '${caller.agency}' does not hold the role(s) ${[...new Set(above)].join(', ')}, so it cannot issue them`);
  }
}

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
