// An agency's webhook receiver on 127.0.0.1 that verifies every signature and records each
// delivery by webhook-id; `healthy = false` makes it answer 503 (so deliveries dead-letter).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@rabt/sdk';

export interface Delivered {
  readonly webhookId: string;
  readonly eventId: string;
  readonly at: number;
}

export interface Receiver {
  readonly url: string;
  secret: string;
  healthy: boolean;
  /** Every signed request answered 2xx, in arrival order. */
  readonly delivered: Delivered[];
  /** Signed requests refused with 503 while unhealthy. */
  refused(): number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  let refused = 0;
  const receiver = {
    url: '',
    secret: '',
    healthy: false,
    delivered: [] as Delivered[],
    refused: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let event: { id: string };
      try {
        event = verifyWebhook(receiver.secret, req.headers as Record<string, string>, Buffer.concat(chunks).toString('utf8')) as unknown as { id: string };
      } catch {
        res.writeHead(401).end();
        return;
      }
      if (!receiver.healthy) {
        refused++;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('receiver down for maintenance');
        return;
      }
      receiver.delivered.push({ webhookId: String(req.headers['webhook-id']), eventId: event.id, at: Date.now() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}
