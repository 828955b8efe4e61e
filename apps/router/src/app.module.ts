import { Module, type DynamicModule } from '@nestjs/common';
import { RabtConfigModule } from '@rabt/config';
import { KafkaModule, KafkaReadinessIndicator } from '@rabt/kafka';
import { ObservabilityModule } from '@rabt/observability';
import { DatabaseReadinessIndicator, PersistenceModule } from '@rabt/persistence';
import type { RouterAppConfig } from './config/router.config';
import { RoutingModule } from './routing/routing.module';

/** Composition root only: which modules make up the router. */
@Module({})
export class AppModule {
  static forRoot(config: RouterAppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RabtConfigModule.forRoot(config),
        KafkaModule.forRoot(),
        PersistenceModule.forRoot(),
        ObservabilityModule.forRoot({ readiness: [KafkaReadinessIndicator, DatabaseReadinessIndicator] }),
        RoutingModule,
      ],
    };
  }
}
