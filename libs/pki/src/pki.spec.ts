import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { agencyOfCertificate, agencyPrincipal, createCa, isRabtServiceCertificate, PkiError, RabtCa, rabtSubjectOf } from './index';

let ca: RabtCa;
let otherCa: RabtCa;

beforeAll(async () => {
  const made = await createCa();
  ca = await RabtCa.fromPem(made.certPem, made.keyPem);
  const other = await createCa({ commonName: 'Rabt Local CA' });
  otherCa = await RabtCa.fromPem(other.certPem, other.keyPem);
});

const agencyCode = fc.stringMatching(/^[a-z][a-z0-9]{1,15}$/);

describe('RabtCa', () => {
  it('issues an agency certificate with exactly the conventional subject, clientAuth and a random UID', async () => {
    const issued = await ca.issueAgencyCertificate('moi', { days: 30 });
    const cert = new X509Certificate(issued.certPem);
    expect(cert.subject.split('\n')).toEqual(['O=Rabt', 'OU=agency', 'CN=moi', `UID=${issued.id}`]);
    expect(issued.subject).toBe(`UID=${issued.id},CN=moi,OU=agency,O=Rabt`);
    expect(issued.id).toMatch(/^[0-9a-f]{32}$/);
    expect(issued.principal).toBe(agencyPrincipal('moi', issued.id));
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert.ca).toBe(false);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(cert.serialNumber.toLowerCase()).toBe(issued.serial);
    expect(issued.notAfter.getTime() - issued.notBefore.getTime()).toBe(30 * 86_400_000);
    expect(issued.keyPem).toContain('BEGIN PRIVATE KEY');
    const second = await ca.issueAgencyCertificate('moi');
    expect(second.id).not.toBe(issued.id);
    expect(second.serial).not.toBe(issued.serial);
    expect(second.notAfter.getTime() - second.notBefore.getTime()).toBe(365 * 86_400_000);
  });

  it('refuses a malformed agency code or validity', async () => {
    await expect(ca.issueAgencyCertificate('Moi')).rejects.toThrow(PkiError);
    await expect(ca.issueAgencyCertificate('moi,OU=service')).rejects.toThrow(PkiError);
    await expect(ca.issueAgencyCertificate('moi', { days: 0 })).rejects.toThrow(PkiError);
    await expect(ca.issueServiceCertificate('agency' as 'service', 'moi')).rejects.toThrow(PkiError);
  });

  it('refuses a key that does not belong to the CA certificate', async () => {
    const a = await createCa();
    const b = await createCa();
    await expect(RabtCa.fromPem(a.certPem, b.keyPem)).rejects.toThrow(/does not belong/);
    await expect(RabtCa.fromFiles('/nonexistent/ca.crt', '/nonexistent/ca.key')).rejects.toThrow(/cannot read the CA certificate file/);
  });
});

describe('agencyOfCertificate', () => {
  it('maps an agency certificate to its agency and id', async () => {
    const issued = await ca.issueAgencyCertificate('moi');
    expect(agencyOfCertificate(issued.certPem, ca.certificate)).toEqual({
      agency: 'moi',
      certificateId: issued.id,
      fingerprint: issued.fingerprint,
      serial: issued.serial,
      notAfter: issued.notAfter,
    });
  });

  it('refuses an expired or not yet valid certificate', async () => {
    const issued = await ca.issueAgencyCertificate('moi', { days: 1 });
    expect(agencyOfCertificate(issued.certPem, ca.certificate, new Date(Date.now() + 2 * 86_400_000))).toBeUndefined();
    expect(agencyOfCertificate(issued.certPem, ca.certificate, new Date(Date.now() - 3_600_000))).toBeUndefined();
  });

  it('property: a certificate maps to the agency it was issued for and to no other', async () => {
    await fc.assert(
      fc.asyncProperty(agencyCode, agencyCode, async (issuedFor, other) => {
        const issued = await ca.issueAgencyCertificate(issuedFor, { days: 2 });
        const mapped = agencyOfCertificate(issued.certPem, ca.certificate);
        expect(mapped?.agency).toBe(issuedFor);
        expect(mapped?.certificateId).toBe(issued.id);
        if (other !== issuedFor) expect(mapped?.agency).not.toBe(other);
      }),
      { numRuns: 25 },
    );
  });

  it('property: a certificate from another CA, or OU=service|operator|broker, never maps to an agency', async () => {
    await fc.assert(
      fc.asyncProperty(agencyCode, fc.constantFrom('service', 'operator', 'broker') as fc.Arbitrary<'service' | 'operator' | 'broker'>, async (code, unit) => {
        const foreign = await otherCa.issueAgencyCertificate(code);
        expect(agencyOfCertificate(foreign.certPem, ca.certificate)).toBeUndefined();
        const service = await ca.issueServiceCertificate(unit, code);
        expect(agencyOfCertificate(service.certPem, ca.certificate)).toBeUndefined();
        // The CA certificate itself is no agency either.
        expect(agencyOfCertificate(ca.certPem, ca.certificate)).toBeUndefined();
      }),
      { numRuns: 15 },
    );
  });

  it('refuses garbage', () => {
    expect(agencyOfCertificate('not a certificate', ca.certificate)).toBeUndefined();
    expect(agencyOfCertificate(Buffer.from([1, 2, 3]), ca.certificate)).toBeUndefined();
  });
});

describe('isRabtServiceCertificate', () => {
  it('accepts only the named service of Rabt CA', async () => {
    const dispatcher = await ca.issueServiceCertificate('service', 'dispatcher');
    expect(isRabtServiceCertificate(dispatcher.certPem, ca.certificate, 'dispatcher')).toBe(true);
    expect(isRabtServiceCertificate(dispatcher.certPem, ca.certificate, 'gateway')).toBe(false);
    expect(isRabtServiceCertificate(dispatcher.certPem, otherCa.certificate, 'dispatcher')).toBe(false);
    const operator = await ca.issueServiceCertificate('operator', 'dispatcher');
    expect(isRabtServiceCertificate(operator.certPem, ca.certificate, 'dispatcher')).toBe(false);
    const agency = await ca.issueAgencyCertificate('dispatcher');
    expect(isRabtServiceCertificate(agency.certPem, ca.certificate, 'dispatcher')).toBe(false);
    expect(rabtSubjectOf(new X509Certificate(dispatcher.certPem))).toEqual({ unit: 'service', name: 'dispatcher' });
  });
});
