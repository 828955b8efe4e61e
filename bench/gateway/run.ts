/**
 * Gateway throughput: sustained accepted ~0.5 KB events per second and CPU per event, against
 * (a) a bare Fastify route that parses JSON and produces with kafkajs and (b) one answering
 * 202 without Kafka — all in one run on one machine. Prints figures; asserts nothing.
 *   npm run bench:gateway   (local stack up; builds the services first)
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { CATALOGUE } from '@rabt/contracts';
import { createKafka, TopicAdmin } from '@rabt/kafka';
import { WORKSPACE_ROOT, kafkaEnv, testStack } from '@rabt/testing';
import { benchStack, cpuSeconds, freePort, nodeService } from '../shared/stack';

const DURATION = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 64);
const TYPE = 'mom.employee.left-work-reported';
const BASELINE_TOPIC = 'rabt.bench.baseline';
type Row = Awaited<ReturnType<typeof load>>;

/**
 * The no-optionals fixture (fields with defaults left out) with its free text shortened until
 * the event is about 0.5 KB (UTF-8) on the wire.
 */
function eventTemplate() {
  const data = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'test/fixtures', TYPE, 'ok/contract-ended-salalah-no-optionals.json'), 'utf8')) as Record<string, unknown>;
  for (const k of Object.keys(data)) if (data[k] === null) delete data[k];
  const event = { specversion: '1.0', id: `bench-${randomUUID()}`, source: 'urn:rabt:agency:mom', type: TYPE, data };
  const texts: [Record<string, unknown>, string][] = [
    [data, 'employerNameEn'],
    [data, 'employerNameAr'],
    [data['workerName'] as Record<string, unknown>, 'nameEn'],
    [data['workerName'] as Record<string, unknown>, 'nameAr'],
    [data['reportedBy'] as Record<string, unknown>, 'nameEn'],
    [data['reportedBy'] as Record<string, unknown>, 'nameAr'],
  ];
  for (let i = 0; i < 200 && Buffer.byteLength(JSON.stringify(event)) > 520; i++) {
    const [o, k] = texts[i % texts.length]!;
    if (String(o[k]).length > 6) o[k] = String(o[k]).slice(0, -1);
  }
  return { ...event, id: '' };
}

async function load(title: string, url: string, pid: number, key: string) {
  const template = eventTemplate();
  const opts = {
    url,
    connections: CONNECTIONS,
    method: 'POST' as const,
    headers: { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${key}` },
    requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ ...template, id: `bench-${randomUUID()}` }) }) }],
  };
  await autocannon({ ...opts, duration: 2 }); // warm-up
  const cpuBefore = cpuSeconds(pid);
  const r = await autocannon({ ...opts, duration: DURATION });
  const cpu = cpuSeconds(pid) - cpuBefore;
  const accepted = r['2xx'];
  if (r.non2xx || r.errors) process.stderr.write(`${title}: ${r.non2xx} non-2xx, ${r.errors} errors\n`);
  return { title, eventsPerSecond: accepted / DURATION, p50: r.latency.p50, p99: r.latency.p99, cpuMicrosPerEvent: (cpu / Math.max(1, accepted)) * 1e6, bodyBytes: Buffer.byteLength(JSON.stringify({ ...template, id: `bench-${randomUUID()}` })) };
}

async function main() {
  const stack = await benchStack();
  try {
    const registryPort = await freePort();
    const [node, registryArgs] = nodeService('schema-registry');
    await stack.start('schema-registry', node, [...registryArgs], { DATABASE_URL: stack.db.url, SCHEMA_REGISTRY_PORT: String(registryPort) }, `http://127.0.0.1:${registryPort}/health/ready`);
    const integrator = await stack.issue('ita', ['integrator']);
    const basic = `Basic ${Buffer.from(`ita:${integrator}`).toString('base64')}`;
    for (const entry of CATALOGUE) {
      await fetch(`http://127.0.0.1:${registryPort}/subjects/${entry.subject}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', authorization: basic },
        body: JSON.stringify({ schema: JSON.stringify(entry.schema) }),
      });
    }
    const mom = await stack.issue('mom');
    const gatewayPort = await freePort();
    const [, gatewayArgs] = nodeService('gateway');
    const gateway = await stack.start(
      'gateway',
      node,
      [...gatewayArgs],
      {
        DATABASE_URL: stack.db.url,
        GATEWAY_PORT: String(gatewayPort),
        SCHEMA_REGISTRY_URL: `http://127.0.0.1:${registryPort}`,
        SCHEMA_REGISTRY_USERNAME: 'ita',
        SCHEMA_REGISTRY_PASSWORD: integrator,
        GATEWAY_RATE_PER_SECOND: '10000000',
        GATEWAY_RATE_BURST: '10000000',
        GATEWAY_RATE_BYTES_PER_SECOND: '100000000000',
        GATEWAY_RATE_BYTES_BURST: '100000000000',
      },
      `http://127.0.0.1:${gatewayPort}/health/ready`,
    );
    const { kafka: kafkaConfig } = loadConfig('bench', { kafka: kafkaFragment('bench') }, kafkaEnv('operator-admin', testStack.kafkaBrokers)).values;
    const admin = new TopicAdmin(createKafka(kafkaConfig), { partitions: 6, replicationFactor: 1 });
    await admin.ensureTopics([{ name: BASELINE_TOPIC, partitions: 6, retentionMs: 3_600_000 }]);
    await admin.disconnect();
    const kafkaPort = await freePort();
    const withKafka = await stack.start('baseline-kafka', process.execPath, ['--import', 'tsx', 'bench/gateway/baseline-server.ts', 'kafka', String(kafkaPort), testStack.kafkaBrokers, BASELINE_TOPIC], {}, `http://127.0.0.1:${kafkaPort}/health`);
    const noKafkaPort = await freePort();
    const noKafka = await stack.start('baseline-nokafka', process.execPath, ['--import', 'tsx', 'bench/gateway/baseline-server.ts', 'nokafka', String(noKafkaPort)], {}, `http://127.0.0.1:${noKafkaPort}/health`);

    const rows = [
      await load('(b) Fastify, 202 without Kafka', `http://127.0.0.1:${noKafkaPort}/v1/events`, noKafka.pid!, mom),
      await load('(a) Fastify + kafkajs produce per request', `http://127.0.0.1:${kafkaPort}/v1/events`, withKafka.pid!, mom),
      await load('Rabt gateway', `http://127.0.0.1:${gatewayPort}/v1/events`, gateway.pid!, mom),
    ];
    const [b, a, g] = rows as [Row, Row, Row];
    process.stdout.write(`\ngateway benchmark — ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${CONNECTIONS} connections, ${DURATION} s each, ${g.bodyBytes}-byte events\n\n`);
    process.stdout.write('| server | accepted events/s | p50 ms | p99 ms | server CPU µs/event |\n|---|---|---|---|---|\n');
    for (const r of rows) process.stdout.write(`| ${r.title} | ${Math.round(r.eventsPerSecond)} | ${r.p50} | ${r.p99} | ${Math.round(r.cpuMicrosPerEvent)} |\n`);
    process.stdout.write(`\nratios: gateway/(a) ${(g.eventsPerSecond / a.eventsPerSecond).toFixed(2)} (target ≥ 0.5), gateway/(b) ${(g.eventsPerSecond / b.eventsPerSecond).toFixed(2)}\n`);
  } finally {
    await stack.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
