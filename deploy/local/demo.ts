/**
 * `npm run demo`: Rabt on one machine, as far as it is built. After `stack.sh up` and the
 * service builds (scripts/demo.sh), this provisions the demo agencies and their keys, starts the
 * schema registry and the gateway, registers every contract, publishes one employee-left-work
 * report as MoM would, and keeps everything running until Ctrl-C.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authFragment, issueAgencyKey, parseApiKey, secretMatches } from '@rabt/auth';
import { databaseFragment, loadConfig } from '@rabt/config';
import { CATALOGUE, registerCatalogueSchemas } from '@rabt/contracts';
import { verifyWebhook } from '@rabt/sdk';
import { AgencyApiKeyEntity, createDataSource, seedAgencies } from '@rabt/persistence';

const ROOT = join(__dirname, '..', '..');
const RUN = join(ROOT, 'deploy/local/.run');
const KEYS_FILE = join(RUN, 'demo-keys.json');
const EXAMPLE_FILE = join(RUN, 'example-event.json');
const REGISTRY_PORT = Number(process.env['SCHEMA_REGISTRY_PORT'] ?? 8081);
const GATEWAY_PORT = Number(process.env['GATEWAY_PORT'] ?? 8080);
const ROUTER_PORT = Number(process.env['ROUTER_PORT'] ?? 8083);
const DISPATCHER_PORT = Number(process.env['DISPATCHER_PORT'] ?? 8084);
const RECEIVER_PORT = Number(process.env['DEMO_RECEIVER_PORT'] ?? 8090);
const REPORTED = 'mom.employee.left-work-reported';
const say = (m: string) => process.stdout.write(`[demo] ${m}\n`);

type DemoKeys = Record<'mom' | 'rop' | 'moci' | 'integrator', { agency: string; token: string }>;

async function provision(): Promise<DemoKeys> {
  const { database, auth } = loadConfig('demo', { database: databaseFragment(), auth: authFragment() }).values;
  const ds = createDataSource(database, 'demo');
  await ds.initialize();
  try {
    const added = await seedAgencies(ds);
    if (added.length) say(`agencies added: ${added.join(', ')}`);
    // Keys are shown once; the demo keeps its own in a git-ignored file and re-issues any that no
    // longer work (another database, a revoked key).
    const stored: Partial<DemoKeys> = existsSync(KEYS_FILE) ? (JSON.parse(readFileSync(KEYS_FILE, 'utf8')) as Partial<DemoKeys>) : {};
    const wanted = { mom: ['mom', []], rop: ['rop', []], moci: ['moci', []], integrator: ['ita', ['integrator']] } as const;
    const keys = {} as DemoKeys;
    for (const [name, [agency, roles]] of Object.entries(wanted) as [keyof DemoKeys, (typeof wanted)[keyof DemoKeys]][]) {
      const have = stored[name];
      const parsed = have ? parseApiKey(have.token) : undefined;
      const row = parsed ? await ds.manager.findOneBy(AgencyApiKeyEntity, { id: parsed.keyId }) : null;
      if (have && parsed && row && !row.revokedAt && secretMatches(parsed.secret, row.secretHash, auth.apiKeyPepper)) keys[name] = have;
      else keys[name] = { agency, token: (await issueAgencyKey(ds.manager, auth.apiKeyPepper, agency, `demo ${name}`, [...roles])).token };
    }
    mkdirSync(RUN, { recursive: true });
    writeFileSync(KEYS_FILE, JSON.stringify(keys, null, 2));
    chmodSync(KEYS_FILE, 0o600);
    return keys;
  } finally {
    await ds.destroy();
  }
}

const children: ChildProcess[] = [];
const servers: Server[] = [];

/**
 * Stand-ins for ROP's and MOCI's back offices until the agency simulators exist: one HTTP
 * server, a path per agency, every webhook verified with @rabt/sdk before it is printed.
 */
async function startReceivers(secrets: Map<string, string>): Promise<void> {
  const server = createServer((req, res) => {
    const agency = (req.url ?? '').split('/')[1] ?? '';
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const secret = secrets.get(agency);
      try {
        if (!secret) throw new Error('unknown agency');
        const event = verifyWebhook(secret, req.headers as Record<string, string>, Buffer.concat(chunks).toString('utf8')) as unknown as { id: string; data: Record<string, unknown> };
        say(`${agency.toUpperCase()} back office received ${event.id} (webhook-id ${String(req.headers['webhook-id'])}, signature valid): ${JSON.stringify(event.data)}`);
        res.writeHead(204).end();
      } catch (e) {
        say(`${agency} receiver refused a webhook: ${(e as Error).message}`);
        res.writeHead(401).end();
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(RECEIVER_PORT, '127.0.0.1', () => resolve()));
}

/** Grants ROP and MOCI a subscription to left-work reports (idempotent across demo runs). */
async function subscribeDemoAgencies(gateway: string, keys: DemoKeys): Promise<Map<string, string>> {
  const secrets = new Map<string, string>();
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${gateway}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const wanted = {
    rop: { filter: 'data.reason == "ABSCONDED"', projection: ['reason', 'lastWorkingDay', 'workerName', 'workPermitNumber'] },
    moci: { projection: ['employerCrNumber', 'employerNameEn'] },
  } as const;
  for (const [agency, options] of Object.entries(wanted) as [keyof typeof wanted, (typeof wanted)[keyof typeof wanted]][]) {
    await call('POST', '/v1/grants', keys.mom.token, { agency, eventType: REPORTED, permission: 'subscribe' });
    const url = `http://127.0.0.1:${RECEIVER_PORT}/${agency}/webhook`;
    // A fresh subscription each run, so the demo knows its signing secret (shown only at creation).
    const existing = await call('GET', `/v1/subscriptions?eventType=${REPORTED}`, keys[agency].token);
    for (const sub of (existing.body['subscriptions'] ?? []) as { id: string; webhook?: { url?: string } }[]) {
      if (sub.webhook?.url === url) await call('DELETE', `/v1/subscriptions/${sub.id}`, keys[agency].token);
    }
    const created = await call('POST', '/v1/subscriptions', keys[agency].token, { eventType: REPORTED, webhook: { url }, ...options });
    if (created.status !== 201) throw new Error(`subscribing ${agency}: ${created.status} ${JSON.stringify(created.body)}`);
    secrets.set(agency, String(created.body['webhookSecret']));
    say(`${agency} subscribed to ${REPORTED}${'filter' in options ? ` where ${options.filter}` : ''}, fields ${options.projection.join(', ')}`);
  }
  return secrets;
}

async function startService(app: string, env: Record<string, string>, port: number): Promise<void> {
  const log = join(RUN, 'logs', `${app}.log`);
  mkdirSync(join(RUN, 'logs'), { recursive: true });
  const out = (await import('node:fs')).openSync(log, 'a');
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps', app, 'main.js')], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  children.push(child);
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`${app} exited (code ${child.exitCode}); see ${log}`);
    if ((await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null))?.ok) {
      say(`${app} ready on http://127.0.0.1:${port} (log: ${log.replace(`${ROOT}/`, '')})`);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${app} did not become ready; see ${log}`);
}

async function main(): Promise<void> {
  const keys = await provision();
  const registry = `http://127.0.0.1:${REGISTRY_PORT}`;
  const gateway = `http://127.0.0.1:${GATEWAY_PORT}`;
  await startService('schema-registry', { SCHEMA_REGISTRY_PORT: String(REGISTRY_PORT) }, REGISTRY_PORT);
  await registerCatalogueSchemas(registry, { username: 'ita', password: keys.integrator.token });
  say(`${CATALOGUE.length} contracts registered in the schema registry`);
  const serviceEnv = { SCHEMA_REGISTRY_URL: registry, SCHEMA_REGISTRY_USERNAME: 'ita', SCHEMA_REGISTRY_PASSWORD: keys.integrator.token, RABT_WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${RECEIVER_PORT}` };
  await startService('gateway', { ...serviceEnv, GATEWAY_PORT: String(GATEWAY_PORT) }, GATEWAY_PORT);
  const secrets = await subscribeDemoAgencies(gateway, keys);
  await startReceivers(secrets);
  // The demo's own consumer group, started at the end of the topics the first time: the local
  // broker is shared with `npm test`, whose events are not the demo's to deliver.
  const routerEnv = { ROUTER_PORT: String(ROUTER_PORT), ROUTER_INSTANCE_ID: 'demo', ROUTER_GROUP_ID: 'rabt-router-demo', ROUTER_START_FROM: 'latest', ROUTER_SUBSCRIPTION_REFRESH_MS: '500' };
  await startService('router', { ...serviceEnv, ...routerEnv }, ROUTER_PORT);
  await startService('dispatcher', { ...serviceEnv, DISPATCHER_PORT: String(DISPATCHER_PORT), DISPATCHER_POLL_MS: '100', DISPATCHER_SUBSCRIPTION_CACHE_MS: '500' }, DISPATCHER_PORT);

  const data = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/mom.employee.left-work-reported/ok/absconded-seeb.json'), 'utf8')) as unknown;
  const event = { specversion: '1.0', id: `demo-${Date.now()}`, source: 'urn:rabt:agency:mom', type: 'mom.employee.left-work-reported', data };
  const res = await fetch(`${gateway}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${keys.mom.token}` }, body: JSON.stringify(event) });
  const answer = (await res.json()) as Record<string, unknown>;
  writeFileSync(EXAMPLE_FILE, JSON.stringify({ ...event, id: 'my-report-1' }, null, 2));
  say(`MoM reported that a worker left work: HTTP ${res.status} ${JSON.stringify(answer)}`);
  say('routing it: ROP gets it (absconding) with only its fields; MOCI gets the employer fields …');

  process.stdout.write(`
[demo] Running: Kafka on 127.0.0.1:9092, PostgreSQL, the schema registry (${registry}), the
       gateway (${gateway}, OpenAPI at ${gateway}/docs), the router and the dispatcher, and
       stand-in back offices for ROP and MOCI on :${RECEIVER_PORT} that verify every webhook.
[demo] API keys of the demo agencies (shown here and kept in ${KEYS_FILE.replace(`${ROOT}/`, '')}):
         mom: ${keys.mom.token}
         rop: ${keys.rop.token}
         ita (integrator): ${keys.integrator.token}
[demo] Try it as MoM would (an example event is in ${EXAMPLE_FILE.replace(`${ROOT}/`, '')}; change its id to publish again):
         curl -i ${gateway}/v1/events -H 'Authorization: Bearer ${keys.mom.token}' \\
              -H 'Content-Type: application/cloudevents+json' -d @${EXAMPLE_FILE.replace(`${ROOT}/`, '')}
         curl -s ${gateway}/v1/events/${event.id} -H 'Authorization: Bearer ${keys.mom.token}'
[demo] Each report you publish is delivered, signed, to ROP (absconding only) and MOCI; see
         curl -s ${gateway}/v1/events/${event.id}/deliveries -H 'Authorization: Bearer ${keys.mom.token}'
[demo] Not built yet: the employee-left-work workflow and its timeline, the agency simulators
       and the operator console.
[demo] Ctrl-C stops the services (the stack keeps running; npm run stack:down stops it).
`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

async function stopAll(): Promise<void> {
  say('stopping services');
  for (const server of servers) server.close();
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
  say('services stopped');
}

main()
  .then(stopAll)
  .catch(async (e: unknown) => {
    process.stderr.write(`[demo] failed: ${e instanceof Error ? e.message : String(e)}\n`);
    await stopAll();
    process.exit(1);
  });
