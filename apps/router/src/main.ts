import { exitOnStartupFailure, runService } from '@rabt/runtime';
import { AppModule } from './app.module';
import { loadRouterConfig } from './config/router.config';

exitOnStartupFailure(async () => {
  const config = loadRouterConfig();
  await runService({ rootModule: AppModule.forRoot(config), config });
});
