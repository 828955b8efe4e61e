// The agency registry's operations on agency client certificates, as plain functions over a
// TypeORM EntityManager: the ops admin API and the rabt CLI both call these.
import { IsNull, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { appendAuditRecords } from '@rabt/audit';
import { AgencyCertificateEntity } from '@rabt/persistence';
import { agencyPrincipal, type AgencyKafkaAccess, type RabtCa } from '@rabt/pki';
import { AgencyAdminException, AgencyAdminExceptionCode as Code, agencyAdminError } from './agency-admin.exception';
import { requireAgency } from './agency-admin';
import { validateAgencyCode } from './agency-admin.validation';

export const MAX_CERTIFICATE_DAYS = 825;
const CERTIFICATE_ID = /^[0-9a-f]{32}$/;

/** A certificate as listed: its facts, never a key. */
export interface CertificateView {
  readonly id: string;
  readonly agency: string;
  readonly serial: string;
  readonly fingerprint: string;
  readonly subject: string;
  /** The Kafka principal the broker maps it to. */
  readonly principal: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly issuedBy: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  readonly revokeReason: string | null;
}

/** A certificate just issued: the only time its private key exists anywhere Rabt could see it. */
export interface IssuedCertificateView extends CertificateView {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** Rabt's CA certificate, to verify Rabt's servers and dispatcher with. */
  readonly caCertificatePem: string;
}

export interface RevokedCertificateView extends CertificateView {
  readonly revokedAt: Date;
  readonly revokeReason: string;
  /** True when it had been revoked before: nothing changed but the Kafka ACLs are dropped again. */
  readonly alreadyRevoked: boolean;
}

export interface NewCertificate {
  readonly days?: number;
}

const view = (c: AgencyCertificateEntity): CertificateView => ({
  id: c.id,
  agency: c.agencyCode,
  serial: c.serial,
  fingerprint: c.fingerprint,
  subject: c.subject,
  principal: agencyPrincipal(c.agencyCode, c.id),
  notBefore: c.notBefore,
  notAfter: c.notAfter,
  issuedBy: c.issuedBy,
  createdAt: c.createdAt,
  revokedAt: c.revokedAt,
  revokeReason: c.revokeReason,
});

const object = { error: (issue: { code?: string; keys?: string[] }) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys!.map((k) => `'${k}'`).join(', ')}` : 'must be a JSON object') };
const newCertificateSchema = z.strictObject(
  { days: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(MAX_CERTIFICATE_DAYS, `must be at most ${MAX_CERTIFICATE_DAYS}`).optional() },
  object,
);
const revokeSchema = z.strictObject(
  { reason: z.string({ error: (i: { input?: unknown }) => (i.input === undefined ? 'is required' : 'must be a string') }).trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters') },
  object,
);

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  throw agencyAdminError(Code.INVALID_CERTIFICATE, `${what}: ${errors.map((e) => (e.path ? `${e.path} ${e.message}` : e.message)).join('; ')}`, { errors });
}

/** Validates a certificate request body (`{ days? }`). */
export function validateNewCertificate(input: unknown): NewCertificate {
  return parse(newCertificateSchema, input ?? {}, 'invalid certificate request');
}

/** Validates a revocation body (`{ reason }`). */
export function validateRevocation(input: unknown): { reason: string } {
  return parse(revokeSchema, input, 'invalid revocation');
}

function normalizeCertificateId(id: unknown): string {
  const text = typeof id === 'string' ? id.trim().toLowerCase() : '';
  if (!CERTIFICATE_ID.test(text)) throw agencyAdminError(Code.CERTIFICATE_NOT_FOUND, 'no such certificate: a certificate id is 32 hex digits');
  return text;
}

/**
 * Issues an agency a client certificate from Rabt's CA, records it, audits it (by `actor`) and
 * grants its Kafka principal the agency's pull-mode ACLs (`reason`, when an operator gave one,
 * goes into the audit record), all or nothing: if the grant fails the
 * record is rolled back. The private key is in the answer and nowhere else.
 */
export async function issueCertificate(
  manager: EntityManager,
  ca: RabtCa,
  kafka: AgencyKafkaAccess,
  agencyCode: string,
  input: NewCertificate,
  actor: string,
  reason?: string,
): Promise<IssuedCertificateView> {
  const code = validateAgencyCode(agencyCode);
  const { days } = validateNewCertificate(input);
  return manager.transaction(async (m) => {
    await requireAgency(m, code);
    const issued = await ca.issueAgencyCertificate(code, days === undefined ? {} : { days });
    await m.insert(AgencyCertificateEntity, {
      id: issued.id,
      agencyCode: code,
      serial: issued.serial,
      fingerprint: issued.fingerprint,
      subject: issued.subject,
      notBefore: issued.notBefore,
      notAfter: issued.notAfter,
      issuedBy: actor.slice(0, 200),
      revokedAt: null,
      revokeReason: null,
    });
    await appendAuditRecords(m, [
      { actor, action: 'agency.certificate-issued', subject: `certificate:${issued.id}`, reason: reason ?? null, details: { agency: code, serial: issued.serial, fingerprint: issued.fingerprint, notAfter: issued.notAfter.toISOString() } },
    ]);
    try {
      await kafka.grant(code, issued.principal);
    } catch (e) {
      await kafka.revoke(issued.principal).catch(() => undefined);
      throw kafkaProvisioningFailed('granting', issued.principal, e);
    }
    const row = await m.findOneByOrFail(AgencyCertificateEntity, { id: issued.id });
    return { ...view(row), certificatePem: issued.certPem, privateKeyPem: issued.keyPem, caCertificatePem: ca.certPem };
  });
}

/** Certificates of one agency, or of all, revoked ones included, oldest first. */
export async function listCertificates(manager: EntityManager, agencyCode?: string): Promise<CertificateView[]> {
  const code = agencyCode === undefined ? undefined : validateAgencyCode(agencyCode);
  if (code) await requireAgency(manager, code);
  const rows = await manager.find(AgencyCertificateEntity, { where: code ? { agencyCode: code } : {}, order: { createdAt: 'ASC', id: 'ASC' } });
  return rows.map(view);
}

/**
 * Revokes a certificate for good (it stays listed) and drops its Kafka principal's ACLs. The
 * gateway refuses it within its status cache's lifetime. Revoking again changes nothing in the
 * database but drops the ACLs again, so a revocation whose ACL removal failed can be retried.
 */
export async function revokeCertificate(manager: EntityManager, kafka: AgencyKafkaAccess, certificateId: string, input: unknown, actor: string): Promise<RevokedCertificateView> {
  const id = normalizeCertificateId(certificateId);
  const { reason } = validateRevocation(input);
  // The ACLs are dropped before the revocation commits: if that fails, nothing changes and the
  // caller is told (a certificate never shows as revoked while Kafka still lets it read).
  const dropAcls = async (principal: string) => {
    try {
      await kafka.revoke(principal);
    } catch (e) {
      throw kafkaProvisioningFailed('revoking', principal, e);
    }
  };
  return manager.transaction(async (m) => {
    const row = await m.findOneBy(AgencyCertificateEntity, { id });
    if (!row) throw agencyAdminError(Code.CERTIFICATE_NOT_FOUND, `no agency certificate ${id}`);
    if (row.revokedAt) {
      const already = { ...view(row), revokedAt: row.revokedAt, revokeReason: row.revokeReason ?? '', alreadyRevoked: true };
      await dropAcls(already.principal);
      return already;
    }
    const result = await m.update(AgencyCertificateEntity, { id, revokedAt: IsNull() }, { revokedAt: new Date(), revokeReason: reason });
    const now = await m.findOneByOrFail(AgencyCertificateEntity, { id });
    if (result.affected) await appendAuditRecords(m, [{ actor, action: 'agency.certificate-revoked', subject: `certificate:${id}`, reason, details: { agency: now.agencyCode, reason } }]);
    const revoked = { ...view(now), revokedAt: now.revokedAt!, revokeReason: now.revokeReason!, alreadyRevoked: !result.affected };
    await dropAcls(revoked.principal);
    return revoked;
  });
}

/**
 * The active record of an agency certificate: its id, agency and fingerprint match, it is not
 * revoked, not expired and its agency is active. What the gateway asks for every presented
 * certificate (through a short cache).
 */
export async function activeCertificate(manager: EntityManager, presented: { certificateId: string; agency: string; fingerprint: string }): Promise<boolean> {
  const row = await manager.findOne(AgencyCertificateEntity, { where: { id: presented.certificateId }, relations: { agency: true } });
  return !!row && row.agencyCode === presented.agency && row.fingerprint === presented.fingerprint && !row.revokedAt && row.notAfter.getTime() > Date.now() && row.agency?.status === 'active';
}

/** A failed grant or revoke of a certificate's Kafka ACLs, as the stable KAFKA_PROVISIONING_UNAVAILABLE. */
function kafkaProvisioningFailed(action: 'granting' | 'revoking', principal: string, e: unknown): Error {
  if (e instanceof AgencyAdminException) return e;
  return agencyAdminError(Code.KAFKA_PROVISIONING_UNAVAILABLE, `${action} the Kafka ACLs of ${principal} failed: ${(e as Error).message}`);
}

/**
 * The access used where Kafka is secured but no provisioning credential is configured: issue and
 * revoke are refused (nothing changes) rather than leaving a revoked certificate able to read.
 */
export const unavailableAgencyKafkaAccess = (why: string): AgencyKafkaAccess => {
  const refuse = async () => {
    throw agencyAdminError(Code.KAFKA_PROVISIONING_UNAVAILABLE, why);
  };
  return { grant: refuse, revoke: refuse };
};
