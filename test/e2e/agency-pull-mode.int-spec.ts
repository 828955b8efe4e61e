// Pull mode provisioned the way an operator does it (issue 19 point 3): `rabt agencies add
// --certificate` and `rabt agencies cert issue|revoke` (the built CLI, with operator-admin's
// Kafka credential) issue an agency certificate from the local CA the broker trusts and grant or
// drop its ACLs. The certificate then reads its own inbox on the secured broker and is refused
// everything else; once revoked it reads nothing. Without a provisioning credential nothing is
// issued at all.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { CATALOGUE } from '@rabt/contracts';
import { createKafka, TopicAdmin, type KafkaClient } from '@rabt/kafka';
import { AgencyCertificateEntity, createDataSource, migrateDatabase } from '@rabt/persistence';
import { createThrowawayDatabase, kafkaConfigFor, kafkaEnv, PKI_DIR, testStack, type ThrowawayDatabase } from '@rabt/testing';
import { cliRunner } from './cli.runner';
import { expectRefused, produce, readFirst } from './kafka-probe';

const letters = () => randomBytes(4).toString('hex').replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!);
const A = `p${letters()}`;
const B = `q${letters()}`;
const suffix = () => randomBytes(4).toString('hex');

let db: ThrowawayDatabase;
let dataSource: DataSource;
let out: string;
const operator = createKafka({ ...kafkaConfigFor('operator-admin'), clientId: 'pull-mode-test' }, undefined, { retries: 3, connectionTimeoutMs: 5000 });

// The CLI as an operator runs it: the local CA (RABT_PKI_DIR) and operator-admin's Kafka credential.
const { okJson } = cliRunner(() => ({ PATH: process.env['PATH'] ?? '', DATABASE_URL: db.url, RABT_PKI_DIR: PKI_DIR, ...kafkaEnv('operator-admin') }));
// The same, over TLS but with no client certificate: no credential that may manage ACLs.
const withoutCredential = cliRunner(() => {
  const { KAFKA_SSL_CERT_FILE: _cert, KAFKA_SSL_KEY_FILE: _key, ...tlsOnly } = kafkaEnv('operator-admin');
  return { PATH: process.env['PATH'] ?? '', DATABASE_URL: db.url, RABT_PKI_DIR: PKI_DIR, ...tlsOnly };
});

// And with no Kafka configuration at all: it must not issue a certificate without its ACLs.
const withoutKafka = cliRunner(() => ({ PATH: process.env['PATH'] ?? '', DATABASE_URL: db.url, RABT_PKI_DIR: PKI_DIR }));

const agencyClient = (files: { certificate: string; privateKey: string; ca: string }): KafkaClient =>
  createKafka(
    {
      brokers: testStack.kafkaBrokers.split(','),
      clientId: 'pull-mode-agency',
      ssl: true,
      tls: { ca: readFileSync(files.ca, 'utf8'), cert: readFileSync(files.certificate, 'utf8'), key: readFileSync(files.privateKey, 'utf8') },
      defaultPartitions: 1,
      replicationFactor: 1,
    },
    undefined,
    { retries: 0, connectionTimeoutMs: 3000 },
  );

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'rabt-pull-mode-'));
  db = await createThrowawayDatabase('rabt_pull_mode');
  const database = { url: db.url, poolMax: 2, ssl: false };
  await migrateDatabase(database, 'pull-mode-e2e');
  dataSource = createDataSource(database, 'rabt-pull-mode-e2e');
  await dataSource.initialize();
  const admin = new TopicAdmin(operator, { partitions: 1, replicationFactor: 1 });
  await admin.ensureTopics([{ name: `rabt.inbox.${A}` }, { name: `rabt.inbox.${B}` }]);
  await admin.disconnect();
  for (const t of [`rabt.inbox.${A}`, `rabt.inbox.${B}`]) await produce(operator, t);
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
  rmSync(out, { recursive: true, force: true });
});

describe('an agency provisioned for pull mode by the CLI', () => {
  let id = '';
  let files: { certificate: string; privateKey: string; ca: string };

  it('agencies add --certificate issues a certificate whose principal reads its own inbox', async () => {
    const added = await okJson(['agencies', 'add', A, '--name-en', 'Pull A', '--name-ar', 'سحب أ', '--certificate', '--out-dir', out]);
    id = added.certificate.id;
    files = added.certificate.files;
    expect(added.certificate).toMatchObject({ agency: A, principal: `User:agency.${A}.${id}` });
    const headers = await readFirst(agencyClient(files), `rabt.agency.${A}.reader-${suffix()}`, `rabt.inbox.${A}`);
    expect(headers['ce_specversion']).toBe('1.0');
  });

  it("is refused another agency's inbox, raw event topics, producing to any inbox and foreign groups", async () => {
    await okJson(['agencies', 'add', B, '--name-en', 'Pull B', '--name-ar', 'سحب ب']);
    const kafka = agencyClient(files);
    await expectRefused(readFirst(kafka, `rabt.agency.${A}.reader-${suffix()}`, `rabt.inbox.${B}`));
    await expectRefused(readFirst(kafka, `rabt.agency.${A}.reader-${suffix()}`, CATALOGUE[0]!.topic));
    await expectRefused(produce(kafka, `rabt.inbox.${A}`));
    await expectRefused(produce(kafka, `rabt.inbox.${B}`));
    await expectRefused(readFirst(kafka, `rabt.agency.${B}.reader-${suffix()}`, `rabt.inbox.${A}`));
  });

  it('cert revoke drops its ACLs: the same certificate reads nothing, at once', async () => {
    const revoked = await okJson(['agencies', 'cert', 'revoke', id, '--reason', 'rotated']);
    expect(revoked).toMatchObject({ id, revokeReason: 'rotated' });
    await expectRefused(readFirst(agencyClient(files), `rabt.agency.${A}.reader-${suffix()}`, `rabt.inbox.${A}`));
  });

  it('a new certificate for the agency works while the revoked one stays refused', async () => {
    const issued = await okJson(['agencies', 'cert', 'issue', A, '--out-dir', out]);
    expect((await readFirst(agencyClient(issued.files), `rabt.agency.${A}.reader-${suffix()}`, `rabt.inbox.${A}`))['ce_specversion']).toBe('1.0');
    await expectRefused(readFirst(agencyClient(files), `rabt.agency.${A}.reader-${suffix()}`, `rabt.inbox.${A}`));
  });

  it('without a provisioning credential (or any Kafka configuration), issue and revoke are refused and change nothing', async () => {
    const before = await dataSource.getRepository(AgencyCertificateEntity).count();
    const issue = await withoutCredential.rabt(['agencies', 'cert', 'issue', B, '--out-dir', out]);
    expect(issue.code, issue.stdout + issue.stderr).toBe(3);
    expect(issue.stderr).toMatch(/the broker is secured and no client certificate is given/);
    expect(await dataSource.getRepository(AgencyCertificateEntity).count()).toBe(before);
    const unconfigured = await withoutKafka.rabt(['agencies', 'cert', 'issue', B, '--out-dir', out]);
    expect(unconfigured.code, unconfigured.stdout + unconfigured.stderr).toBe(3);
    expect(unconfigured.stderr).toMatch(/Kafka is not configured/);
    expect(await dataSource.getRepository(AgencyCertificateEntity).count()).toBe(before);
    const [row] = (await dataSource.query(`SELECT id FROM agency_certificate WHERE agency_code = $1 AND revoked_at IS NULL`, [A])) as { id: string }[];
    const live = row!.id;
    const revoke = await withoutCredential.rabt(['agencies', 'cert', 'revoke', live, '--reason', 'test']);
    expect(revoke.code, revoke.stdout + revoke.stderr).toBe(3);
    expect(revoke.stderr).toMatch(/the broker is secured and no client certificate is given/);
    const [after] = (await dataSource.query(`SELECT revoked_at FROM agency_certificate WHERE id = $1`, [live])) as { revoked_at: Date | null }[];
    expect(after!.revoked_at).toBeNull();
  });
});
