import { Module, type DynamicModule } from '@nestjs/common';
import { RabtConfigModule } from '@rabt/config';
import { unavailableAgencyKafkaAccess } from '@rabt/auth';
import { agencyKafkaAccessFor, KafkaModule } from '@rabt/kafka';
import { ObservabilityModule } from '@rabt/observability';
import { NO_AGENCY_KAFKA_ACCESS, type AgencyKafkaAccess } from '@rabt/pki';
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
  /**
   * `agencyKafkaAccess` grants and revokes agency certificates' Kafka ACLs; by default it is the
   * configured provisioning credential (KAFKA_ADMIN_*), or a refusal when the broker is secured
   * and none is configured.
   */
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
        CertificatesModule.forRoot(options.agencyKafkaAccess ?? configuredAgencyKafkaAccess(config)),
      ],
    };
  }
}

function configuredAgencyKafkaAccess(config: OpsAppConfig): AgencyKafkaAccess {
  const access = agencyKafkaAccessFor(config.values.kafka, config.values.kafkaAdmin);
  if (access === 'none') return NO_AGENCY_KAFKA_ACCESS;
  if (access === 'missing') return unavailableAgencyKafkaAccess('the broker is secured and ops has no provisioning credential: set KAFKA_ADMIN_CERT_FILE and KAFKA_ADMIN_KEY_FILE');
  return access;
}
