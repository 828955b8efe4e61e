// The HTTP client of the dispatcher on its own, against real servers on 127.0.0.1: it connects
// to the pinned address whatever the host name says (no DNS lookup at all), sends the URL's host
// as Host and as the TLS server name, and bounds every attempt by the timeout.
// fixtures/hooks.rabt.test.{crt,key}: a self-signed test certificate for hooks.rabt.test.
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebhookSender } from '../src/delivery/webhook.sender';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));

describe('webhook sender', () => {
  it('http: connects to the pinned address; the Host header is the URL host, which never needs to resolve', async () => {
    let host: IncomingHttpHeaders['host'];
    const server = createHttpServer((req, res) => {
      host = req.headers.host;
      res.writeHead(503, { 'Retry-After': '7' }).end('  busy,\n try later  ');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const sender = new WebhookSender(2);
    try {
      const answer = await sender.post({ url: new URL(`http://receiver.rabt.invalid:${port}/h?q=1`), hostname: 'receiver.rabt.invalid', port, address: '127.0.0.1', family: 4 }, { 'x-test': '1' }, '{}', 2_000);
      expect(answer).toMatchObject({ status: 503, error: 'busy, try later', retryAfter: '7' });
      expect(host).toBe(`receiver.rabt.invalid:${port}`);
    } finally {
      sender.close();
      server.close();
    }
  });

  it('https: the pinned address gets the TLS handshake with the URL host as server name, and the certificate is verified', async () => {
    let servername: string | undefined;
    const server = createHttpsServer(
      {
        key: fixture('hooks.rabt.test.key'),
        cert: fixture('hooks.rabt.test.crt'),
        SNICallback: (name, callback) => {
          servername = name; // from the ClientHello
          callback(null, undefined);
        },
      },
      (_, res) => res.writeHead(204).end(),
    );
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const sender = new WebhookSender(2);
    try {
      const answer = await sender.post({ url: new URL(`https://hooks.rabt.test:${port}/h`), hostname: 'hooks.rabt.test', port, address: '127.0.0.1', family: 4 }, {}, '{}', 2_000);
      // The test certificate is self-signed, so verification fails: proof that it was checked.
      expect(answer).toMatchObject({ status: null, error: expect.stringMatching(/self-signed certificate/) });
      expect(servername).toBe('hooks.rabt.test');
    } finally {
      sender.close();
      server.close();
    }
  });

  it('a receiver that never answers costs one timeout, not more', async () => {
    const server = createHttpServer(() => undefined); // holds every request
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const sender = new WebhookSender(2);
    try {
      const answer = await sender.post({ url: new URL(`http://127.0.0.1:${port}/h`), hostname: '127.0.0.1', port, address: '127.0.0.1', family: 4 }, {}, '{}', 300);
      expect(answer).toMatchObject({ status: null, error: 'timed out after 300 ms' });
      expect(answer.latencyMs).toBeGreaterThanOrEqual(290);
      expect(answer.latencyMs).toBeLessThan(1_000);
    } finally {
      sender.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
