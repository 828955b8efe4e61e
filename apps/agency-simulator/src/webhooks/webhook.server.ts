// The HTTP side of one simulated back office (node:http): POST /webhook takes Rabt's signed
// webhooks, GET /status shows what it did, PUT /control changes its behaviour at run time.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { verifyWebhook, WebhookVerificationError } from '@rabt/sdk';
import { rabtClientTlsOptions, verifyRabtClient } from '@rabt/sdk/node';
import { z } from 'zod';
import { parseDelay } from '../config/simulator.config';
import type { BackOffice, Logger, Outcome } from '../back-office/back-office';
import type { DeliveredEvent } from '../back-office/reaction';

const MAX_BODY = 1_048_576;

export interface WebhookServerOptions {
  readonly secrets: readonly string[];
  readonly toleranceSeconds: number;
  readonly log: Logger;
  /** HTTPS that accepts only Rabt's dispatcher (mutual TLS), checked with the SDK. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly rabtCaFile: string };
}

const controlBody = z
  .object({
    mode: z.enum(['act', 'stall']).optional(),
    delay: z.string().refine((s) => parseDelay(s) !== undefined, { message: 'must be milliseconds or a range like 300-1200' }).optional(),
    failureRate: z.number().min(0).max(1).optional(),
  })
  .strict();

function problem(res: ServerResponse, status: number, code: string, detail: string): void {
  res.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'about:blank', status, code, title: detail }));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, outcome: Outcome): void {
  switch (outcome.kind) {
    case 'handled':
    case 'duplicate':
    case 'uncorrelated':
      return void res.writeHead(204).end();
    case 'stalled':
      return void res.writeHead(202).end();
    case 'injected-failure':
      return problem(res, 503, 'SIMULATED_FAILURE', 'Simulated outage: try again later');
    case 'not-yet':
      // No Retry-After: the dispatcher's own backoff gives the other delivery (itself perhaps being
      // retried) time to arrive; a short fixed wait would use up the attempts first.
      return problem(res, 503, 'CASE_NOT_KNOWN_YET', `Waiting for facts of this case: ${outcome.missing.join(', ')}`);
  }
}

/** The request handler of one back office's endpoint. */
export function webhookHandler(office: BackOffice, options: WebhookServerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (path === '/health/live' || path === '/health/ready')) return json(res, 200, { status: 'ok', agency: office.agency });
    if (req.method === 'GET' && path === '/status') return json(res, 200, { agency: office.agency, behaviour: office.behaviour, stats: office.stats, cases: office.cases.size });
    if (req.method === 'PUT' && path === '/control') {
      const raw = await readBody(req);
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw ?? '');
      } catch {
        return problem(res, 400, 'INVALID_JSON', 'The body is not valid JSON');
      }
      const body = controlBody.safeParse(parsed);
      if (!body.success) return problem(res, 400, 'INVALID_CONTROL', body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
      office.behaviour = {
        mode: body.data.mode ?? office.behaviour.mode,
        delay: body.data.delay !== undefined ? parseDelay(body.data.delay)! : office.behaviour.delay,
        failureRate: body.data.failureRate ?? office.behaviour.failureRate,
      };
      options.log.info({ behaviour: office.behaviour }, `${office.agency} behaviour changed`);
      return json(res, 200, office.behaviour);
    }
    if (path !== '/webhook') return problem(res, 404, 'NOT_FOUND', `No route ${req.method ?? ''} ${path}`);
    if (req.method !== 'POST') return problem(res, 405, 'METHOD_NOT_ALLOWED', 'POST a signed CloudEvent to /webhook');
    const body = await readBody(req);
    if (body === undefined) return problem(res, 413, 'PAYLOAD_TOO_LARGE', `A webhook body is at most ${MAX_BODY} bytes`);
    let event: DeliveredEvent;
    try {
      event = verifyWebhook(options.secrets, req.headers as Record<string, string>, body, { toleranceSeconds: options.toleranceSeconds }) as unknown as DeliveredEvent;
    } catch (e) {
      office.stats.rejected++;
      if (e instanceof WebhookVerificationError) {
        options.log.warn({ reason: e.reason }, `${office.agency} refused a webhook`);
        return problem(res, 401, e.reason, e.message);
      }
      throw e;
    }
    try {
      answer(res, await office.handle(String(req.headers['webhook-id']), event));
    } catch (e) {
      options.log.warn({ err: e instanceof Error ? e.message : String(e), type: event.type, transactionid: event.transactionid }, `${office.agency} could not publish its follow-up`);
      problem(res, 503, 'PUBLISH_FAILED', 'The follow-up event could not be published yet; retry later');
    }
  };
}

/**
 * Starts one back office's HTTP server, or with `options.tls` an HTTPS server that requires a
 * client certificate of Rabt's CA in the handshake and answers 403 NOT_RABT_DISPATCHER to any
 * other certificate of that CA (an agency's, another service's), as an agency would with the SDK.
 */
export async function startWebhookServer(office: BackOffice, options: WebhookServerOptions, host: string, port: number): Promise<Server> {
  const inner = webhookHandler(office, options);
  const tls = options.tls && { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile), ca: readFileSync(options.tls.rabtCaFile) };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (tls && !verifyRabtClient(req, tls.ca)) {
      office.stats.rejected++;
      return problem(res, 403, 'NOT_RABT_DISPATCHER', "Only Rabt's dispatcher, with its client certificate, may call this endpoint");
    }
    return inner(req, res);
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      options.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'unexpected error');
      if (!res.headersSent) problem(res, 500, 'INTERNAL', 'Unexpected error');
    });
  };
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key, ...rabtClientTlsOptions(tls.ca) }, listener) : createServer(listener);
  if (tls) server.on('tlsClientError', (e) => options.log.warn({ err: e.message }, `${office.agency} refused a TLS client (no certificate of Rabt's CA)`));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
