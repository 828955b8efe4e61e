import { Module, type DynamicModule } from '@nestjs/common';
import { RabtConfigModule } from '@rabt/config';
import { KafkaModule } from '@rabt/kafka';
import { ObservabilityModule } from '@rabt/observability';
import type { AgencyKafkaAccess } from '@rabt/pki';
import { DatabaseReadinessIndicator, PersistenceModule } from '@rabt/persistence';
import { OpsAuditModule } from './audit/ops-audit.module';
import { OpsAuthModule } from './auth/auth.module';
import { CertificatesModule } from './certificates/certificates.controller';
import type { OpsAppConfig } from './config/ops.config';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { ViewsModule } from './views.module';

/** Composition root only: which modules make up the ops service. */
@Module({})
export class AppModule {
  /** `agencyKafkaAccess`: grants and revokes agency certificates' Kafka ACLs (none by default). */
  static forRoot(config: OpsAppConfig, options: { agencyKafkaAccess?: AgencyKafkaAccess } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RabtConfigModule.forRoot(config),
        PersistenceModule.forRoot(),
        KafkaModule.forRoot(),
        ObservabilityModule.forRoot({ readiness: [DatabaseReadinessIndicator] }),
        OpsAuditModule,
        OpsAuthModule,
        DeadLettersModule,
        ViewsModule,
        CertificatesModule.forRoot(options.agencyKafkaAccess),
      ],
    };
  }
}
