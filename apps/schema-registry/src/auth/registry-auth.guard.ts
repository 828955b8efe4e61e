import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AgencyKeysService, parseBasic, type Principal } from '@rabt/auth';
import { RegistryErrors } from '../registry/registry.exception';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

const PUBLIC_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

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

/** Writing a subject: its owning agency (`<agency>.` prefix), an integrator or an admin. */
export function assertCanWriteSubject(principal: Principal | undefined, subject: string, operation = 'Write'): void {
  if (!principal) throw RegistryErrors.unauthorized();
  if (principal.roles.includes('admin') || principal.roles.includes('integrator')) return;
  if (subject.startsWith(`${principal.agency}.`)) return;
  throw RegistryErrors.forbidden(operation, `Subject: ${subject}`);
}

/** Registry-wide settings: integrators and admins only. */
export function assertCanAdminister(principal: Principal | undefined, operation = 'AlterConfigs'): void {
  if (!principal) throw RegistryErrors.unauthorized();
  if (principal.roles.includes('admin') || principal.roles.includes('integrator')) return;
  throw RegistryErrors.forbidden(operation, 'Cluster: schema-registry');
}
