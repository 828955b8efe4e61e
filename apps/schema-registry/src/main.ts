import { exitOnStartupFailure, runService } from '@rabt/runtime';
import { AppModule } from './app.module';
import { loadSchemaRegistryConfig } from './config/schema-registry.config';

exitOnStartupFailure(async () => {
  const config = loadSchemaRegistryConfig();
  await runService({ rootModule: AppModule.forRoot(config), config });
});
