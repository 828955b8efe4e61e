import { Module, type DynamicModule } from '@nestjs/common';
import { RabtConfigModule } from '@rabt/config';
import { KafkaModule, KafkaReadinessIndicator } from '@rabt/kafka';
import { ObservabilityModule } from '@rabt/observability';
import { DatabaseReadinessIndicator, PersistenceModule } from '@rabt/persistence';
import { AdminModule } from './admin/admin.module';
import type { GatewayConfig } from './config/gateway.config';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { PublishModule } from './publish/publish.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { TransactionsModule } from './transactions/transactions.module';

/** Composition root only: which modules make up the gateway. */
@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RabtConfigModule.forRoot(config),
        KafkaModule.forRoot(),
        PersistenceModule.forRoot(),
        ObservabilityModule.forRoot({ readiness: [KafkaReadinessIndicator, DatabaseReadinessIndicator] }),
        PublishModule,
        AdminModule,
        SubscriptionsModule,
        DeliveriesModule,
        TransactionsModule,
      ],
    };
  }
}
