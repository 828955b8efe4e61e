// Real HTTP receivers on 127.0.0.1 for the dispatcher's webhooks: they record every request
// (arrival time, headers, raw body) and answer as each test scripts them.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly at: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly webhookId: string;
  /** The CloudEvent's id (parsed from the body). */
  readonly eventId: string;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

export type Replier = (request: Received, nth: number) => Reply;

export interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly requests: Received[];
  /** TCP connections accepted. */
  connections(): number;
  /** Requests per webhook-id. */
  byWebhookId(): Map<string, Received[]>;
  reply: Replier;
  close(): Promise<void>;
}

export const ok: Replier = () => ({ status: 204 });

export async function startReceiver(reply: Replier = ok, path = '/hook'): Promise<Receiver> {
  const requests: Received[] = [];
  let connections = 0;
  const receiver: Receiver = {
    url: '',
    port: 0,
    requests,
    connections: () => connections,
    byWebhookId: () => {
      const out = new Map<string, Received[]>();
      for (const r of requests) out.set(r.webhookId, [...(out.get(r.webhookId) ?? []), r]);
      return out;
    },
    reply,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let eventId = '';
      try {
        eventId = (JSON.parse(body) as { id?: string }).id ?? '';
      } catch {
        /* not JSON */
      }
      const received: Received = { at: Date.now(), headers: req.headers, body, webhookId: String(req.headers['webhook-id'] ?? ''), eventId };
      requests.push(received);
      const answer = receiver.reply(received, requests.length);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  Object.assign(receiver, { port, url: `http://127.0.0.1:${port}${path}` });
  return receiver;
}
