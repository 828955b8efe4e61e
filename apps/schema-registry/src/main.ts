import { exitOnStartupFailure, runService } from '@rabt/runtime';
import { AppModule } from './app.module';
import { loadSchemaRegistryConfig } from './config/schema-registry.config';
import { configureRegistryHttp, REGISTRY_MAX_PARAM_LENGTH, registryExceptionFilter } from './registry/registry.http';

exitOnStartupFailure(async () => {
  const config = loadSchemaRegistryConfig();
  await runService({ rootModule: AppModule.forRoot(config), config, exceptionFilter: registryExceptionFilter(), configure: configureRegistryHttp, maxParamLength: REGISTRY_MAX_PARAM_LENGTH });
});
