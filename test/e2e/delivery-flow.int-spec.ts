import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import { registerCatalogueSchemas } from '@rabt/contracts';
import { createDataSource, migrateDatabase, seedAgencies, serviceDatabaseUrl } from '@rabt/persistence';
import { RabtClient, verifyWebhook } from '@rabt/sdk';
import { createThrowawayDatabase, ephemeralBroker, eventually, startBuiltService, WORKSPACE_ROOT, type ServiceProcess, type ThrowawayDatabase } from '@rabt/testing';

// The whole path, black box: an agency publishes through the gateway; the router fans the event
// out by subscription (filters, projections, grants); the dispatcher delivers signed webhooks to
// real HTTP receivers. Then router and dispatcher are killed -9 mid-stream and restarted.
const REPORTED = 'mom.employee.left-work-reported';
const fixture = (name: string) => JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'test/fixtures', REPORTED, 'ok', `${name}.json`), 'utf8')) as Record<string, unknown>;
const absconded = fixture('absconded-seeb');
const contractEnded = fixture('contract-ended-salalah-no-optionals');

interface Receiver {
  readonly url: string;
  secret: string;
  readonly received: { webhookId: string; data: Record<string, unknown>; eventId: string }[];
  readonly rawCount: () => number;
  close(): Promise<void>;
}

/** A deduplicating agency receiver: verifies every signature, counts raw and distinct webhook-ids. */
async function receiver(): Promise<Receiver> {
  const seen = new Set<string>();
  let raw = 0;
  const r: Receiver = {
    url: '',
    secret: '',
    received: [],
    rawCount: () => raw,
    close: () => new Promise((res) => server.close(() => res())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const event = verifyWebhook(r.secret, req.headers as Record<string, string>, body) as unknown as { id: string; data: Record<string, unknown> };
        raw++;
        const id = String(req.headers['webhook-id']);
        if (!seen.has(id)) {
          seen.add(id);
          r.received.push({ webhookId: id, data: event.data, eventId: event.id });
        }
        res.writeHead(204).end();
      } catch {
        res.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const address = server.address() as { port: number };
  (r as { url: string }).url = `http://127.0.0.1:${address.port}/hook`;
  return r;
}

const broker = ephemeralBroker(19792);
let database: ThrowawayDatabase;
let db: DataSource;
const keys: Record<string, string> = {};
const services: Record<string, ServiceProcess> = {};
const receivers: Record<string, Receiver> = {};
let env: Record<string, string>;
let client: RabtClient;

async function api(method: string, path: string, agency: string, body?: unknown) {
  const res = await fetch(`${services['gateway']!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${keys[agency]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  await broker.start();
  database = await createThrowawayDatabase('rabt_flow_test');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'flow-test');
  db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'flow-test');
  await db.initialize();
  await seedAgencies(db);
  for (const agency of ['mom', 'rop', 'moci', 'mm', 'moh']) keys[agency] = (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, agency, 'flow test')).token;
  const integrator = (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, 'ita', 'services', ['integrator'])).token;

  services['schema-registry'] = await startBuiltService('schema-registry', { DATABASE_URL: serviceDatabaseUrl(database.url, 'schema-registry') }, 'SCHEMA_REGISTRY_PORT');
  const registryUrl = services['schema-registry'].url;
  await registerCatalogueSchemas(registryUrl, { username: 'ita', password: integrator });
  env = {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: broker.brokers,
    SCHEMA_REGISTRY_URL: registryUrl,
    SCHEMA_REGISTRY_USERNAME: 'ita',
    SCHEMA_REGISTRY_PASSWORD: integrator,
    RABT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    ROUTER_SESSION_TIMEOUT_MS: '6000',
    ROUTER_SUBSCRIPTION_REFRESH_MS: '200',
    ROUTER_INSTANCE_ID: 'flow-router-1',
    DISPATCHER_SESSION_TIMEOUT_MS: '6000',
    DISPATCHER_SUBSCRIPTION_CACHE_MS: '200',
    DISPATCHER_TOPIC_REFRESH_MS: '1000',
    DISPATCHER_POLL_MS: '50',
    DISPATCHER_RETRY_SCHEDULE: '200ms,400ms,800ms,1s,2s,4s',
    DISPATCHER_LEASE_GRACE_MS: '2000',
    GATEWAY_RATE_PER_SECOND: '100000',
    GATEWAY_RATE_BURST: '100000',
  };
  services['gateway'] = await startBuiltService('gateway', { ...env, DATABASE_URL: serviceDatabaseUrl(database.url, 'gateway') }, 'GATEWAY_PORT');
  client = new RabtClient({ baseUrl: services['gateway'].url, apiKey: keys['mom']!, agency: 'mom' });

  // Grants from the owner, then each agency subscribes itself.
  for (const agency of ['rop', 'moci', 'mm']) expect((await api('POST', '/v1/grants', 'mom', { agency, eventType: REPORTED, permission: 'subscribe' })).status).toBe(201);
  const subscriptions = {
    rop: { filter: 'data.reason == "ABSCONDED"', projection: ['reason', 'lastWorkingDay', 'workerName'] },
    moci: { projection: ['employerCrNumber'] },
    mm: { filter: 'has(data.workerLastKnownAddress) && data.workerLastKnownAddress != null && data.workerLastKnownAddress.governorate == "Muscat"' },
  };
  for (const [agency, options] of Object.entries(subscriptions)) {
    receivers[agency] = await receiver();
    const created = await api('POST', '/v1/subscriptions', agency, { eventType: REPORTED, webhook: { url: receivers[agency]!.url }, ...options });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    receivers[agency]!.secret = String(created.body['webhookSecret']);
  }
  services['router'] = await startBuiltService('router', { ...env, DATABASE_URL: serviceDatabaseUrl(database.url, 'router') }, 'ROUTER_PORT');
  services['dispatcher'] = await startBuiltService('dispatcher', { ...env, DATABASE_URL: serviceDatabaseUrl(database.url, 'dispatcher') }, 'DISPATCHER_PORT');
}, 240_000);

afterAll(async () => {
  for (const s of Object.values(services)) await s.kill();
  for (const r of Object.values(receivers)) await r.close();
  await db?.destroy();
  await database?.drop();
  await broker.destroy();
});

describe('publish → route → deliver', () => {
  it('an agency without a grant cannot even subscribe', async () => {
    const res = await api('POST', '/v1/subscriptions', 'moh', { eventType: REPORTED, webhook: { url: 'http://127.0.0.1:1/hook' } });
    expect(res.status).toBe(403);
    expect(res.body['code']).toBe('NOT_SUBSCRIBE_GRANTED');
  });

  it('each agency receives, signed, exactly the events and fields it is entitled to', async () => {
    const a = await client.publish(REPORTED, absconded as never);
    const b = await client.publish(REPORTED, contractEnded as never);
    await eventually(() => receivers['rop']!.received.length >= 1 && receivers['moci']!.received.length >= 2 && receivers['mm']!.received.length >= 1, 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(receivers['rop']!.received.map((x) => x.eventId)).toEqual([a.id]);
    expect(Object.keys(receivers['rop']!.received[0]!.data).sort()).toEqual(['lastWorkingDay', 'reason', 'workerCivilNumber', 'workerName']);
    expect(receivers['moci']!.received.map((x) => x.eventId).sort()).toEqual([a.id, b.id].sort());
    expect(Object.keys(receivers['moci']!.received[0]!.data).sort()).toEqual(['employerCrNumber', 'workerCivilNumber']);
    expect(receivers['mm']!.received.map((x) => x.eventId)).toEqual([a.id]);
    expect(receivers['mm']!.received[0]!.data).toEqual(absconded);

    const deliveries = await api('GET', `/v1/events/${a.id}/deliveries`, 'mom');
    expect(deliveries.status).toBe(200);
    expect(JSON.stringify(deliveries.body)).toContain('delivered');
  });

  it('kill -9 of router and dispatcher mid-stream: everything delivered, no webhook-id twice', async () => {
    for (const r of Object.values(receivers)) r.received.length = 0;
    const events = Array.from({ length: 200 }, (_, i) => ({ ...absconded, workerCivilNumber: String(200000000 + i) }));
    const published: string[] = [];
    const publishing = (async () => {
      for (const data of events) published.push((await client.publish(REPORTED, data as never)).id);
    })();
    await eventually(() => receivers['moci']!.received.length > 20, 60_000, 20);
    await services['router']!.kill();
    await services['dispatcher']!.kill();
    await publishing;
    services['router'] = await startBuiltService('router', { ...env, DATABASE_URL: serviceDatabaseUrl(database.url, 'router') }, 'ROUTER_PORT');
    services['dispatcher'] = await startBuiltService('dispatcher', { ...env, DATABASE_URL: serviceDatabaseUrl(database.url, 'dispatcher') }, 'DISPATCHER_PORT');
    await eventually(() => ['rop', 'moci', 'mm'].every((a) => receivers[a]!.received.length >= events.length), 120_000, 200);
    for (const agency of ['rop', 'moci', 'mm']) {
      const ids = receivers[agency]!.received.map((x) => x.eventId);
      expect(new Set(ids).size, agency).toBe(events.length);
      expect(ids.sort()).toEqual([...published].sort());
    }
    const raw = Object.values(receivers).map((r) => r.rawCount());
    process.stdout.write(`delivery crash test: ${events.length} events × 3 subscribers; raw webhook calls per receiver ${raw.join(', ')} (duplicates are re-deliveries of the same webhook-id, deduplicated by the receivers)\n`);
  }, 240_000);
});
