import { Body, Controller, Get, Header, HttpCode, Inject, Injectable, Logger, Module, Param, Post, type DynamicModule } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  AgencyAdminExceptionCode,
  agencyAdminError,
  issueCertificate,
  listCertificates,
  revokeCertificate,
  validateNewCertificate,
  type CertificateView,
  type IssuedCertificateView,
  type RevokedCertificateView,
} from '@rabt/auth';
import { CaConfig, NO_AGENCY_KAFKA_ACCESS, PkiError, RabtCa, type AgencyKafkaAccess } from '@rabt/pki';
import { actorOf, type OperatorPrincipal } from '../auth/roles';
import { CurrentOperator, RequireRole, requireReason } from '../auth/session.guard';
import { OpsExceptionCode, opsError } from '../ops.exception';

/** DI token of the AgencyKafkaAccess that issue and revoke call (AppModule.forRoot option). */
export const AGENCY_KAFKA_ACCESS = 'AgencyKafkaAccess';

/** Rabt's CA, loaded from CaConfig on first use, so that ops runs without one until it issues. */
@Injectable()
export class OpsCa {
  private readonly log = new Logger('ca');
  private loaded?: Promise<RabtCa>;

  constructor(private readonly config: CaConfig) {}

  get(): Promise<RabtCa> {
    this.loaded ??= RabtCa.fromFiles(this.config.certFile, this.config.keyFile).catch((e: unknown) => {
      this.loaded = undefined;
      if (!(e instanceof PkiError)) throw e;
      this.log.error(e.message);
      throw agencyAdminError(AgencyAdminExceptionCode.CA_UNAVAILABLE, `${e.message}; set RABT_CA_CERT_FILE and RABT_CA_KEY_FILE (or RABT_PKI_DIR)`);
    });
    return this.loaded;
  }
}

/**
 * Agency client certificates (Rabt-wide admins only: an admin bound to an agency is refused,
 * FORBIDDEN_AGENCY, for its own agency too, since a certificate is a credential Rabt vouches
 * for). Issue answers the private key once, with `Cache-Control: no-store`; it is stored
 * nowhere. Issue and revoke are audited with the admin's reason and grant or drop the
 * certificate's Kafka ACLs.
 */
@ApiTags('agency certificates')
@Controller('v1')
@RequireRole('admin')
export class CertificatesController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ca: OpsCa,
    @Inject(AGENCY_KAFKA_ACCESS) private readonly kafka: AgencyKafkaAccess,
  ) {}

  @Get('agencies/:code/certificates')
  @ApiOperation({ summary: "An agency's client certificates, revoked and expired ones included (never a key)" })
  async list(@CurrentOperator() admin: OperatorPrincipal, @Param('code') code: string): Promise<{ items: CertificateView[] }> {
    rabtWide(admin);
    return { items: await listCertificates(this.dataSource.manager, code) };
  }

  @Post('agencies/:code/certificates')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Issue an agency a client certificate: {reason, days?} → the certificate, its private key (once) and the CA certificate' })
  async issue(@CurrentOperator() admin: OperatorPrincipal, @Param('code') code: string, @Body() body: unknown): Promise<IssuedCertificateView> {
    rabtWide(admin);
    const reason = requireReason(body);
    const { reason: _, ...rest } = body as Record<string, unknown>;
    const input = validateNewCertificate(rest);
    return issueCertificate(this.dataSource.manager, await this.ca.get(), this.kafka, code, input, actorOf(admin), reason);
  }

  @Post('agency-certificates/:id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a certificate for good: {reason}; the gateway refuses it within 1 s, its Kafka ACLs are dropped' })
  async revoke(@CurrentOperator() admin: OperatorPrincipal, @Param('id') id: string, @Body() body: unknown): Promise<RevokedCertificateView> {
    rabtWide(admin);
    const reason = requireReason(body);
    return revokeCertificate(this.dataSource.manager, this.kafka, id, { reason }, actorOf(admin));
  }
}

function rabtWide(admin: OperatorPrincipal): void {
  if (admin.agency !== null) throw opsError(OpsExceptionCode.FORBIDDEN_AGENCY, "agency certificates are managed by Rabt's own admins only, not by an agency's account");
}

/** The certificate routes, with the AgencyKafkaAccess that grants and revokes ACLs (no-op by default). */
@Module({})
export class CertificatesModule {
  static forRoot(kafka: AgencyKafkaAccess = NO_AGENCY_KAFKA_ACCESS): DynamicModule {
    return { module: CertificatesModule, controllers: [CertificatesController], providers: [OpsCa, { provide: AGENCY_KAFKA_ACCESS, useValue: kafka }] };
  }
}
