import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggingConfig } from '@rabt/config';
import { MetricsService } from './metrics.service';
import { ObservabilityController } from './observability.controller';
import { READINESS_INDICATORS, type ReadinessIndicator } from './readiness.indicator';
import { requestIdFrom, traceContextFrom, type TraceContext } from './trace-context';

export interface ObservabilityOptions {
  /** Indicators `/health/ready` checks; each must be a provider visible to the app (global modules). */
  readonly readiness: readonly Type<ReadinessIndicator>[];
}

type TracedRequest = IncomingMessage & { traceContext?: TraceContext };

/** Logger fields every line carries, and headers never to be logged. */
export function pinoHttpOptions(logging: LoggingConfig) {
  return {
    level: logging.level,
    base: { service: logging.service },
    messageKey: 'msg',
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdFrom(req.headers['x-request-id']);
      const traced = req as TracedRequest;
      traced.traceContext = traceContextFrom(req.headers['traceparent'] as string | undefined);
      res.setHeader('x-request-id', id);
      res.setHeader('traceparent', traced.traceContext.traceparent);
      return id;
    },
    customProps: (req: IncomingMessage) => {
      const ctx = (req as TracedRequest).traceContext;
      return ctx ? { traceId: ctx.traceId, spanId: ctx.spanId } : {};
    },
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health/live' || req.url === '/metrics' },
    ...(logging.pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
  };
}

@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' }),
        LoggerModule.forRootAsync({
          inject: [LoggingConfig],
          useFactory: (logging: LoggingConfig) => ({ pinoHttp: pinoHttpOptions(logging) }),
        }),
      ],
      controllers: [ObservabilityController],
      providers: [
        MetricsService,
        {
          provide: READINESS_INDICATORS,
          inject: [...options.readiness],
          useFactory: (...indicators: ReadinessIndicator[]) => indicators,
        },
      ],
      exports: [MetricsService, LoggerModule],
    };
  }
}
