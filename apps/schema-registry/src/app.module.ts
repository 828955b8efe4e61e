import { Module, type DynamicModule } from '@nestjs/common';
import { RabtConfigModule } from '@rabt/config';
import { ObservabilityModule } from '@rabt/observability';
import { DatabaseReadinessIndicator, PersistenceModule } from '@rabt/persistence';
import type { SchemaRegistryConfig } from './config/schema-registry.config';
import { RegistryModule } from './registry/registry.module';

/** Composition root only: which modules make up the schema registry. */
@Module({})
export class AppModule {
  static forRoot(config: SchemaRegistryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RabtConfigModule.forRoot(config),
        PersistenceModule.forRoot(),
        ObservabilityModule.forRoot({ readiness: [DatabaseReadinessIndicator] }),
        RegistryModule,
      ],
    };
  }
}
