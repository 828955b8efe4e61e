// `rabt agencies cert issue|list|revoke` and `rabt agencies add --certificate` (the built CLI, as
// a process) against a fresh database and a CA made with libs/pki: the certificate really
// authenticates (checked by the gateway's own AgencyCertificatesService) until it is revoked,
// the private key is written once and stored nowhere, and both actions are audited.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { AgencyCertificatesService } from '@rabt/auth';
import { AgencyCertificateEntity, createDataSource, migrateDatabase } from '@rabt/persistence';
import { agencyOfCertificate, createCa } from '@rabt/pki';
import { createThrowawayDatabase, kafkaEnv, type ThrowawayDatabase } from '@rabt/testing';
import { cliRunner } from './cli.runner';

let db: ThrowawayDatabase;
let dataSource: DataSource;
let pki: string;
let out: string;
let ca: X509Certificate;

// The CLI as an operator runs it: operator-admin's Kafka credential grants and drops the ACLs.
const { rabt, ok, okJson } = cliRunner(() => ({ PATH: process.env['PATH'] ?? '', DATABASE_URL: db.url, RABT_PKI_DIR: pki, ...kafkaEnv('operator-admin') }));

/** Who a certificate authenticates as, by the service the gateway uses (fresh, so no cache). */
const authenticate = (certPem: string) => new AgencyCertificatesService(dataSource.getRepository(AgencyCertificateEntity)).authenticate(new X509Certificate(certPem), ca);

beforeAll(async () => {
  pki = mkdtempSync(join(tmpdir(), 'rabt-pki-'));
  out = mkdtempSync(join(tmpdir(), 'rabt-certs-'));
  const made = await createCa();
  writeFileSync(join(pki, 'ca.crt'), made.certPem);
  writeFileSync(join(pki, 'ca.key'), made.keyPem, { mode: 0o600 });
  ca = new X509Certificate(made.certPem);
  db = await createThrowawayDatabase('rabt_certs_cli');
  const database = { url: db.url, poolMax: 2, ssl: false };
  await migrateDatabase(database, 'certs-cli-e2e');
  dataSource = createDataSource(database, 'rabt-certs-cli-e2e');
  await dataSource.initialize();
  await ok(['agencies', 'seed']);
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
  rmSync(pki, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe('rabt agencies cert', () => {
  let id = '';

  it('issue --out-dir writes certificate, key (0600) and CA; the certificate authenticates as the agency; audited; no key stored', async () => {
    const issued = await okJson(['agencies', 'cert', 'issue', 'mom', '--out-dir', out, '--days', '30']);
    id = issued.id;
    expect(issued).toMatchObject({ agency: 'mom', subject: `UID=${id},CN=mom,OU=agency,O=Rabt`, principal: `User:agency.mom.${id}`, revokedAt: null });
    expect(issued).not.toHaveProperty('privateKeyPem');
    expect(statSync(issued.files.privateKey).mode & 0o777).toBe(0o600);
    const certPem = readFileSync(issued.files.certificate, 'utf8');
    expect(readFileSync(issued.files.ca, 'utf8')).toBe(readFileSync(join(pki, 'ca.crt'), 'utf8'));
    expect(agencyOfCertificate(certPem, ca)).toMatchObject({ agency: 'mom', certificateId: id, fingerprint: issued.fingerprint });
    expect(await authenticate(certPem)).toEqual({ agency: 'mom', keyId: `certificate:${id}`, roles: [] });

    const [audit] = await dataSource.query(`SELECT actor, action, subject, details FROM audit_record WHERE subject = $1`, [`certificate:${id}`]);
    expect(audit).toMatchObject({ actor: expect.stringMatching(/^cli:/), action: 'agency.certificate-issued', details: { agency: 'mom', fingerprint: issued.fingerprint } });
    const key = readFileSync(issued.files.privateKey, 'utf8').split('\n')[1]!;
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM (SELECT row_to_json(c)::text AS t FROM agency_certificate c UNION ALL SELECT row_to_json(a)::text FROM audit_record a) x WHERE t LIKE '%PRIVATE KEY%' OR t LIKE $1`, [`%${key}%`]);
    expect(n).toBe(0);
  });

  it('list shows the certificate of the agency, never a key', async () => {
    const { certificates } = await okJson(['agencies', 'cert', 'list', 'mom']);
    expect(certificates).toEqual([expect.objectContaining({ id, agency: 'mom', revokedAt: null })]);
    expect(JSON.stringify(certificates)).not.toContain('PRIVATE');
    expect((await okJson(['agencies', 'cert', 'list', 'rop'])).certificates).toEqual([]);
  });

  it('revoke with a reason: the certificate stops authenticating; audited; revoking again changes nothing', async () => {
    const certPem = readFileSync(join(out, `mom-${id}.crt`), 'utf8');
    const revoked = await okJson(['agencies', 'cert', 'revoke', id, '--reason', 'laptop stolen']);
    expect(revoked).toMatchObject({ id, revokeReason: 'laptop stolen', alreadyRevoked: false });
    expect(await authenticate(certPem)).toBeUndefined();
    const again = await okJson(['agencies', 'cert', 'revoke', id, '--reason', 'again']);
    expect(again).toMatchObject({ revokeReason: 'laptop stolen', alreadyRevoked: true });
    const audits = await dataSource.query(`SELECT action, details FROM audit_record WHERE subject = $1 ORDER BY id`, [`certificate:${id}`]);
    expect(audits.map((a: { action: string }) => a.action)).toEqual(['agency.certificate-issued', 'agency.certificate-revoked']);
    expect(audits[1].details).toMatchObject({ agency: 'mom', reason: 'laptop stolen' });
  });

  it('refuses, changing nothing: an unknown agency (1), a bad code or days (2), an unknown certificate (1), an empty reason (2), a missing CA (2)', async () => {
    const before = await dataSource.query(`SELECT count(*)::int AS n FROM agency_certificate`);
    const refused = async (args: string[], code: number, message: string, extra?: Record<string, string>) => {
      const run = await rabt(args, extra);
      expect(run.code, run.stdout + run.stderr).toBe(code);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toContain('    at ');
    };
    await refused(['agencies', 'cert', 'issue', 'nope'], 1, "agency 'nope' does not exist");
    await refused(['agencies', 'cert', 'issue', 'Mom'], 2, 'must be 2 to 16 characters');
    await refused(['agencies', 'cert', 'issue', 'mom', '--days', '9999'], 2, 'days must be at most 825');
    await refused(['agencies', 'cert', 'revoke', 'f'.repeat(32), '--reason', 'x'], 1, 'no agency certificate');
    await refused(['agencies', 'cert', 'revoke', "'; DROP TABLE agency_certificate; --", '--reason', 'x'], 1, 'no such certificate');
    await refused(['agencies', 'cert', 'revoke', id, '--reason', ' '], 2, 'reason must not be empty');
    await refused(['agencies', 'cert', 'issue', 'mom'], 2, 'cannot read the CA certificate file', { RABT_PKI_DIR: join(pki, 'missing') });
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM agency_certificate`)).toEqual(before);
  });
});

describe('rabt agencies add --certificate', () => {
  it('registers the agency and issues its first certificate at once', async () => {
    const dir = join(out, 'mol');
    const added = await okJson(['agencies', 'add', 'mol', '--name-en', 'Ministry of Labour', '--name-ar', 'وزارة العمل', '--certificate', '--out-dir', dir]);
    expect(added).toMatchObject({ code: 'mol', status: 'active', certificate: { agency: 'mol' } });
    const certPem = readFileSync(added.certificate.files.certificate, 'utf8');
    expect(await authenticate(certPem)).toMatchObject({ agency: 'mol', roles: [] });
  });
});
