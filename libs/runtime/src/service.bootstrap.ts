import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { Logger as NestLogger, type DynamicModule, type ExceptionFilter, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { ConfigValidationError, type HttpConfig, type LoadedConfig, type LoggingConfig } from '@rabt/config';
import { MetricsService, requestContextFor } from '@rabt/observability';
import { acceptBodylessRequests } from './bodyless-requests';
import { assertDependenciesPatched, UnpatchedDependencyError } from './dependency-patches';
import { guardOperationalEndpoints } from './endpoint-access';
import { httpsOptions } from './https.options';
import { ProblemDetailsFilter } from './problem-details.filter';

export interface ServiceOptions {
  readonly rootModule: DynamicModule;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly config: LoadedConfig<any> & { readonly values: { readonly http: HttpConfig; readonly logging: LoggingConfig } };
  /** Replaces the problem+json filter (e.g. the schema registry answers in Confluent's error shape). */
  readonly exceptionFilter?: ExceptionFilter;
  /** Last words before listening: OpenAPI, extra Fastify plugins, … */
  readonly configure?: (app: NestFastifyApplication) => Promise<void> | void;
  /** Force exit if graceful shutdown takes longer than this. */
  readonly shutdownTimeoutMs?: number;
  /** Longest path parameter, in characters as sent (Fastify's default is 100). */
  readonly maxParamLength?: number;
}

/** One HTTP route a running service answers: method and Fastify's URL pattern (`/v1/x/:id`). */
export interface ServiceRoute {
  readonly method: string;
  readonly url: string;
}

const routesOf = new WeakMap<object, ServiceRoute[]>();

/**
 * Every route the service's HTTP server registered (controllers, health, metrics, docs, static
 * files), read from Fastify itself, so that a test over all routes cannot miss a new one.
 */
export function serviceRoutes(app: NestFastifyApplication): readonly ServiceRoute[] {
  return routesOf.get(app.getHttpAdapter().getInstance()) ?? [];
}

/**
 * Creates a service's Nest app on Fastify without listening: logger, error filter, HTTP
 * metrics, access to /metrics and /docs, shutdown hooks; HTTPS when HTTP_TLS_CERT/KEY are set
 * (https.options.ts). Tests use this directly with
 * `app.inject` or `listen(0)`. Refuses (UnpatchedDependencyError) when node_modules lacks the
 * patches of patches/.
 */
export async function createService(options: ServiceOptions): Promise<NestFastifyApplication> {
  assertDependenciesPatched();
  const { http } = options.config.values;
  const filter = options.exceptionFilter ?? new ProblemDetailsFilter();
  const https = httpsOptions(options.config.service, http.tls ?? {});
  const adapter = new FastifyAdapter({
    ...(https ? { https } : {}),
    bodyLimit: http.bodyLimitBytes,
    trustProxy: false,
    return503OnClosing: true,
    genReqId: (req: IncomingMessage) => requestContextFor(req).requestId,
    ...(options.maxParamLength ? { routerOptions: { maxParamLength: options.maxParamLength } } : {}),
    // Errors Fastify meets before routing (a URL that is not valid percent-encoding, a path
    // parameter over the limit) are answered by the service's own filter, in its error shape.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => filter.catch(error, new ExecutionContextHost([request, reply])),
  });
  const routes: ServiceRoute[] = [];
  routesOf.set(adapter.getInstance(), routes);
  adapter.getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.rootModule, adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  const databaseUrl = (options.config.values as { database?: { url?: unknown } }).database?.url;
  if (filter instanceof ProblemDetailsFilter && typeof databaseUrl === 'string') filter.databaseAt(databaseUrl);
  app.useGlobalFilters(filter);

  const metrics = app.get(MetricsService);
  const fastify = app.getHttpAdapter().getInstance();
  acceptBodylessRequests(fastify);
  guardOperationalEndpoints(fastify, http);
  fastify.addHook('onRequest', async (request, reply) => {
    const { requestId, trace } = requestContextFor(request.raw);
    void reply.header('x-request-id', requestId).header('traceparent', trace.traceparent);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
  await options.configure?.(app);
  return app;
}

/** main.ts of every service: create, listen, log where, and stop cleanly on SIGTERM/SIGINT. */
export async function runService(options: ServiceOptions): Promise<INestApplication> {
  const app = await createService(options);
  const { http } = options.config.values;
  await app.listen({ host: http.host, port: http.port });
  const log = new NestLogger(options.config.service);
  log.log({ config: options.config.printable }, `${options.config.service} listening on ${http.tls?.certFile ? 'https' : 'http'}://${http.host}:${http.port}${http.tls?.clientCaFile ? ' (client certificates requested)' : ''}`);
  // The route table, for operators and for the authorisation matrix test (test/e2e).
  log.log({ routes: serviceRoutes(app).map((r) => `${r.method} ${r.url}`) }, `${serviceRoutes(app).length} HTTP routes`);
  warnOfDevelopmentMode(log, options.config);
  // Our own signal handling rather than Nest's enableShutdownHooks (which re-raises the signal):
  // close the app — consumers stop, in-flight requests finish, producers flush — then exit 0.
  // A shutdown that hangs is cut off so an orchestrator never waits forever.
  const timeoutMs = options.shutdownTimeoutMs ?? 15_000;
  const shutdown = (signal: NodeJS.Signals) => {
    log.log(`${signal} received: shutting down`);
    setTimeout(() => {
      log.error(`graceful shutdown took longer than ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error({ err: e }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return app;
}

/** Development mode, loudly: each setting that would stop this service anywhere else. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function warnOfDevelopmentMode(log: NestLogger, config: LoadedConfig<any>): void {
  if (!config.devMode) return;
  log.warn(
    [
      `DEVELOPMENT MODE (RABT_DEV_MODE=true): ${config.service} accepts settings that are unsafe anywhere but a developer's machine.`,
      ...config.unsafe.map((u) => `  - ${u.variable} ${u.problem}`),
    ].join('\n'),
  );
}

/**
 * For a part a service cannot work without that failed for good, such as a Kafka consumer that
 * kafkajs will not restart: logs it and exits 70 (EX_SOFTWARE) at once, so that the supervisor
 * (systemd, Kubernetes) starts a fresh process rather than leaving one that looks alive and
 * consumes nothing. Crash-only: what was handled is committed; what was not is read again.
 */
export function exitOnFatal(log: NestLogger, what: string): (error: Error) => void {
  return (error) => {
    log.fatal({ err: error }, `${what} failed for good; exiting so that the service is started afresh`);
    process.exit(70);
  };
}

/**
 * Runs `main`, turning a configuration error or a dependency installed without its patch into a
 * readable message and exit code 78 (EX_CONFIG).
 */
export function exitOnStartupFailure(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigValidationError || error instanceof UnpatchedDependencyError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`startup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
