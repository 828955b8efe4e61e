// The ops admin API for agency certificates, on a real Postgres over real HTTP: a Rabt-wide
// admin issues (the private key answered once, never cached or stored), lists and revokes;
// every other caller is refused and changes nothing; issue and revoke reach the agency's Kafka
// ACLs through AgencyKafkaAccess and are audited with the admin's reason.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createDataSource, migrateDatabase, seedAgencies } from '@rabt/persistence';
import { agencyOfCertificate, createCa, RecordingAgencyKafkaAccess } from '@rabt/pki';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import { createAccount, OpsCaller, startOps, type RunningOps } from './ops.harness';

let database: ThrowawayDatabase;
let db: DataSource;
let ops: RunningOps;
let pki: string;
let ca: X509Certificate;
const kafka = new RecordingAgencyKafkaAccess();

const certificates = async () => (await db.query(`SELECT id, agency_code, revoked_at, revoke_reason FROM agency_certificate ORDER BY created_at`)) as { id: string; agency_code: string; revoked_at: Date | null }[];

beforeAll(async () => {
  pki = mkdtempSync(join(tmpdir(), 'rabt-ops-pki-'));
  const made = await createCa();
  writeFileSync(join(pki, 'ca.crt'), made.certPem);
  writeFileSync(join(pki, 'ca.key'), made.keyPem, { mode: 0o600 });
  ca = new X509Certificate(made.certPem);
  database = await createThrowawayDatabase('rabt_ops_certs');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'ops-certs-test');
  db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'ops-certs-test');
  await db.initialize();
  await seedAgencies(db);
  await createAccount(db, 'admin', 'admin');
  await createAccount(db, 'operator', 'operator');
  await createAccount(db, 'mom-admin', 'admin', 'mom');
  ops = await startOps(database.url, { RABT_PKI_DIR: pki }, { agencyKafkaAccess: kafka });
}, 120_000);

afterAll(async () => {
  await ops?.close();
  await db?.destroy();
  await database?.drop();
  rmSync(pki, { recursive: true, force: true });
});

describe('ops agency certificates', () => {
  let id = '';

  it('a Rabt-wide admin issues: 201, no-store, the key once; Kafka ACLs granted; audited with the reason', async () => {
    const admin = await OpsCaller.signIn(ops.url, 'admin');
    const answer = await admin.call('POST', '/v1/agencies/mom/certificates', { reason: 'onboarding', days: 90 });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const body = answer.body as Record<string, string>;
    id = body['id']!;
    expect(body).toMatchObject({ agency: 'mom', principal: `User:agency.mom.${id}`, issuedBy: 'operator:admin', revokedAt: null });
    expect(body['privateKeyPem']).toContain('BEGIN PRIVATE KEY');
    expect(agencyOfCertificate(body['certificatePem']!, ca)).toMatchObject({ agency: 'mom', certificateId: id });
    expect(kafka.calls).toContainEqual({ op: 'grant', agency: 'mom', principal: `User:agency.mom.${id}` });
    const [audit] = await db.query(`SELECT actor, reason FROM audit_record WHERE action = 'agency.certificate-issued' AND subject = $1`, [`certificate:${id}`]);
    expect(audit).toEqual({ actor: 'operator:admin', reason: 'onboarding' });
  });

  it('lists certificates without keys', async () => {
    const admin = await OpsCaller.signIn(ops.url, 'admin');
    const answer = await admin.call('GET', '/v1/agencies/mom/certificates');
    expect(answer.status).toBe(200);
    expect(answer.body['items']).toEqual([expect.objectContaining({ id, agency: 'mom' })]);
    expect(JSON.stringify(answer.body)).not.toContain('PRIVATE');
  });

  it('refuses every other caller and bad input, changing nothing', async () => {
    const before = await certificates();
    const grantsBefore = kafka.calls.length;
    const momAdmin = await OpsCaller.signIn(ops.url, 'mom-admin');
    const operator = await OpsCaller.signIn(ops.url, 'operator');
    const anonymous = new OpsCaller(ops.url);
    const admin = await OpsCaller.signIn(ops.url, 'admin');
    const cases: [OpsCaller, string, string, unknown, number, string][] = [
      [momAdmin, 'POST', '/v1/agencies/mom/certificates', { reason: 'mine' }, 403, 'FORBIDDEN_AGENCY'],
      [momAdmin, 'POST', '/v1/agencies/rop/certificates', { reason: 'theirs' }, 403, 'FORBIDDEN_AGENCY'],
      [momAdmin, 'GET', '/v1/agencies/mom/certificates', undefined, 403, 'FORBIDDEN_AGENCY'],
      [momAdmin, 'POST', `/v1/agency-certificates/${id}/revoke`, { reason: 'x' }, 403, 'FORBIDDEN_AGENCY'],
      [operator, 'POST', '/v1/agencies/mom/certificates', { reason: 'x' }, 403, 'FORBIDDEN_ROLE'],
      [operator, 'GET', '/v1/agencies/mom/certificates', undefined, 403, 'FORBIDDEN_ROLE'],
      [anonymous, 'POST', '/v1/agencies/mom/certificates', { reason: 'x' }, 401, 'UNAUTHENTICATED'],
      [anonymous, 'POST', `/v1/agency-certificates/${id}/revoke`, { reason: 'x' }, 401, 'UNAUTHENTICATED'],
      [admin, 'POST', '/v1/agencies/mom/certificates', {}, 400, 'REASON_REQUIRED'],
      [admin, 'POST', '/v1/agencies/mom/certificates', { reason: 'x', days: 0 }, 400, 'INVALID_CERTIFICATE'],
      [admin, 'POST', '/v1/agencies/mom/certificates', { reason: 'x', days: 10_000 }, 400, 'INVALID_CERTIFICATE'],
      [admin, 'POST', '/v1/agencies/mom/certificates', { reason: 'x', ou: 'service' }, 400, 'INVALID_CERTIFICATE'],
      [admin, 'POST', '/v1/agencies/nope/certificates', { reason: 'x' }, 404, 'AGENCY_NOT_FOUND'],
      [admin, 'POST', '/v1/agencies/MOM%2C%20OU%3Dservice/certificates', { reason: 'x' }, 400, 'INVALID_AGENCY'],
      [admin, 'POST', `/v1/agency-certificates/${id}/revoke`, {}, 400, 'REASON_REQUIRED'],
      [admin, 'POST', `/v1/agency-certificates/${'f'.repeat(32)}/revoke`, { reason: 'x' }, 404, 'CERTIFICATE_NOT_FOUND'],
      [admin, 'POST', "/v1/agency-certificates/'%20OR%201=1--/revoke", { reason: 'x' }, 404, 'CERTIFICATE_NOT_FOUND'],
    ];
    for (const [caller, method, path, body, status, code] of cases) {
      const answer = await caller.call(method, path, body);
      expect({ path, status: answer.status, code: answer.body['code'] }).toEqual({ path, status, code });
    }
    expect(await certificates()).toEqual(before);
    expect(kafka.calls.length).toBe(grantsBefore);
  });

  it('revoke: 200, revoked with the reason, Kafka ACLs dropped, audited', async () => {
    const admin = await OpsCaller.signIn(ops.url, 'admin');
    const answer = await admin.call('POST', `/v1/agency-certificates/${id}/revoke`, { reason: 'key leaked' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id, revokeReason: 'key leaked', alreadyRevoked: false });
    expect(kafka.calls.at(-1)).toEqual({ op: 'revoke', principal: `User:agency.mom.${id}` });
    const [audit] = await db.query(`SELECT actor, reason FROM audit_record WHERE action = 'agency.certificate-revoked' AND subject = $1`, [`certificate:${id}`]);
    expect(audit).toEqual({ actor: 'operator:admin', reason: 'key leaked' });
  });

  it('without a CA: 503 CA_UNAVAILABLE, nothing issued', async () => {
    const without = await startOps(database.url, { RABT_PKI_DIR: join(pki, 'missing') });
    try {
      const admin = await OpsCaller.signIn(without.url, 'admin');
      const before = await certificates();
      const answer = await admin.call('POST', '/v1/agencies/mom/certificates', { reason: 'x' });
      expect(answer.status).toBe(503);
      expect(answer.body['code']).toBe('CA_UNAVAILABLE');
      expect(await certificates()).toEqual(before);
    } finally {
      await without.close();
    }
  });
});
