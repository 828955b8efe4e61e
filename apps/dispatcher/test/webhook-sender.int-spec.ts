// The HTTP client of the dispatcher on its own, against real servers on 127.0.0.1: it connects
// to the pinned address whatever the host name says (no DNS lookup at all), sends the URL's host
// as Host and as the TLS server name, and bounds every attempt by the timeout.
// fixtures/hooks.rabt.test.{crt,key}: a self-signed test certificate for hooks.rabt.test.
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebhookSender } from '../src/delivery/webhook.sender';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const target = (port: number) => ({ url: new URL(`http://127.0.0.1:${port}/h`), hostname: '127.0.0.1', port, address: '127.0.0.1', family: 4 as const });

/**
 * A keep-alive receiver that closes a connection after `idleMs` without a request and, like
 * nginx, announces no `Keep-Alive: timeout=`: each request gets 204 on the same connection.
 * Counts the connections it accepted.
 */
async function closingIdleReceiver(idleMs: number): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    let buffered = '';
    let idle = setTimeout(() => socket.destroy(), idleMs);
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (;;) {
        const head = buffered.indexOf('\r\n\r\n');
        if (head < 0) return;
        const length = Number(/content-length: *(\d+)/i.exec(buffered.slice(0, head))?.[1] ?? 0);
        if (buffered.length < head + 4 + length) return;
        buffered = buffered.slice(head + 4 + length);
        clearTimeout(idle);
        socket.write('HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n');
        idle = setTimeout(() => socket.destroy(), idleMs);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => clearTimeout(idle));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let accepted = 0;
  server.on('connection', () => accepted++);
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => accepted,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('webhook sender', () => {
  it('http: connects to the pinned address; the Host header is the URL host, which never needs to resolve', async () => {
    let host: IncomingHttpHeaders['host'];
    const server = createHttpServer((req, res) => {
      host = req.headers.host;
      res.writeHead(503, { 'Retry-After': '7' }).end('  busy,\n try later  ');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const sender = new WebhookSender(2, 4_000);
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
    const sender = new WebhookSender(2, 4_000);
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

  it('keeps a connection for the next attempt, but never sends on one the receiver is closing as idle', async () => {
    // Without the agent's idle timeout, attempts made just as the receiver closed the connection
    // failed with "socket hang up" (ECONNRESET): half of them at the boundary, in a trial.
    const receiver = await closingIdleReceiver(600);
    const sender = new WebhookSender(2, 300);
    try {
      expect(await sender.post(target(receiver.port), {}, '{}', 2_000)).toMatchObject({ status: 204 });
      expect(await sender.post(target(receiver.port), {}, '{}', 2_000)).toMatchObject({ status: 204 });
      expect(receiver.connections()).toBe(1); // kept alive between attempts close together
      const answers = [];
      for (let i = 0; i < 12; i++) {
        await sleep(598 + (i % 5)); // around the moment the receiver closes the idle connection
        answers.push(await sender.post(target(receiver.port), {}, '{}', 2_000));
      }
      expect(answers.map((a) => a.status ?? a.error)).toEqual(Array(12).fill(204));
      expect(receiver.connections()).toBe(13); // each idle connection was closed by the sender first
    } finally {
      sender.close();
      await receiver.close();
    }
  });

  it('sends once more, on a new connection, when a receiver closes a kept connection under the request', async () => {
    // The receiver closes idle connections after 250 ms, sooner than the sender's 4 s, and does not
    // say so: some attempts are written on a connection it is closing. Without the second send,
    // these failed with "socket hang up" (ECONNRESET).
    const receiver = await closingIdleReceiver(250);
    const sender = new WebhookSender(2, 4_000);
    try {
      expect(await sender.post(target(receiver.port), {}, '{}', 2_000)).toMatchObject({ status: 204 });
      const answers = [];
      for (let i = 0; i < 12; i++) {
        await sleep(248 + (i % 5));
        answers.push(await sender.post(target(receiver.port), {}, '{}', 2_000));
      }
      expect(answers.map((a) => a.status ?? a.error)).toEqual(Array(12).fill(204));
    } finally {
      sender.close();
      await receiver.close();
    }
  });

  it('does not send again when a new connection is reset: that is the receiver failing', async () => {
    let connections = 0;
    const server = createTcpServer((socket) => {
      connections++;
      socket.on('data', () => socket.resetAndDestroy());
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const sender = new WebhookSender(2, 4_000);
    try {
      const answer = await sender.post(target(port), {}, '{}', 2_000);
      expect(answer).toMatchObject({ status: null, error: expect.stringMatching(/ECONNRESET/) });
      expect(connections).toBe(1);
    } finally {
      sender.close();
      server.close();
    }
  });

  it("closes an idle connection sooner when the receiver's Keep-Alive header asks for it", async () => {
    // Node's server says `Keep-Alive: timeout=2` and closes idle connections about 3.5 s after an answer.
    const server = createHttpServer((_, res) => res.writeHead(204).end());
    server.keepAliveTimeout = 2_500;
    let accepted = 0;
    server.on('connection', () => accepted++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const sender = new WebhookSender(2, 600_000);
    try {
      const answers = [await sender.post(target(port), {}, '{}', 2_000)];
      for (let i = 0; i < 3; i++) {
        await sleep(3_500);
        answers.push(await sender.post(target(port), {}, '{}', 2_000));
      }
      expect(answers.map((a) => a.status ?? a.error)).toEqual([204, 204, 204, 204]);
      expect(accepted).toBe(4);
    } finally {
      sender.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('a receiver that never answers costs one timeout, not more', async () => {
    const server = createHttpServer(() => undefined); // holds every request
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const sender = new WebhookSender(2, 4_000);
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
