import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { OPERATOR_ACCOUNT_PROBLEMS } from '@rabt/auth';
import { SUBSCRIPTION_PROBLEMS } from '@rabt/routing';
import { genericProblem, ProblemDetailsFilter, sendProblem } from '@rabt/runtime';
import { OpsConfig } from './config/ops.config';
import { OPS_PROBLEMS } from './ops.exception';

const API_PATHS = /^\/(v1|docs|health|metrics)(\/|\?|$)/;

/** Cookies, OpenAPI at /docs (and /docs-json), and the console's files at / when they are built. */
export async function configureOpsHttp(app: NestFastifyApplication): Promise<void> {
  const config = app.get(OpsConfig);
  await app.register(fastifyCookie);
  const consoleDir = resolve(config.consoleDir);
  if (existsSync(consoleDir)) {
    await app.register(fastifyStatic, { root: consoleDir, prefix: '/', wildcard: false, index: ['index.html'] });
    // The console routes in the browser: any other GET outside the API answers its index.html.
    const fastify = app.getHttpAdapter().getInstance();
    fastify.get('/*', (request, reply) => {
      if (API_PATHS.test(request.url)) return sendProblem(reply, { ...genericProblem(404, `no route ${request.method} ${request.url.split('?')[0]}`), instance: request.url });
      return reply.type('text/html').sendFile('index.html');
    });
  } else {
    new Logger('console').warn(`no console at ${consoleDir} (build apps/console, or set OPS_CONSOLE_DIR); serving the API only`);
  }
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Rabt ops')
      .setDescription('Operators sign in, inspect and replay dead letters, and read events, transactions, schemas and the audit trail. Errors are RFC 9457 problem+json documents with a stable `code`. See docs/ops-api.md.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'session token from POST /v1/session' })
      .addCookieAuth('rabt_ops_session')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}

export const opsExceptionFilter = () => new ProblemDetailsFilter([OPS_PROBLEMS, OPERATOR_ACCOUNT_PROBLEMS, SUBSCRIPTION_PROBLEMS]);
