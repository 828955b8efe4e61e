import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AgencyKeysService, isPlatformAdmin, parseBasic, PLATFORM_AGENCY, type Principal } from '@rabt/auth';
import { RegistryErrors } from '../registry/registry.exception';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

const PUBLIC_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Subjects of the platform: the operator's own types (`rabt.transaction.…`) and the router's
 * projected inbox schemas (`rabt.inbox.<agency>.<type>.<hash>-value`, docs/routing.md). No
 * agency's prefix can reach them, whatever its code.
 */
export const PLATFORM_SUBJECT_PREFIX = 'rabt.';

/** A key of the operator agency with the integrator or admin role: the platform's services and admins. */
export const isPlatform = (p: Principal): boolean => p.agency === PLATFORM_AGENCY && (p.roles.includes('admin') || p.roles.includes('integrator'));

/** Whether `p` may write `subject`: the platform any subject; an agency only its own `<agency>.` subjects. */
export function mayWriteSubject(p: Principal, subject: string): boolean {
  if (isPlatform(p)) return true;
  return !subject.startsWith(PLATFORM_SUBJECT_PREFIX) && subject.startsWith(`${p.agency}.`);
}

/**
 * HTTP Basic, as Confluent clients send it: the agency code as user name, one of its API keys
 * as password. Every registry call needs it; health and metrics do not.
 */
@Injectable()
export class RegistryAuthGuard implements CanActivate {
  constructor(private readonly keys: AgencyKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (PUBLIC_PATHS.has(request.routeOptions.url ?? '')) return true;
    const basic = parseBasic(request.headers.authorization);
    if (!basic) throw RegistryErrors.unauthorized();
    const principal = await this.keys.authenticate(basic.password);
    if (!principal || principal.agency !== basic.username) throw RegistryErrors.unauthorized();
    request.principal = principal;
    return true;
  }
}

/** Writing a subject (registering, deleting, its compatibility or mode): see mayWriteSubject. */
export function assertCanWriteSubject(principal: Principal | undefined, subject: string, operation = 'Write'): void {
  if (!principal) throw RegistryErrors.unauthorized();
  if (!mayWriteSubject(principal, subject)) throw RegistryErrors.forbidden(operation, `Subject: ${subject}`);
}

/** Registry-wide settings: the platform only. */
export function assertCanAdminister(principal: Principal | undefined, operation = 'AlterConfigs'): void {
  if (!principal) throw RegistryErrors.unauthorized();
  if (!isPlatform(principal)) throw RegistryErrors.forbidden(operation, 'Cluster: schema-registry');
}

/** IMPORT mode (entering, leaving, or registering in it) and explicit schema ids: platform admins only. */
export function assertCanImport(principal: Principal | undefined, resource: string): void {
  if (!principal) throw RegistryErrors.unauthorized();
  if (!isPlatformAdmin(principal)) throw RegistryErrors.forbidden('Import', resource);
}
