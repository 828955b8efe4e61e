import { Module, type DynamicModule } from '@nestjs/common';
import { RabtConfigModule } from '@rabt/config';
import { KafkaModule, KafkaReadinessIndicator } from '@rabt/kafka';
import { ObservabilityModule } from '@rabt/observability';
import { DatabaseReadinessIndicator, PersistenceModule } from '@rabt/persistence';
import type { DispatcherAppConfig } from './config/dispatcher.config';
import { DeliveryModule } from './delivery/delivery.module';
import { IntakeModule } from './intake/intake.module';

/** Composition root only: which modules make up the dispatcher. */
@Module({})
export class AppModule {
  static forRoot(config: DispatcherAppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RabtConfigModule.forRoot(config),
        KafkaModule.forRoot(),
        PersistenceModule.forRoot(),
        ObservabilityModule.forRoot({ readiness: [KafkaReadinessIndicator, DatabaseReadinessIndicator] }),
        DeliveryModule,
        IntakeModule,
      ],
    };
  }
}
