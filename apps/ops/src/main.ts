import { exitOnStartupFailure, runService } from '@rabt/runtime';
import { AppModule } from './app.module';
import { loadOpsConfig } from './config/ops.config';
import { configureOpsHttp, opsExceptionFilter } from './ops.http';

exitOnStartupFailure(async () => {
  const config = loadOpsConfig();
  await runService({ rootModule: AppModule.forRoot(config), config, exceptionFilter: opsExceptionFilter(), configure: configureOpsHttp });
});
