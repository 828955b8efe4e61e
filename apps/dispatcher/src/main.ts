import { Logger } from '@nestjs/common';
import { exitOnStartupFailure, runService } from '@rabt/runtime';
import { AppModule } from './app.module';
import { loadDispatcherConfig } from './config/dispatcher.config';

exitOnStartupFailure(async () => {
  const config = loadDispatcherConfig();
  await runService({ rootModule: AppModule.forRoot(config), config });
  if (config.values.secrets.developmentKey) new Logger('dispatcher').warn('RABT_SECRET_KEY is the built-in development key: webhook signing secrets are not protected at rest');
});
