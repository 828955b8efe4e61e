import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AGENCY_ADMIN_PROBLEMS, OPERATOR_ACCOUNT_PROBLEMS } from '@rabt/auth';
import { SUBSCRIPTION_PROBLEMS } from '@rabt/routing';
import { genericProblem, ProblemDetailsFilter, sendProblem } from '@rabt/runtime';
import { OpsConfig } from './config/ops.config';
import { OPS_PROBLEMS } from './ops.exception';

const API_PATHS = /^\/(v1|docs|health|metrics)(\/|\?|$)/;

/**
 * The Content-Security-Policy of the API and the console: scripts, styles and everything else
 * from this origin only (the built console has no inline script or style; Preact sets styles
 * through the CSSOM, which CSP does not govern), no plugins, no <base>, and no framing.
 */
export const CONSOLE_CSP = {
  defaultSrc: ["'self'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  upgradeInsecureRequests: null,
};

/** Swagger UI at /docs writes its page with inline <style> elements (its scripts are files). */
const DOCS_CSP = "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

/**
 * Security headers on every answer (@fastify/helmet): the CSP above, nosniff, no referrer,
 * X-Frame-Options DENY, and HSTS when the service is behind TLS (OPS_COOKIE_SECURE).
 */
async function registerSecurityHeaders(app: NestFastifyApplication, config: OpsConfig): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONSOLE_CSP },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: config.cookieSecure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply, payload) => {
      if (/^\/docs(\/|$)/.test(request.url)) void reply.header('content-security-policy', DOCS_CSP);
      return payload;
    });
}

/** Security headers, cookies, OpenAPI at /docs (and /docs-json), and the console's files at / when they are built. */
export async function configureOpsHttp(app: NestFastifyApplication): Promise<void> {
  const config = app.get(OpsConfig);
  await registerSecurityHeaders(app, config);
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

/** The ops codes, and those of the libraries it calls: accounts, agencies (an unknown agency in a filter), subscriptions. */
export const opsExceptionFilter = () => new ProblemDetailsFilter([OPS_PROBLEMS, OPERATOR_ACCOUNT_PROBLEMS, AGENCY_ADMIN_PROBLEMS, SUBSCRIPTION_PROBLEMS]);
