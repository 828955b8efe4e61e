// Agencies authenticate to the gateway by client certificate (mutual TLS) as an alternative to
// API keys: the gateway serves HTTPS (HTTP_TLS_CERT/KEY) and requests client certificates of
// Rabt's CA (HTTP_TLS_CLIENT_CA). A certificate binds its agency exactly as a key does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CERTIFICATE_STATUS_CACHE_MS, issueCertificate, revokeCertificate, type IssuedCertificateView } from '@rabt/auth';
import { createCa, RabtCa, RecordingAgencyKafkaAccess, type CertificateAndKey } from '@rabt/pki';
import { cloudEvent, fixture, REPORTED } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

let gw: GatewayHarness;
let second: { url: string; app: NestFastifyApplication } | undefined;
let ca: RabtCa;
let caPem: string;
let dir: string;
const kafka = new RecordingAgencyKafkaAccess();
const agents: Agent[] = [];
let mom: IssuedCertificateView;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rabt-mtls-'));
  const made = await createCa();
  ca = await RabtCa.fromPem(made.certPem, made.keyPem);
  caPem = made.certPem;
  const server = await ca.issueServiceCertificate('service', 'gateway', { serverNames: ['127.0.0.1', 'localhost'] });
  writeFileSync(join(dir, 'ca.crt'), caPem);
  writeFileSync(join(dir, 'gateway.crt'), server.certPem);
  writeFileSync(join(dir, 'gateway.key'), server.keyPem, { mode: 0o600 });
  gw = await startGateway({ env: { HTTP_TLS_CERT: join(dir, 'gateway.crt'), HTTP_TLS_KEY: join(dir, 'gateway.key'), HTTP_TLS_CLIENT_CA: join(dir, 'ca.crt') } });
  mom = await issueCertificate(gw.db.manager, ca, kafka, 'mom', {}, 'test:mtls');
}, 120_000);

afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()));
  await second?.app.close();
  await gw?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A client that trusts Rabt's CA and presents `identity` (or no certificate). */
function client(identity?: CertificateAndKey | { certPem: string; keyPem: string }): Agent {
  const agent = new Agent({ connect: { ca: caPem, ...(identity ? { cert: identity.certPem, key: identity.keyPem } : {}) } });
  agents.push(agent);
  return agent;
}

const asCert = (issued: IssuedCertificateView) => ({ certPem: issued.certificatePem, keyPem: issued.privateKeyPem });

async function call(agent: Agent, method: 'GET' | 'POST', url: string, body?: unknown, key?: string) {
  const res = await request(url, {
    method,
    dispatcher: agent,
    headers: { ...(body !== undefined ? { 'content-type': 'application/cloudevents+json' } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.body.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.statusCode, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as any };
}

const publish = (agent: Agent, from: string, key?: string, base = gw.url) => call(agent, 'POST', `${base}/v1/events`, cloudEvent(from, REPORTED, fixture(REPORTED, 'ok')), key);

describe('HTTPS', () => {
  it('serves HTTPS with the configured certificate, and no plain HTTP', async () => {
    expect(gw.url).toMatch(/^https:\/\//);
    expect((await call(client(), 'GET', `${gw.url}/health/live`)).status).toBe(200);
    await expect(fetch(`${gw.url.replace('https:', 'http:')}/health/live`)).rejects.toThrow();
  });
});

describe('gateway mutual TLS', () => {
  it("an agency's certificate authenticates it without a key: it publishes as itself", async () => {
    const answer = await publish(client(asCert(mom)), 'mom');
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  });

  it('a certificate of mom never publishes as another agency (source checked as for a key)', async () => {
    const answer = await publish(client(asCert(mom)), 'rop');
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('SOURCE_SPOOFED');
  });

  it('a certificate carries no admin role', async () => {
    const answer = await call(client(asCert(mom)), 'GET', `${gw.url}/v1/admin/agencies`);
    expect(answer.status).toBe(403);
  });

  it('with no certificate and no key: 401 UNAUTHENTICATED', async () => {
    const answer = await publish(client(), 'mom');
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses with the same problem as a bad key: a certificate of another CA, one never recorded, an OU=service one, an expired record', async () => {
    const badKey = await publish(client(), 'mom', 'rabt_00000000000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(badKey.status).toBe(401);
    const other = await createCa();
    const otherCa = await RabtCa.fromPem(other.certPem, other.keyPem);
    const foreign = await otherCa.issueAgencyCertificate('mom');
    const unrecorded = await ca.issueAgencyCertificate('mom');
    const service = await ca.issueServiceCertificate('service', 'mom');
    const expiring = await issueCertificate(gw.db.manager, ca, kafka, 'mom', { days: 1 }, 'test:mtls');
    await gw.db.query(`UPDATE agency_certificate SET not_after = now() - interval '1 second' WHERE id = $1`, [expiring.id]);
    for (const identity of [foreign, unrecorded, service, asCert(expiring)]) {
      const answer = await publish(client(identity), 'mom');
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ code: badKey.body.code, title: badKey.body.title, detail: badKey.body.detail });
    }
  });

  it("a key of rop with a certificate of mom is refused (CREDENTIALS_DISAGREE); a bad key with a good certificate too", async () => {
    const mixed = await publish(client(asCert(mom)), 'rop', gw.keys.rop);
    expect(mixed.status).toBe(401);
    expect(mixed.body.code).toBe('CREDENTIALS_DISAGREE');
    const badKey = await publish(client(asCert(mom)), 'mom', 'not-a-key');
    expect(badKey.status).toBe(401);
    expect(badKey.body.code).toBe('UNAUTHENTICATED');
    const same = await publish(client(asCert(mom)), 'mom', gw.keys.mom);
    expect(same.status).toBe(202);
  });

  it(`revocation takes effect on every instance within ${CERTIFICATE_STATUS_CACHE_MS} ms (+ margin)`, async () => {
    second = await gw.another();
    const victim = await issueCertificate(gw.db.manager, ca, kafka, 'mom', {}, 'test:mtls');
    const one = client(asCert(victim));
    const two = client(asCert(victim));
    expect((await publish(one, 'mom')).status).toBe(202);
    expect((await publish(two, 'mom', undefined, second.url)).status).toBe(202);
    await revokeCertificate(gw.db.manager, kafka, victim.id, { reason: 'key lost' }, 'test:mtls');
    const revokedAt = Date.now();
    const refusedBy = async (agent: Agent, base: string) => {
      for (;;) {
        const answer = await publish(agent, 'mom', undefined, base);
        if (answer.status === 401) return Date.now() - revokedAt;
        expect(answer.status).toBe(202);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const [a, b] = await Promise.all([refusedBy(one, gw.url), refusedBy(two, second.url)]);
    expect(a).toBeLessThanOrEqual(CERTIFICATE_STATUS_CACHE_MS + 500);
    expect(b).toBeLessThanOrEqual(CERTIFICATE_STATUS_CACHE_MS + 500);
    expect(kafka.calls).toContainEqual({ op: 'revoke', principal: victim.principal });
  });
});
