import { X509Certificate as NodeCertificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { AGENCY_CODE, CERTIFICATE_ID, fingerprintOf } from './certificate-authority';

const OID_NAMES: Record<string, string> = { '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.3': 'CN', '0.9.2342.19200300.100.1.1': 'UID' };
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/** Who a certificate issued by Rabt's CA names: its unit (OU), name (CN) and, for agencies, the UID. */
export interface CertificateSubject {
  readonly unit: string;
  readonly name: string;
  readonly uid?: string;
}

/** An agency certificate as the gateway sees it: the agency it binds and the certificate id. */
export interface AgencyCertificateIdentity {
  readonly agency: string;
  readonly certificateId: string;
  readonly fingerprint: string;
  readonly serial: string;
  readonly notAfter: Date;
}

export type PresentedCertificate = string | Buffer | NodeCertificate;

function toNode(cert: PresentedCertificate): NodeCertificate | undefined {
  try {
    return cert instanceof NodeCertificate ? cert : new NodeCertificate(cert);
  } catch {
    return undefined;
  }
}

/**
 * The subject of a certificate if it has exactly Rabt's shape: O=Rabt, OU=<unit>, CN=<name>
 * and, optionally, UID=<id>, in that order, one attribute per RDN, nothing else. Anything else
 * (extra or repeated attributes, another order, multi-valued RDNs) is undefined.
 */
export function rabtSubjectOf(cert: NodeCertificate): CertificateSubject | undefined {
  let rdns: x509.JsonName;
  try {
    rdns = new x509.X509Certificate(cert.raw).subjectName.toJSON();
  } catch {
    return undefined;
  }
  const pairs: [string, string][] = [];
  for (const rdn of rdns) {
    const entries = Object.entries(rdn);
    if (entries.length !== 1) return undefined;
    const [oid, values] = entries[0]!;
    if (values.length !== 1) return undefined;
    const key = OID_NAMES[oid] ?? (Object.values(OID_NAMES).includes(oid) ? oid : undefined);
    if (!key) return undefined;
    pairs.push([key, values[0]!]);
  }
  const keys = pairs.map(([k]) => k).join(',');
  if (keys !== 'O,OU,CN' && keys !== 'O,OU,CN,UID') return undefined;
  if (pairs[0]![1] !== 'Rabt') return undefined;
  return { unit: pairs[1]![1], name: pairs[2]![1], ...(pairs[3] ? { uid: pairs[3][1] } : {}) };
}

/**
 * True when `cert` was signed by `ca` (issuer name and signature), is within its validity at
 * `now`, and is not itself a CA.
 */
export function isIssuedBy(cert: NodeCertificate, ca: NodeCertificate, now = new Date()): boolean {
  try {
    if (cert.ca) return false;
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
  } catch {
    return false;
  }
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  return Number.isFinite(from) && Number.isFinite(to) && from <= now.getTime() && now.getTime() <= to;
}

/**
 * The agency a presented certificate binds, or undefined unless it is an agency client
 * certificate of Rabt's CA: issued by `ca`, valid now, clientAuth, subject exactly O=Rabt,
 * OU=agency, CN=<agency code>, UID=<certificate id>. A service, operator or broker certificate,
 * or one from any other CA, never maps to an agency. Whether the certificate is still active
 * (not revoked) is the caller's question (agency_certificate).
 */
export function agencyOfCertificate(presented: PresentedCertificate, ca: NodeCertificate, now = new Date()): AgencyCertificateIdentity | undefined {
  const cert = toNode(presented);
  if (!cert || !isIssuedBy(cert, ca, now)) return undefined;
  if (!(cert.keyUsage ?? []).includes(CLIENT_AUTH)) return undefined;
  const subject = rabtSubjectOf(cert);
  if (!subject || subject.unit !== 'agency' || !subject.uid) return undefined;
  if (!AGENCY_CODE.test(subject.name) || !CERTIFICATE_ID.test(subject.uid)) return undefined;
  return {
    agency: subject.name,
    certificateId: subject.uid,
    fingerprint: fingerprintOf(cert.raw),
    serial: cert.serialNumber.toLowerCase(),
    notAfter: new Date(cert.validTo),
  };
}

/**
 * True when a presented certificate is Rabt's certificate for one of its own services: issued
 * by `ca`, valid now, clientAuth, subject O=Rabt, OU=service, CN=<service>.
 */
export function isRabtServiceCertificate(presented: PresentedCertificate, ca: NodeCertificate, service: string, now = new Date()): boolean {
  const cert = toNode(presented);
  if (!cert || !isIssuedBy(cert, ca, now)) return false;
  if (!(cert.keyUsage ?? []).includes(CLIENT_AUTH)) return false;
  const subject = rabtSubjectOf(cert);
  return subject?.unit === 'service' && subject.name === service && subject.uid === undefined;
}
