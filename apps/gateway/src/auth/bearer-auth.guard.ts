import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AgencyCertificatesService, AgencyKeysService, parseBearer, type Principal } from '@rabt/auth';
import { HttpConfig } from '@rabt/config';
import { GatewayExceptionCode, gatewayError } from '../publish/gateway.exception';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

const PUBLIC = /^\/(health\/|metrics$|docs)/;

/** One answer for every credential that does not authenticate, so none can be told from another. */
const UNAUTHENTICATED =
  'send Authorization: Bearer <your agency API key>, or connect with your agency certificate issued by Rabt; the credential is missing, malformed, unknown, expired or revoked';

/**
 * Authenticates every call except health, metrics and docs, by either credential of an agency:
 * `Authorization: Bearer <agency API key>`, or a client certificate (mutual TLS, when the
 * gateway serves HTTPS with HTTP_TLS_CLIENT_CA) that is an active agency certificate of Rabt's
 * CA. A certificate binds its agency exactly as a key does, and carries no role. A presented
 * credential that fails refuses the call even when the other one is good; a key and a
 * certificate of different agencies refuse it too (CREDENTIALS_DISAGREE).
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly clientCa: X509Certificate | undefined;

  constructor(
    private readonly keys: AgencyKeysService,
    private readonly certificates: AgencyCertificatesService,
    http: HttpConfig,
  ) {
    const caFile = http.tls?.clientCaFile;
    this.clientCa = caFile ? new X509Certificate(readFileSync(caFile)) : undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (PUBLIC.test(request.routeOptions.url ?? '')) return true;
    const byCertificate = await this.certificatePrincipal(request);
    const token = parseBearer(request.headers.authorization);
    const byKey = token ? await this.keys.authenticate(token) : undefined;
    if (byCertificate === null || (request.headers.authorization !== undefined && !byKey) || (!byCertificate && !byKey)) {
      throw gatewayError(GatewayExceptionCode.UNAUTHENTICATED, UNAUTHENTICATED);
    }
    if (byCertificate && byKey && byCertificate.agency !== byKey.agency) {
      throw gatewayError(GatewayExceptionCode.CREDENTIALS_DISAGREE, 'the API key and the client certificate belong to different agencies; send the credentials of one agency');
    }
    // With both (same agency), the key's roles apply: a certificate grants none.
    request.principal = byKey ?? byCertificate!;
    return true;
  }

  /** undefined: no certificate presented; null: one presented that does not authenticate. */
  private async certificatePrincipal(request: FastifyRequest): Promise<Principal | undefined | null> {
    const socket = request.raw.socket as Partial<TLSSocket>;
    if (!this.clientCa || !socket.encrypted || typeof socket.getPeerX509Certificate !== 'function') return undefined;
    const peer = socket.getPeerX509Certificate();
    if (!peer) return undefined;
    if (!socket.authorized) return null;
    return (await this.certificates.authenticate(peer, this.clientCa)) ?? null;
  }
}

export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw gatewayError(GatewayExceptionCode.UNAUTHENTICATED, 'not authenticated');
  return principal;
});
