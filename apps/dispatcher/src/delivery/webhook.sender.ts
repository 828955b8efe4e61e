// One HTTP POST to a pinned address: node:http(s) with a `lookup` that answers only the address
// the SSRF guard checked (and `servername` for TLS), a hard timeout over the whole exchange, and
// no redirects (a 3xx is just an answer). Keep-alive agents reuse connections per endpoint.
//
// An idle connection is closed after `keepAliveMs`, or sooner when the receiver's `Keep-Alive:
// timeout=N` says so (N - 1 s). Without an agent `timeout`, Node's agent keeps idle connections
// for ever and ignores that hint; a receiver that closes an idle connection just as an attempt
// is written on it makes the attempt fail with "socket hang up" (ECONNRESET), a retry for nothing.
// Node's agent applies the timeout to idle connections only, never to an attempt in progress. A
// receiver that closes idle connections sooner, and says nothing of it, can still close one under
// a request: such a request is sent once more at once on a new connection (see post).
//
// Over HTTPS the agent presents Rabt's dispatcher certificate (DISPATCHER_TLS_CLIENT_CERT/KEY)
// to an endpoint that requests one: mutual TLS, which the agency verifies with the SDK.
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { PinnedTarget } from './webhook.target';
import type { WebhookTlsOptions } from './webhook.tls';

export interface WebhookAnswer {
  /** null when no status line arrived (timeout, connection error). */
  readonly status: number | null;
  /** Why there was no answer, or the start of the body of an unsuccessful one. */
  readonly error: string | null;
  readonly retryAfter: string | null;
  readonly latencyMs: number;
}

/** How much of an unsuccessful answer's body is kept as its error. */
const ERROR_BODY_CHARS = 200;
const MAX_READ_BYTES = 64 * 1024;

export class WebhookSender {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  /** `tls`: the client certificate presented to endpoints that ask for one, and the trusted CAs. */
  constructor(endpointConcurrency: number, keepAliveMs: number, tls: WebhookTlsOptions = {}) {
    const options = { keepAlive: true, maxSockets: endpointConcurrency, scheduling: 'lifo' as const, timeout: keepAliveMs };
    this.httpAgent = new http.Agent(options);
    this.httpsAgent = new https.Agent({ ...options, ...(tls.cert ? { cert: tls.cert, key: tls.key } : {}), ...(tls.ca ? { ca: [...tls.ca] } : {}) });
  }

  post(target: PinnedTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<WebhookAnswer> {
    const started = performance.now();
    const payload = Buffer.from(body, 'utf8');
    const secure = target.url.protocol === 'https:';
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const options: https.RequestOptions = {
      method: 'POST',
      host: target.hostname,
      port: target.port,
      path: `${target.url.pathname}${target.url.search}`,
      headers: { ...headers, 'content-length': String(payload.length) },
      agent: secure ? this.httpsAgent : this.httpAgent,
      lookup: pinned,
      family: target.family,
      ...(secure && !isIP(target.hostname) ? { servername: target.hostname } : {}),
    };
    return new Promise<WebhookAnswer>((resolve) => {
      let settled = false;
      let status: number | null = null;
      let retryAfter: string | null = null;
      const chunks: Buffer[] = [];
      let read = 0;
      let resent = false;
      let timedOut = false;
      let current: http.ClientRequest | undefined;
      const finish = (error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const latencyMs = Math.round(performance.now() - started);
        const text = status !== null && (status < 200 || status >= 300) ? Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, ERROR_BODY_CHARS) : '';
        resolve({ status, error: status === null ? error : text || null, retryAfter, latencyMs });
      };
      const send = (): http.ClientRequest => {
        const request = (secure ? https : http).request(options, (response) => {
          status = response.statusCode ?? null;
          const header = response.headers['retry-after'];
          retryAfter = typeof header === 'string' ? header : null;
          response.on('data', (chunk: Buffer) => {
            if (read < MAX_READ_BYTES) chunks.push(chunk);
            read += chunk.length;
          });
          response.on('end', () => finish(null));
          response.on('error', () => finish(null)); // the status line arrived: it counts
          response.on('aborted', () => finish(null));
        });
        request.on('error', (e: NodeJS.ErrnoException) => {
          if (status !== null) return finish(null);
          // A kept-alive connection the receiver closed as idle just as this request was written on
          // it: sent once more at once, on a new connection, within the same timeout (what Node's
          // documentation advises for `request.reusedSocket`). The webhook-id is the same.
          if (!resent && !timedOut && request.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) {
            resent = true;
            current = send();
            return;
          }
          finish(e.code && !e.message.includes(e.code) ? `${e.message} (${e.code})` : e.message);
        });
        request.end(payload);
        return request;
      };
      const timer = setTimeout(() => {
        timedOut = true;
        current?.destroy(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      current = send();
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
