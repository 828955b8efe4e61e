import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { LoggingConfig } from '@rabt/config';
import { MetricsService } from './metrics.service';
import { ObservabilityController } from './observability.controller';
import { READINESS_INDICATORS, type ReadinessIndicator } from './readiness.indicator';
import { requestIdFrom, traceContextFrom, type TraceContext } from './trace-context';

export interface ObservabilityOptions {
  /** Indicators `/health/ready` checks; each must be a provider visible to the app (global modules). */
  readonly readiness: readonly Type<ReadinessIndicator>[];
}

type TracedRequest = IncomingMessage & { rabtContext?: { requestId: string; trace: TraceContext } };

/**
 * The request id (caller's `x-request-id` if sane, else new) and W3C trace context of a raw
 * request, computed once and kept on it; the HTTP server and the logger both read it here.
 */
export function requestContextFor(req: IncomingMessage): { requestId: string; trace: TraceContext } {
  const traced = req as TracedRequest;
  traced.rabtContext ??= {
    requestId: requestIdFrom(req.headers['x-request-id']),
    trace: traceContextFrom(req.headers['traceparent'] as string | undefined),
  };
  return traced.rabtContext;
}

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
    // Fastify assigns the id (requestContextFor); pino-http reuses req.id when it is set.
    genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? requestContextFor(req).requestId,
    customProps: (req: IncomingMessage) => {
      const { trace } = requestContextFor(req);
      return { traceId: trace.traceId, spanId: trace.spanId };
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
      // Global: any module may register its own metrics on the service's MetricsService.
      global: true,
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
