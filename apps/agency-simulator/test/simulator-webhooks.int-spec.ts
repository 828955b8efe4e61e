import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventTypes, generateWebhookSecret, signWebhook } from '@rabt/sdk';
import { eventually, freePort, startBuiltService, WORKSPACE_ROOT, type ServiceProcess } from '@rabt/testing';

// The built simulator over real HTTP: Rabt's side is played by this test (it signs webhooks the
// way the dispatcher does and stands in for the gateway's publish endpoint).
const report = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'test/fixtures/mom.employee.left-work-reported/ok/absconded-seeb.json'), 'utf8')) as Record<string, unknown>;
const secret = generateWebhookSecret();
const published: { auth: string; body: Record<string, unknown> }[] = [];
let gateway: Server;
let simulator: ServiceProcess;
let rop: string;

beforeAll(async () => {
  gateway = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      published.push({ auth: String(req.headers['authorization']), body });
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: body['id'], transactionid: body['transactionid'], topic: body['type'], partition: 0, offset: String(published.length) }));
    });
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', () => r()));
  const gatewayUrl = `http://127.0.0.1:${(gateway.address() as { port: number }).port}`;
  simulator = await startBuiltService('agency-simulator', { RABT_GATEWAY_URL: gatewayUrl, SIM_ROP_API_KEY: 'rabt_test_rop', SIM_ROP_WEBHOOK_SECRETS: `${generateWebhookSecret()},${secret}`, SIM_DELAY_MS: '0' }, 'SIM_ROP_PORT');
  rop = simulator.url;
});

afterAll(async () => {
  await simulator?.stop();
  await new Promise((r) => gateway?.close(r));
});

let counter = 0;
function deliver(event: Record<string, unknown>, options: { secret?: string; timestamp?: number; webhookId?: string } = {}) {
  const body = JSON.stringify(event);
  const id = options.webhookId ?? `msg_test_${++counter}`;
  const headers = signWebhook(options.secret ?? secret, { id, timestamp: options.timestamp ?? Math.floor(Date.now() / 1000), body });
  return fetch(`${rop}/webhook`, { method: 'POST', headers: { ...headers, 'content-type': 'application/cloudevents+json' }, body });
}
const reportEvent = (tx: string) => ({ specversion: '1.0', id: `mom-${tx}`, source: 'urn:rabt:agency:mom', type: EventTypes.MomEmployeeLeftWorkReported, transactionid: tx, data: report });
const control = (body: unknown) => fetch(`${rop}/control`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('agency-simulator over HTTP', () => {
  it('verifies the signature, acts, and publishes the follow-up as rop with the transaction id copied', async () => {
    const res = await deliver(reportEvent('tx-http-1'));
    expect(res.status).toBe(204);
    const mine = published.filter((p) => p.body['transactionid'] === 'tx-http-1');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.auth).toBe('Bearer rabt_test_rop');
    expect(mine[0]!.body).toMatchObject({ type: EventTypes.RopResidenceAbscondingRegistered, source: 'urn:rabt:agency:rop', id: `rop:${EventTypes.RopResidenceAbscondingRegistered}:tx-http-1` });
  });

  it('refuses a bad signature and a stale timestamp with 401 and acts on neither', async () => {
    const before = published.length;
    const forged = await deliver(reportEvent('tx-forged'), { secret: generateWebhookSecret() });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { code: string }).code).toBe('BAD_SIGNATURE');
    const stale = await deliver(reportEvent('tx-stale'), { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { code: string }).code).toBe('TIMESTAMP_TOO_OLD');
    const unsigned = await fetch(`${rop}/webhook`, { method: 'POST', body: JSON.stringify(reportEvent('tx-unsigned')) });
    expect(unsigned.status).toBe(401);
    expect(published.length).toBe(before);
  });

  it('a redelivered webhook-id is acknowledged and not acted on again', async () => {
    expect((await deliver(reportEvent('tx-dup'), { webhookId: 'msg_same' })).status).toBe(204);
    expect((await deliver(reportEvent('tx-dup'), { webhookId: 'msg_same' })).status).toBe(204);
    expect(published.filter((p) => p.body['transactionid'] === 'tx-dup')).toHaveLength(1);
    const status = (await (await fetch(`${rop}/status`)).json()) as { stats: { duplicates: number } };
    expect(status.stats.duplicates).toBeGreaterThanOrEqual(1);
  });

  it('fails on demand with 503 (the dispatcher retries), and stalls on demand (202, never acts)', async () => {
    expect((await control({ failureRate: 1 })).status).toBe(200);
    expect((await deliver(reportEvent('tx-fail'), { webhookId: 'msg_fail' })).status).toBe(503);
    expect((await control({ failureRate: 0, mode: 'stall' })).status).toBe(200);
    expect((await deliver(reportEvent('tx-stall'))).status).toBe(202);
    expect((await control({ mode: 'act' })).status).toBe(200);
    expect((await deliver(reportEvent('tx-fail'), { webhookId: 'msg_fail' })).status).toBe(204); // the retry succeeds
    expect(published.filter((p) => p.body['transactionid'] === 'tx-fail')).toHaveLength(1);
    expect(published.filter((p) => p.body['transactionid'] === 'tx-stall')).toHaveLength(0);
  });

  it('refuses a bad control request with problem+json, changing nothing', async () => {
    const res = await control({ mode: 'sleep', failureRate: 3 });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('INVALID_CONTROL');
    const status = (await (await fetch(`${rop}/status`)).json()) as { behaviour: { mode: string; failureRate: number } };
    expect(status.behaviour).toMatchObject({ mode: 'act', failureRate: 0 });
  });

  it('stops cleanly on SIGTERM, and refuses to start on bad configuration (exit 78, every problem named)', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(WORKSPACE_ROOT, 'dist/apps/agency-simulator/main.js'), '--rop-api-key', 'k', '--rop-webhook-secrets', 'nope', '--delay', 'later'], {
      env: { PATH: process.env['PATH'] ?? '', SIM_ROP_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(78);
    expect(output).toContain('SIM_ROP_WEBHOOK_SECRETS');
    expect(output).toContain('SIM_DELAY_MS');

    const exit = once(simulator.child, 'exit');
    simulator.child.kill('SIGTERM');
    expect((await exit)[0]).toBe(0);
    await eventually(async () => (await fetch(`${rop}/health/live`).catch(() => null)) === null, 5_000);
  });
});
