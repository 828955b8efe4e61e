import { Module, type DynamicModule } from '@nestjs/common';
import { RabtConfigModule } from '@rabt/config';
import { KafkaModule, KafkaReadinessIndicator } from '@rabt/kafka';
import { ObservabilityModule } from '@rabt/observability';
import { DatabaseReadinessIndicator, PersistenceModule } from '@rabt/persistence';
import type { WorkflowAppConfig } from './config/workflow.config';
import type { WorkflowDefinitions } from './definitions/workflow-definitions';
import { WorkflowModule } from './workflow.module';

/** Composition root only: which modules make up the workflow service. */
@Module({})
export class AppModule {
  static forRoot(config: WorkflowAppConfig, definitions: WorkflowDefinitions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RabtConfigModule.forRoot(config),
        KafkaModule.forRoot(),
        PersistenceModule.forRoot(),
        ObservabilityModule.forRoot({ readiness: [KafkaReadinessIndicator, DatabaseReadinessIndicator] }),
        WorkflowModule.forRoot(definitions),
      ],
    };
  }
}
