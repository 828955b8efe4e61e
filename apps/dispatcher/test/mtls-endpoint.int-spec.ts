// Agency endpoints that require mutual TLS: the dispatcher presents Rabt's client certificate
// (OU=service, CN=dispatcher, from Rabt's CA; DISPATCHER_TLS_CLIENT_CERT/KEY) and the receiver
// checks it with the SDK (rabtClientTlsOptions + verifyRabtClient). Real HTTPS, real dispatcher.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigValidationError } from '@rabt/config';
import { createCa, RabtCa } from '@rabt/pki';
import { rabtClientTlsOptions, verifyRabtClient } from '@rabt/sdk/node';
import { eventually } from '@rabt/testing';
import { WebhookSender } from '../src/delivery/webhook.sender';
import { webhookTlsOptions } from '../src/delivery/webhook.tls';
import { startDispatcherHarness, type DispatcherHarness } from './dispatcher.harness';

let h: DispatcherHarness;
let dir: string;
let ca: RabtCa;
let server: Server;
let port: number;
/** What the receiver's verifyRabtClient said of each request that got through the handshake. */
const verdicts: boolean[] = [];
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rabt-dispatcher-mtls-'));
  const made = await createCa();
  ca = await RabtCa.fromPem(made.certPem, made.keyPem);
  const dispatcher = await ca.issueServiceCertificate('service', 'dispatcher');
  const endpoint = await ca.issueServiceCertificate('service', 'rop-hooks', { serverNames: ['127.0.0.1'] });
  writeFileSync(file('ca.crt'), made.certPem);
  writeFileSync(file('dispatcher.crt'), dispatcher.certPem);
  writeFileSync(file('dispatcher.key'), dispatcher.keyPem, { mode: 0o600 });
  server = createServer({ cert: endpoint.certPem, key: endpoint.keyPem, ...rabtClientTlsOptions(made.certPem) }, (req, res) => {
    const verdict = verifyRabtClient(req, made.certPem);
    verdicts.push(verdict);
    req.resume();
    req.on('end', () => res.writeHead(verdict ? 204 : 403).end());
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  h = await startDispatcherHarness({ DISPATCHER_BREAKER_FAILURES: '1000', DISPATCHER_TLS_CA: file('ca.crt') });
}, 120_000);

afterAll(async () => {
  await h?.close();
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const target = () => ({ url: new URL(`https://127.0.0.1:${port}/hook`), hostname: '127.0.0.1', port, address: '127.0.0.1', family: 4 as const });
const caOnly = () => webhookTlsOptions({ caFile: file('ca.crt') });

describe('a webhook endpoint that requires mutual TLS', () => {
  it("the dispatcher with Rabt's client certificate delivers, and the SDK accepts it", async () => {
    await h.start({ DISPATCHER_TLS_CLIENT_CERT: file('dispatcher.crt'), DISPATCHER_TLS_CLIENT_KEY: file('dispatcher.key') });
    const sub = await h.subscribe('rop', `https://127.0.0.1:${port}/hook`);
    await h.toInbox(sub, { key: '515151515' });
    await eventually(async () => (await h.deliveries(sub.id))[0]?.state === 'delivered', 20_000, 50);
    expect(verdicts).toEqual([true]);
    await h.stop();
  });

  it('the dispatcher without a client certificate is refused in the handshake: nothing delivered', async () => {
    await h.start();
    const sub = await h.subscribe('rop', `https://127.0.0.1:${port}/hook?without`);
    await h.toInbox(sub, { key: '525252525' });
    await eventually(async () => ((await h.deliveries(sub.id))[0]?.attempts ?? 0) >= 1, 20_000, 50);
    const [row] = await h.deliveries(sub.id);
    expect(row).toMatchObject({ state: expect.not.stringMatching(/^delivered$/), lastStatus: null });
    expect(verdicts).toEqual([true]);
    await h.stop();
  });

  it('the SDK refuses any other certificate of the same CA (an agency, another service) and other CAs', async () => {
    const attempt = async (identity?: { certPem: string; keyPem: string }) => {
      const tls = caOnly();
      const sender = new WebhookSender(1, 1_000, { ...tls, ...(identity ? { cert: identity.certPem, key: identity.keyPem } : {}) });
      try {
        return await sender.post(target(), {}, '{}', 3_000);
      } finally {
        sender.close();
      }
    };
    const before = verdicts.length;
    expect((await attempt(await ca.issueAgencyCertificate('rop'))).status).toBe(403);
    expect((await attempt(await ca.issueServiceCertificate('service', 'gateway'))).status).toBe(403);
    expect((await attempt(await ca.issueServiceCertificate('operator', 'dispatcher'))).status).toBe(403);
    const other = await createCa();
    const foreign = await (await RabtCa.fromPem(other.certPem, other.keyPem)).issueServiceCertificate('service', 'dispatcher');
    expect(await attempt(foreign)).toMatchObject({ status: null });
    expect(await attempt()).toMatchObject({ status: null });
    expect(verdicts.slice(before)).toEqual([false, false, false]);
  });

  it('configuration errors name the variable', () => {
    const problems = (tls: Parameters<typeof webhookTlsOptions>[0]) => {
      try {
        webhookTlsOptions(tls);
        return [];
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigValidationError);
        return (e as ConfigValidationError).problems;
      }
    };
    expect(problems({ clientCertFile: file('dispatcher.crt') })).toEqual([expect.stringMatching(/^DISPATCHER_TLS_CLIENT_KEY: is not set/)]);
    expect(problems({ clientCertFile: file('missing.crt'), clientKeyFile: file('dispatcher.key') })).toEqual([expect.stringMatching(/^DISPATCHER_TLS_CLIENT_CERT: cannot read/)]);
    expect(problems({ clientCertFile: file('dispatcher.key'), clientKeyFile: file('dispatcher.key') })).toEqual([expect.stringMatching(/^DISPATCHER_TLS_CLIENT_CERT: .* is not a PEM certificate/)]);
  });
});
