/**
 * `npm run demo`: Rabt on one machine. After `stack.sh up` and the builds (scripts/demo.sh) this
 * seeds the demo agencies and their keys in the demo's own database, starts the schema registry,
 * the gateway, the router, the dispatcher, the workflow service and the agency simulators, files
 * one transaction as MoM and prints its cross-agency timeline live, then keeps running until
 * Ctrl-C. `--scenario` picks the story, `--load N` runs N transactions instead. docs/simulators.md.
 */
import 'reflect-metadata';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { authFragment, createOperator, issueAgencyKey, parseApiKey, secretMatches } from '@rabt/auth';
import { databaseFragment, kafkaFragment, loadConfig, type KafkaConfig } from '@rabt/config';
import { CATALOGUE, catalogueEntry, EventTypes, registerCatalogueSchemas } from '@rabt/contracts';
import { commitGroupPositions, createKafka, TopicAdmin, type GroupPosition, type KafkaClient } from '@rabt/kafka';
import { AgencyApiKeyEntity, createDataSource, ensureDatabase, migrateDatabase, OperatorEntity, seedAgencies, serviceDatabaseUrl, type ServiceName } from '@rabt/persistence';
import { inboxTopic } from '@rabt/routing';
import { createCa, DEFAULT_PKI_DIR, isIssuedBy, RabtCa, type CertificateAndKey } from '@rabt/pki';
import { RabtClient } from '@rabt/sdk';
import { kafkaAdminEnv, kafkaEnv, provisionSimulatedAgencies, simulatorEnv } from '@rabt/testing';
import { runLoad } from './demo/load';
import { leftWorkReport, SCENARIO_INFO, SCENARIOS, transferRequest, withdrawalOf, type Scenario } from './demo/scenarios';
import { DemoServices, rel, ROOT, RUN, say } from './demo/services';
import { followTransaction, stepTable, type TransactionView } from './demo/transactions';

// The demo is a developer's machine: development mode for its own configuration and for every
// service it starts, also when demo.ts is run without scripts/demo.sh.
process.env['RABT_DEV_MODE'] ??= 'true';

const KEYS_FILE = join(RUN, 'demo-keys.json');
/** Operator accounts of the demo (rabt_demo only): username, role, agency, demo password. */
const DEMO_OPERATORS = [
  { username: 'admin', role: 'admin', password: 'rabt-demo-admin' },
  { username: 'operator', role: 'operator', password: 'rabt-demo-operator' },
  { username: 'viewer', role: 'viewer', password: 'rabt-demo-viewer' },
  { username: 'rop-integrator', role: 'operator', agency: 'rop', password: 'rabt-demo-rop-integrator' },
] as const;
const AGENCIES = ['mom', 'rop', 'moci', 'epay'] as const;
type DemoKeys = Record<(typeof AGENCIES)[number] | 'integrator', { agency: string; token: string }>;

const PORTS = {
  registry: Number(process.env['SCHEMA_REGISTRY_PORT'] ?? 8081),
  gateway: Number(process.env['GATEWAY_PORT'] ?? 8080),
  router: Number(process.env['ROUTER_PORT'] ?? 8083),
  dispatcher: Number(process.env['DISPATCHER_PORT'] ?? 8084),
  workflow: Number(process.env['WORKFLOW_PORT'] ?? 8085),
  ops: Number(process.env['OPS_PORT'] ?? 8082),
  mom: 8091,
  rop: 8092,
  moci: 8093,
  epay: 8094,
};
/** The agency whose webhooks arrive over mutual TLS: HTTPS that accepts only Rabt's dispatcher certificate. */
const MTLS_AGENCY = 'rop';
/** The local PKI (conventions: the stack's CA at $RABT_PKI_DIR/ca.crt|key, git-ignored). */
const PKI_DIR = process.env['RABT_PKI_DIR'] ?? join(ROOT, DEFAULT_PKI_DIR);

const GROUPS = { router: 'rabt-router-demo', dispatcher: 'rabt-dispatcher-demo', workflow: 'rabt-workflow-demo' };

interface DemoOptions {
  scenario: Scenario;
  load?: number;
  concurrency: number;
  sla?: string;
  delay?: string;
  failureRate?: string;
  exit: boolean;
}

function options(): DemoOptions {
  const command = new Command('npm run demo --')
    .addOption(new Option('--scenario <name>', 'the story to run').choices(SCENARIOS).default('employee-left-work'))
    .addOption(new Option('--load <n>', 'run N employee-left-work transactions and print completed, SLA breaches, p50/p99').argParser((v) => positive(v, '--load')))
    .addOption(new Option('--concurrency <n>', 'transactions open at a time under --load').argParser((v) => positive(v, '--concurrency')).default(100))
    .option('--sla <duration>', 'every step SLA (WORKFLOW_SLA_OVERRIDE), e.g. 30s; default: the workflow definitions')
    .option('--delay <ms>', 'simulated processing time per agency step, ms or min-max (default 400-1500, 20-80 under --load)')
    .option('--failure-rate <rate>', 'share of webhooks the simulators answer 503 (retried by the dispatcher)')
    .option('--exit', 'stop everything once the scenario or the load has finished (default: run until Ctrl-C)', false);
  command.parse(process.argv.slice(2), { from: 'user' });
  return command.opts<DemoOptions>();
}

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number (got "${value}")`);
  return n;
}

/** The demo's own database (rabt_demo next to the test database), so it never touches what npm test uses. */
function demoDatabaseUrl(): string {
  if (process.env['DEMO_DATABASE_URL']) return process.env['DEMO_DATABASE_URL'];
  const { database } = loadConfig('demo', { database: databaseFragment() }).values;
  const url = new URL(database.url);
  url.pathname = '/rabt_demo';
  return url.toString();
}

async function provision(databaseUrl: string): Promise<DemoKeys> {
  const { auth } = loadConfig('demo', { auth: authFragment() }).values;
  const config = { url: databaseUrl, poolMax: 2, ssl: false };
  if (await ensureDatabase(databaseUrl)) say(`created the demo database ${new URL(databaseUrl).pathname.slice(1)}`);
  await migrateDatabase(config, 'demo');
  const ds = createDataSource(config, 'demo');
  await ds.initialize();
  try {
    const added = await seedAgencies(ds);
    if (added.length) say(`agencies added: ${added.join(', ')}`);
    // Keys are shown once; the demo keeps its own in a git-ignored file and re-issues any that no
    // longer work (another database, a revoked key).
    const stored: Partial<DemoKeys> = existsSync(KEYS_FILE) ? (JSON.parse(readFileSync(KEYS_FILE, 'utf8')) as Partial<DemoKeys>) : {};
    const wanted: [keyof DemoKeys, string, ('integrator' | 'admin')[]][] = [...AGENCIES.map((a): [keyof DemoKeys, string, ('integrator' | 'admin')[]] => [a, a, []]), ['integrator', 'ita', ['integrator']]];
    const keys = {} as DemoKeys;
    for (const [name, agency, roles] of wanted) {
      const have = stored[name];
      const parsed = have ? parseApiKey(have.token) : undefined;
      const row = parsed ? await ds.manager.findOneBy(AgencyApiKeyEntity, { id: parsed.keyId }) : null;
      const pepper = row ? auth.apiKeyPeppers.get(row.pepperVersion) : undefined;
      const live = row && !row.revokedAt && (!row.expiresAt || row.expiresAt > new Date());
      if (have && parsed && live && pepper !== undefined && secretMatches(parsed.secret, row.secretHash, pepper)) keys[name] = have;
      else keys[name] = { agency, token: (await issueAgencyKey(ds.manager, auth.apiKeyPepper, agency, `demo ${name}`, roles)).token };
    }
    // Sign-in accounts for the console and `rabt login`, with published demo passwords: only in
    // the demo's own database, never in one DEMO_DATABASE_URL points elsewhere.
    if (new URL(databaseUrl).pathname === '/rabt_demo') {
      for (const o of DEMO_OPERATORS) {
        if (await ds.manager.existsBy(OperatorEntity, { username: o.username })) continue;
        await createOperator(ds.manager, { ...o, displayName: `Demo ${o.username}` });
        say(`operator account ${o.username} (${o.role}${'agency' in o ? ` of ${o.agency}` : ''}) created`);
      }
    }
    mkdirSync(RUN, { recursive: true });
    writeFileSync(KEYS_FILE, JSON.stringify(keys, null, 2));
    chmodSync(KEYS_FILE, 0o600);
    return keys;
  } finally {
    await ds.destroy();
  }
}

/**
 * The local broker is shared with `npm test`: the demo's consumer groups start at the current end
 * of their topics each time, so they never pick up events of test runs (or of an earlier demo).
 */
async function startGroupsAtTheEnd(kafka: KafkaClient, config: KafkaConfig): Promise<void> {
  // The same topic defaults the services use, so a topic created here first is the one they expect.
  const admin = new TopicAdmin(kafka, { partitions: config.defaultPartitions, replicationFactor: config.replicationFactor });
  try {
    const eventTopics = CATALOGUE.map((e) => ({ name: e.topic, partitions: e.partitions, retentionMs: e.retentionMs }));
    const inboxes = AGENCIES.map((a) => ({ name: inboxTopic(a) }));
    await admin.ensureTopics([...eventTopics, ...inboxes]);
    const at = async (topics: readonly string[]) => {
      const positions: GroupPosition[] = [];
      for (const topic of topics) for (const [partition, offset] of await admin.endOffsets(topic)) positions.push({ topic, partition, offset });
      return positions;
    };
    const agencyTopics = CATALOGUE.filter((e) => e.owner !== 'ita').map((e) => e.topic);
    await commitGroupPositions(kafka, GROUPS.router, await at(CATALOGUE.map((e) => e.topic)));
    await commitGroupPositions(kafka, GROUPS.dispatcher, await at(inboxes.map((t) => t.name)));
    await commitGroupPositions(kafka, GROUPS.workflow, await at(agencyTopics));
  } finally {
    await admin.disconnect();
  }
}

interface DemoPki {
  readonly caFile: string;
  readonly dispatcher: { readonly cert: string; readonly key: string };
  readonly endpoint: { readonly cert: string; readonly key: string };
}

/**
 * The local CA (the stack's, or one made here with libs/pki when there is none), Rabt's
 * dispatcher certificate (`service-dispatcher`, OU=service, CN=dispatcher) and the server
 * certificate of the mutual-TLS agency's webhook endpoint, each issued once and kept in the
 * git-ignored PKI folder (keys 0600).
 */
async function demoPki(): Promise<DemoPki> {
  mkdirSync(PKI_DIR, { recursive: true, mode: 0o700 });
  const caFile = join(PKI_DIR, 'ca.crt');
  const caKey = join(PKI_DIR, 'ca.key');
  if (!existsSync(caFile) || !existsSync(caKey)) {
    const made = await createCa();
    writeFileSync(caKey, made.keyPem, { mode: 0o600 });
    writeFileSync(caFile, made.certPem);
    say(`created the local certificate authority at ${rel(PKI_DIR)}`);
  }
  const ca = await RabtCa.fromFiles(caFile, caKey);
  const kept = async (name: string, issue: () => Promise<CertificateAndKey>) => {
    const cert = join(PKI_DIR, `${name}.crt`);
    const key = join(PKI_DIR, `${name}.key`);
    const valid = existsSync(cert) && existsSync(key) && isIssuedBy(new X509Certificate(readFileSync(cert)), ca.certificate, new Date(Date.now() + 86_400_000));
    if (!valid) {
      const issued = await issue();
      writeFileSync(key, issued.keyPem, { mode: 0o600 });
      chmodSync(key, 0o600);
      writeFileSync(cert, issued.certPem);
    }
    return { cert, key };
  };
  return {
    caFile,
    dispatcher: await kept('service-dispatcher', () => ca.issueServiceCertificate('service', 'dispatcher')),
    endpoint: await kept(`demo-${MTLS_AGENCY}-webhook`, () => ca.issueServiceCertificate('service', `${MTLS_AGENCY}-webhook`, { serverNames: ['127.0.0.1', 'localhost'] })),
  };
}

const services = new DemoServices();
/**
 * Ctrl-C (or SIGTERM) at any point: stop the services cleanly, then exit. The signal often comes
 * twice (from the terminal, and relayed by tsx), so a repeat is ignored while the services stop:
 * Node's default for it would exit at once and leave them running.
 */
const interrupted = new Promise<void>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => resolve(undefined));
});
void interrupted.then(async () => {
  process.stdout.write('\n');
  await stopAll();
  process.exit(process.exitCode ?? 0);
});

async function main(): Promise<void> {
  const opts = options();
  const load = opts.load !== undefined;
  const databaseUrl = demoDatabaseUrl();
  // The demo administers topics and group positions itself: operator-admin's certificate, unless
  // the environment names a Kafka client certificate of its own (another cluster).
  const adminEnv = process.env['KAFKA_SSL_CERT_FILE'] ? process.env : { ...process.env, ...kafkaEnv('operator-admin', process.env['KAFKA_BROKERS'] || '127.0.0.1:9092') };
  const { kafka: kafkaConfig } = loadConfig('demo', { kafka: kafkaFragment('rabt-demo') }, adminEnv).values;
  const kafka = createKafka(kafkaConfig);
  const keys = await provision(databaseUrl);
  const pki = await demoPki();
  await startGroupsAtTheEnd(kafka, kafkaConfig);
  const registry = `http://127.0.0.1:${PORTS.registry}`;
  const gateway = `http://127.0.0.1:${PORTS.gateway}`;
  const base = { LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info' };
  // Each service connects as its own database role (a passwordless URL: a server that trusts
  // local connections); a DEMO_DATABASE_URL with a password is given to every service as it is.
  const db = (service: ServiceName) => ({ DATABASE_URL: new URL(databaseUrl).password ? databaseUrl : serviceDatabaseUrl(databaseUrl, service) });
  await services.start('schema-registry', { ...base, ...db('schema-registry'), SCHEMA_REGISTRY_PORT: String(PORTS.registry) }, PORTS.registry);
  await registerCatalogueSchemas(registry, { username: 'ita', password: keys.integrator.token });
  say(`${CATALOGUE.length} contracts registered in the schema registry`);
  const serviceEnv = { ...base, SCHEMA_REGISTRY_URL: registry, SCHEMA_REGISTRY_USERNAME: 'ita', SCHEMA_REGISTRY_PASSWORD: keys.integrator.token, RABT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' };
  await services.start('gateway', { ...serviceEnv, ...db('gateway'), GATEWAY_PORT: String(PORTS.gateway), GATEWAY_RATE_PER_SECOND: '5000', GATEWAY_RATE_BURST: '5000' }, PORTS.gateway);

  const tokens = Object.fromEntries(AGENCIES.map((a) => [a, keys[a].token]));
  const secrets = await provisionSimulatedAgencies({ gatewayUrl: gateway, tokens, ownerOf: (type) => catalogueEntry(type).owner, webhookUrl: (agency) => `${agency === MTLS_AGENCY ? 'https' : 'http'}://127.0.0.1:${PORTS[agency as keyof typeof PORTS]}/webhook` });
  for (const agency of AGENCIES) {
    const how = agency === MTLS_AGENCY ? `signed webhooks over mutual TLS to https://127.0.0.1:${PORTS[agency]}` : `signed webhooks to :${PORTS[agency]}`;
    say(`${agency} subscribed (${how}) to ${secrets[agency]?.length ?? 0} event types`);
  }

  await services.start('router', { ...serviceEnv, ...db('router'), ROUTER_PORT: String(PORTS.router), ROUTER_INSTANCE_ID: 'demo', ROUTER_GROUP_ID: GROUPS.router, ROUTER_SUBSCRIPTION_REFRESH_MS: '500' }, PORTS.router);
  await services.start(
    'dispatcher',
    { ...serviceEnv, ...db('dispatcher'), DISPATCHER_PORT: String(PORTS.dispatcher), DISPATCHER_GROUP_ID: GROUPS.dispatcher, DISPATCHER_POLL_MS: '100', DISPATCHER_SUBSCRIPTION_CACHE_MS: '500', DISPATCHER_RETRY_SCHEDULE: '1s,2s,5s,10s,30s,1m,5m', DISPATCHER_ENDPOINT_CONCURRENCY: load ? '32' : '8',
      // Rabt's client certificate, presented to the endpoint that requires it, and the local CA that signed that endpoint's certificate.
      DISPATCHER_TLS_CLIENT_CERT: pki.dispatcher.cert,
      DISPATCHER_TLS_CLIENT_KEY: pki.dispatcher.key,
      DISPATCHER_TLS_CA: pki.caFile,
    },
    PORTS.dispatcher,
  );
  if (!DemoServices.built('workflow')) throw new Error('dist/apps/workflow/main.js is missing: the workflow service was not built (npx nx build workflow)');
  await services.start('workflow', { ...serviceEnv, ...db('workflow'), WORKFLOW_PORT: String(PORTS.workflow), WORKFLOW_GROUP_ID: GROUPS.workflow, ...(opts.sla ? { WORKFLOW_SLA_OVERRIDE: opts.sla } : {}) }, PORTS.workflow);
  // ops issues agency certificates with the local CA and grants their Kafka ACLs as operator-admin.
  await services.start('ops', { ...base, ...db('ops'), ...kafkaAdminEnv(), OPS_PORT: String(PORTS.ops) }, PORTS.ops);
  const simulatorBehaviour = { SIM_DELAY_MS: opts.delay ?? (load ? '20-80' : '400-1500'), SIM_FAILURE_RATE: opts.failureRate ?? '0' };
  await services.start(
    'agency-simulator',
    {
      ...simulatorEnv(gateway, tokens, secrets, { mom: PORTS.mom, rop: PORTS.rop, moci: PORTS.moci, epay: PORTS.epay }),
      ...simulatorBehaviour,
      [`SIM_${MTLS_AGENCY.toUpperCase()}_TLS_CERT`]: pki.endpoint.cert,
      [`SIM_${MTLS_AGENCY.toUpperCase()}_TLS_KEY`]: pki.endpoint.key,
      SIM_RABT_CA: pki.caFile,
      LOG_LEVEL: 'info',
    },
    PORTS.mom,
  );
  say(`agency simulators: back offices of ${AGENCIES.join(', ')} on :${PORTS.mom}-${PORTS.epay} (processing ${simulatorBehaviour.SIM_DELAY_MS} ms, failure rate ${simulatorBehaviour.SIM_FAILURE_RATE})`);
  say(`${MTLS_AGENCY} is on mutual TLS: its endpoint accepts only Rabt's dispatcher certificate (${rel(pki.dispatcher.cert)}, CA ${rel(pki.caFile)}), checked with @rabt/sdk/node verifyRabtClient`);

  if (load) await loadRun(opts, gateway, keys, kafka);
  else await story(opts.scenario, gateway, keys);

  process.stdout.write(`
[demo] Running: Kafka (${kafkaConfig.brokers.join(',')}), PostgreSQL (database ${new URL(databaseUrl).pathname.slice(1)}), the schema registry
       (${registry}), the gateway (${gateway}, OpenAPI at ${gateway}/docs), the router, the dispatcher,
       the workflow service (:${PORTS.workflow}), the ops service (:${PORTS.ops}) and the agency simulators (:${PORTS.mom}-${PORTS.epay}, GET /status on each).
[demo] API keys of the demo agencies are in ${rel(KEYS_FILE)}. See a transaction as MoM:
         curl -s ${gateway}/v1/transactions/<transactionid> -H "Authorization: Bearer $(node -p "require('./${rel(KEYS_FILE)}').mom.token")"
[demo] Other runs: npm run demo -- --scenario withdrawal | --scenario worker-service-transfer | --load 1000
${consoleLines(databaseUrl)}
[demo] Service logs: ${rel(join(RUN, 'logs'))}/<service>.log
`);
  if (opts.exit) return;
  say('Ctrl-C stops the services (the stack keeps running; npm run stack:down stops it).');
  await interrupted;
}

/** Where the console is (or why not), and the demo accounts to sign in with. */
function consoleLines(databaseUrl: string): string {
  const ops = `http://127.0.0.1:${PORTS.ops}`;
  const accounts = new URL(databaseUrl).pathname === '/rabt_demo' ? DEMO_OPERATORS.map((o) => `${o.username} / ${o.password}`).join(', ') : 'none created (not the rabt_demo database)';
  const where = DemoServices.built('console', 'index.html')
    ? `[demo] Operator console: ${ops}/ (ops API: ${ops}/docs).`
    : `[demo] The console is not built (npx nx build console); the ops API is at ${ops}/docs (also: npm run rabt -- login --username operator).`;
  return `${where}\n[demo] Demo operator accounts (demo passwords, rabt_demo only): ${accounts}`;
}

/** One transaction, followed live through GET /v1/transactions/{id} as MoM. */
async function story(scenario: Scenario, gateway: string, keys: DemoKeys): Promise<void> {
  const info = SCENARIO_INFO[scenario];
  const mom = new RabtClient({ baseUrl: gateway, apiKey: keys.mom.token, agency: 'mom' });
  const run = Date.now().toString(36);
  say(`scenario ${scenario}: ${info.what}`);
  const t0 = Date.now();
  let accepted;
  let withdraw: (() => Promise<void>) | undefined;
  if (scenario === 'worker-service-transfer') {
    const request = transferRequest(run, 1);
    accepted = await mom.publish(EventTypes.MomWorkerServiceTransferRequested, request, { subject: request.requestId });
  } else {
    const report = leftWorkReport(run, 1);
    accepted = await mom.publish(EventTypes.MomEmployeeLeftWorkReported, report, { subject: report.reportId });
    if (scenario === 'withdrawal') {
      withdraw = async () => {
        say('MoM: the employer withdraws the report (mom.employee.left-work-withdrawn)');
        await mom.publish(EventTypes.MomEmployeeLeftWorkWithdrawn, withdrawalOf(report), { subject: report.reportId, transactionid: accepted!.transactionid! });
      };
    }
  }
  const tx = accepted.transactionid!;
  say(`MoM filed ${info.trigger} once (event ${accepted.id}); transaction ${tx}. Its timeline, live (GET /v1/transactions/${tx} as mom):`);
  let withdrawn = false;
  const view: TransactionView = await followTransaction(mom, tx, {
    timeoutMs: 180_000,
    print: (line) => process.stdout.write(`${line}\n`),
    onView: async (v) => {
      // Withdraw once two agencies have acted, so that two steps need undoing.
      if (withdraw && !withdrawn && v.steps.filter((s) => s.state === 'completed').length >= 2) {
        withdrawn = true;
        await withdraw();
      }
    },
  });
  const undone = view.steps.filter((s) => s.state === 'compensated').map((s) => s.agency);
  const agencies = [...new Set(view.timeline.filter((e) => e.agency !== 'ita').map((e) => e.agency))];
  const took = ((Date.parse(view.completedAt ?? new Date().toISOString()) - Date.parse(view.startedAt)) / 1000).toFixed(1);
  process.stdout.write(`\n${stepTable(view).join('\n')}\n\n`);
  if (view.state === 'completed') {
    say(`Summary: one submission by MoM; ${agencies.length} agencies (${agencies.join(', ')}) did their part; ${view.workflow} completed in ${took} s. Without Rabt: an office visit to each.`);
  } else {
    say(`Summary: one submission by MoM, then its withdrawal; ${undone.length ? undone.join(', ') : 'no agency'} undid what had been done; ${view.workflow} ${view.state} in ${took} s.`);
  }
  say(`(wall clock from the demo's publish to the end: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

async function loadRun(opts: DemoOptions, gateway: string, keys: DemoKeys, kafka: KafkaClient): Promise<void> {
  const count = opts.load!;
  say(`load: ${count} employee-left-work transactions, at most ${opts.concurrency} open at a time`);
  const result = await runLoad({ count, concurrency: opts.concurrency, gatewayUrl: gateway, momToken: keys.mom.token, kafka, timeoutMs: 600_000, out: process.stdout });
  const ms = (v: number) => (Number.isFinite(v) ? `${(v / 1000).toFixed(2)} s` : 'n/a');
  process.stdout.write(`
[demo] Load result
         submitted             ${result.submitted}
         completed             ${result.completed}
         not completed         ${result.lost.length}${result.lost.length ? ` (e.g. ${result.lost.slice(0, 3).join(', ')})` : ''}
         SLA breaches          ${result.slaBreaches} step(s) in ${result.breachedTransactions} transaction(s)
         time to complete      p50 ${ms(result.p50Ms)}, p99 ${ms(result.p99Ms)}, max ${ms(result.maxMs)}
         wall clock            ${ms(result.wallMs)} (${(result.completed / (result.wallMs / 1000)).toFixed(1)} transactions/s)
`);
  if (result.lost.length) process.exitCode = 1;
}

let stopped: Promise<void> | undefined;
function stopAll(): Promise<void> {
  stopped ??= (async () => {
    say('stopping services');
    await services.stopAll();
    say('services stopped');
  })();
  return stopped;
}

main()
  .then(stopAll)
  .then(() => process.exit(process.exitCode ?? 0))
  .catch(async (e: unknown) => {
    process.stderr.write(`[demo] failed: ${e instanceof Error ? e.message : String(e)}\n`);
    await stopAll();
    process.exit(1);
  });
