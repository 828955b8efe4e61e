import { exitOnStartupFailure, runService } from '@rabt/runtime';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config/gateway.config';
import { configureGatewayHttp, gatewayExceptionFilter } from './gateway.http';

exitOnStartupFailure(async () => {
  const config = loadGatewayConfig();
  await runService({ rootModule: AppModule.forRoot(config), config, exceptionFilter: gatewayExceptionFilter(), configure: configureGatewayHttp });
});
