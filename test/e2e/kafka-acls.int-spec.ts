// The secured broker refuses every principal what it does not need (issue 19 points 1-3): each
// service's certificate, agency certificates (pull mode), a client without a certificate, a
// certificate of another CA, and plaintext. Every refusal has a positive control next to it, so a
// broker that refused everything (or a test that could not connect) would fail here.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readCloudEventHeaders } from '@rabt/sdk';
import { CATALOGUE } from '@rabt/contracts';
import {
  agencyAcls,
  applyAgencyAcls,
  createKafka,
  DEAD_LETTER_TOPIC,
  describePrincipalAcls,
  revokePrincipalAcls,
  TopicAdmin,
} from '@rabt/kafka';
import { issueAgencyCertificate, issueForeignCertificate, kafkaConfigFor, kafkaEnv, testStack, WORKSPACE_ROOT, type AgencyCertificate, type KafkaPrincipalName } from '@rabt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, produce, readFirst } from './kafka-probe';

const brokers = testStack.kafkaBrokers;
const client = (who: KafkaPrincipalName) => createKafka({ ...kafkaConfigFor(who, brokers), clientId: `acl-test-${who}` }, undefined, { retries: 3, connectionTimeoutMs: 5000 });
const withTls = (tls: { ca?: string; cert?: string; key?: string } | false) =>
  createKafka({ brokers: brokers.split(','), clientId: 'acl-test-raw', ssl: tls !== false, ...(tls ? { tls } : {}), defaultPartitions: 1, replicationFactor: 1 }, undefined, {
    retries: 0,
    connectionTimeoutMs: 3000,
  });
const agencyClient = (cert: AgencyCertificate) => withTls({ ca: cert.ca, cert: cert.cert, key: cert.key });

const code = () => `k${randomBytes(4).toString('hex').replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)}`;
const A = code();
const B = code();
const inboxA = `rabt.inbox.${A}`;
const inboxB = `rabt.inbox.${B}`;
const EVENT_TOPIC = 'mom.employee.left-work-reported';
const ANCHORS = 'rabt.audit.anchors';
const suffix = () => randomBytes(4).toString('hex');

const operator = client('operator-admin');

beforeAll(async () => {
  const admin = new TopicAdmin(operator, { partitions: 1, replicationFactor: 1 });
  await admin.ensureTopics([
    ...CATALOGUE.map((e) => ({ name: e.topic, partitions: e.partitions, retentionMs: e.retentionMs })),
    { name: DEAD_LETTER_TOPIC },
    { name: ANCHORS, partitions: 1, cleanupPolicy: 'compact' as const },
    { name: inboxA },
    { name: inboxB },
  ]);
  await admin.disconnect();
  for (const t of [EVENT_TOPIC, inboxA, inboxB]) await produce(operator, t);
});

describe('service principals: each is refused what it does not need', () => {
  it('gateway writes event topics, but cannot read them, write an inbox or grant itself ACLs', async () => {
    const gateway = client('gateway');
    await produce(gateway, EVENT_TOPIC);
    await expectRefused(readFirst(gateway, `rabt-gateway-${suffix()}`, EVENT_TOPIC));
    await expectRefused(produce(gateway, inboxA));
    await expectRefused(produce(gateway, ANCHORS));
    const admin = gateway.admin();
    await admin.connect();
    try {
      // READ (3), ALLOW (3) on TOPIC (2) LITERAL (3) rabt.inbox.<A>: only a super user may add ACLs.
      await expectRefused(admin.createAcls({ acl: [{ principal: 'User:service.gateway', host: '*', operation: 3, permissionType: 3, resourceType: 2, resourceName: inboxA, resourcePatternType: 3 }] }));
    } finally {
      await admin.disconnect();
    }
  });

  it('router reads event topics, but cannot read an inbox, write audit anchors or write an event topic', async () => {
    const router = client('router');
    expect((await readFirst(router, `rabt-router-acl-${suffix()}`, EVENT_TOPIC))['ce_specversion']).toBe('1.0');
    await expectRefused(readFirst(router, `rabt-router-acl-${suffix()}`, inboxA));
    await expectRefused(produce(router, ANCHORS));
    await expectRefused(produce(router, EVENT_TOPIC));
  });

  it('dispatcher reads inboxes, but cannot produce to one nor read an event topic', async () => {
    const dispatcher = client('dispatcher');
    expect((await readFirst(dispatcher, `rabt-dispatcher-acl-${suffix()}`, inboxA))['ce_specversion']).toBe('1.0');
    await expectRefused(produce(dispatcher, inboxA));
    await expectRefused(readFirst(dispatcher, `rabt-dispatcher-acl-${suffix()}`, EVENT_TOPIC));
  });

  it('workflow reads the types it awaits and writes rabt.transaction.*, but cannot read inboxes or forge agency events', async () => {
    const workflow = client('workflow');
    expect((await readFirst(workflow, `rabt-workflow-acl-${suffix()}`, EVENT_TOPIC))['ce_specversion']).toBe('1.0');
    await produce(workflow, 'rabt.transaction.completed');
    await expectRefused(readFirst(workflow, `rabt-workflow-acl-${suffix()}`, inboxA));
    await expectRefused(produce(workflow, EVENT_TOPIC));
    await expectRefused(produce(workflow, inboxA));
  });

  it('ops writes audit anchors, but cannot read event topics or inboxes', async () => {
    const ops = client('ops');
    await produce(ops, ANCHORS);
    await expectRefused(readFirst(ops, `rabt-reader-${suffix()}`, EVENT_TOPIC));
    await expectRefused(readFirst(ops, `rabt-reader-${suffix()}`, inboxA));
    await expectRefused(produce(ops, EVENT_TOPIC));
  });

  it('cli (rabt audit) writes anchors, but cannot read inboxes', async () => {
    const cli = client('cli');
    await produce(cli, ANCHORS);
    await expectRefused(readFirst(cli, `rabt-reader-${suffix()}`, inboxB));
  });

  it.each(['schema-registry', 'agency-simulator'] as const)('%s has no Kafka rights at all', async (who) => {
    const kafka = client(who);
    await expectRefused(produce(kafka, EVENT_TOPIC));
    await expectRefused(readFirst(kafka, `rabt-reader-${suffix()}`, inboxA));
  });
});

describe('who may connect at all', () => {
  it('operator-admin connects (the control)', async () => {
    const admin = operator.admin();
    await admin.connect();
    expect((await admin.describeCluster()).brokers.length).toBeGreaterThan(0);
    await admin.disconnect();
  });

  it('a TLS client without a certificate is refused', async () => {
    const cert = issueAgencyCertificate(A);
    const admin = withTls({ ca: cert.ca }).admin();
    await expect(admin.connect().then(() => admin.describeCluster())).rejects.toThrow();
    await admin.disconnect().catch(() => undefined);
  });

  it("a certificate from another CA is refused, even with operator-admin's subject", async () => {
    const foreign = issueForeignCertificate('/O=Rabt/OU=operator/CN=admin');
    const admin = withTls({ ca: foreign.ca, cert: foreign.cert, key: foreign.key }).admin();
    await expect(admin.connect().then(() => admin.describeCluster())).rejects.toThrow();
    await admin.disconnect().catch(() => undefined);
  });

  it('the broker speaks no plaintext', async () => {
    const admin = withTls(false).admin();
    await expect(admin.connect().then(() => admin.describeCluster())).rejects.toThrow();
    await admin.disconnect().catch(() => undefined);
  });
});

describe('agency certificate principals (pull mode)', () => {
  let certA: AgencyCertificate;
  let certB: AgencyCertificate;

  beforeAll(async () => {
    certA = issueAgencyCertificate(A);
    certB = issueAgencyCertificate(B);
    await applyAgencyAcls(operator, agencyAcls(A, certA.principal));
    await applyAgencyAcls(operator, agencyAcls(B, certB.principal));
  });

  afterAll(async () => {
    await revokePrincipalAcls(operator, certA.principal).catch(() => undefined);
    await revokePrincipalAcls(operator, certB.principal).catch(() => undefined);
  });

  it("reads its own inbox, and the SDK decodes the record's CloudEvents attributes", async () => {
    const headers = await readFirst(agencyClient(certA), `rabt.agency.${A}.reader-${suffix()}`, inboxA);
    const { attributes } = readCloudEventHeaders(headers);
    expect(attributes.type).toBe(inboxA);
    expect(attributes.source).toBe('acl-test');
  });

  it("is refused the other agency's inbox", async () => {
    await expectRefused(readFirst(agencyClient(certA), `rabt.agency.${A}.reader-${suffix()}`, inboxB));
  });

  it('is refused every raw event topic of the catalogue', async () => {
    const kafka = agencyClient(certA);
    for (const entry of CATALOGUE) await expectRefused(readFirst(kafka, `rabt.agency.${A}.reader-${suffix()}`, entry.topic));
  });

  it('is refused producing to any inbox, its own included', async () => {
    const kafka = agencyClient(certA);
    await expectRefused(produce(kafka, inboxA));
    await expectRefused(produce(kafka, inboxB));
  });

  it("is refused consumer groups outside its prefix (another agency's, the dispatcher's)", async () => {
    await expectRefused(readFirst(agencyClient(certA), `rabt.agency.${B}.reader-${suffix()}`, inboxA));
    await expectRefused(readFirst(agencyClient(certA), 'rabt-dispatcher', inboxA));
  });

  it("revoking one certificate deletes exactly its ACLs: it is refused, the other agency's still reads", async () => {
    const second = issueAgencyCertificate(B);
    await applyAgencyAcls(operator, agencyAcls(B, second.principal));
    expect(await revokePrincipalAcls(operator, second.principal)).toBe(3);
    const admin = operator.admin();
    await admin.connect();
    try {
      expect(await describePrincipalAcls(admin, second.principal)).toEqual([]);
      expect(await describePrincipalAcls(admin, certB.principal)).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
    await expectRefused(readFirst(agencyClient(second), `rabt.agency.${B}.reader-${suffix()}`, inboxB));
    expect((await readFirst(agencyClient(certB), `rabt.agency.${B}.reader-${suffix()}`, inboxB))['ce_specversion']).toBe('1.0');
  });

  it('agencyAcls refuses a principal of another agency', () => {
    expect(() => agencyAcls(A, certB.principal)).toThrow(/not a certificate principal/);
    expect(() => agencyAcls('A!', certA.principal)).toThrow(/not an agency code/);
  });
});

describe('rabt kafka acls plan|apply', () => {
  /** The CLI from source (as stack.sh runs it), with `env` only. */
  const rabt = async (args: string[], env: Record<string, string>) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(join(WORKSPACE_ROOT, 'node_modules/.bin/tsx'), ['--tsconfig', 'tsconfig.base.json', 'apps/cli/src/main.ts', ...args], {
        cwd: WORKSPACE_ROOT,
        env: { PATH: process.env['PATH'] ?? '', ...env },
        timeout: 60_000,
      });
      return { code: 0, out: stdout + stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, out: err.stdout + err.stderr };
    }
  };

  it('repairs drift: an entry granted by hand to a service is planned for deletion and deleted, and the service is refused again', async () => {
    const admin = operator.admin();
    await admin.connect();
    try {
      // READ (3), ALLOW (3) on TOPIC (2) LITERAL (3): the gateway reading an inbox, granted outside the plan.
      await admin.createAcls({ acl: [{ principal: 'User:service.gateway', host: '*', operation: 3, permissionType: 3, resourceType: 2, resourceName: inboxA, resourcePatternType: 3 }] });
    } finally {
      await admin.disconnect();
    }
    const env = { RABT_DEV_MODE: 'true', ...kafkaEnv('operator-admin', brokers) };
    const plan = await rabt(['kafka', 'acls', 'plan'], env);
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain(`- User:service.gateway READ TOPIC:LITERAL:${inboxA}`);
    const apply = await rabt(['kafka', 'acls', 'apply', '--json'], env);
    expect(apply.code, apply.out).toBe(0);
    expect(JSON.parse(apply.out)).toMatchObject({ applied: true, remove: [{ principal: 'User:service.gateway', operation: 'READ', name: inboxA }] });
    const again = await rabt(['kafka', 'acls', 'plan'], env);
    expect(again.out).toMatch(/0 to create, 0 to delete/);
  });

  it("a service's certificate may not manage ACLs (exit 2, named), and plaintext is refused outside development mode", async () => {
    const asGateway = await rabt(['kafka', 'acls', 'apply'], { RABT_DEV_MODE: 'true', ...kafkaEnv('gateway', brokers) });
    expect(asGateway.code).toBe(2);
    expect(asGateway.out).toMatch(/refused to manage ACLs \(CLUSTER_AUTHORIZATION_FAILED\)/);
    const plaintext = await rabt(['kafka', 'acls', 'plan'], { RABT_DEV_MODE: 'false', KAFKA_BROKERS: brokers });
    expect(plaintext.code).toBe(2);
    expect(plaintext.out).toMatch(/KAFKA_SSL: is false: plaintext Kafka/);
  });
});
