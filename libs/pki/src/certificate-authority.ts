import 'reflect-metadata';
import { createHash, createPrivateKey, randomBytes, webcrypto, X509Certificate as NodeCertificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

// Node's webcrypto is the standard Crypto; its type differs from the DOM one the library names.
x509.cryptoProvider.set(webcrypto as never);

/** EC P-256 with ECDSA-SHA256: the only key and signature kind Rabt's CA issues. */
const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

const OID = { O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3', UID: '0.9.2342.19200300.100.1.1' } as const;
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/** Agency codes, as everywhere in Rabt (and in the broker's principal mapping rule). */
export const AGENCY_CODE = /^[a-z][a-z0-9]{1,15}$/;
/** Certificate ids: 128 random bits, lowercase hex (the UID RDN). */
export const CERTIFICATE_ID = /^[0-9a-f]{32}$/;
/** Service, operator and broker names (the CN of their certificates). */
const SERVICE_NAME = /^[a-z0-9-]{1,64}$/;

export type NonAgencyUnit = 'service' | 'operator' | 'broker';

/** A PEM certificate and its PKCS#8 PEM private key. */
export interface CertificateAndKey {
  readonly certPem: string;
  readonly keyPem: string;
}

/** What Rabt records of a certificate it issued (never the private key). */
export interface IssuedCertificate extends CertificateAndKey {
  /** The UID RDN of an agency certificate (lowercase hex); for other kinds, the serial. */
  readonly id: string;
  readonly serial: string;
  /** SHA-256 of the DER certificate, lowercase hex without separators. */
  readonly fingerprint: string;
  /** RFC 2253 (last RDN first), as Java and the broker print it. */
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface IssuedAgencyCertificate extends IssuedCertificate {
  readonly agency: string;
  /** The Kafka principal the broker maps this certificate to. */
  readonly principal: string;
}

export class PkiError extends Error {
  override readonly name = 'PkiError';
}

/** The Kafka principal of an agency certificate (conventions: `User:agency.<code>.<id>`). */
export function agencyPrincipal(agency: string, certificateId: string): string {
  return `User:agency.${agency}.${certificateId}`;
}

/** SHA-256 fingerprint of a certificate's DER encoding, lowercase hex. */
export function fingerprintOf(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/** A positive random serial of 128 bits, hex. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function rfc2253(rdns: readonly (readonly [string, string])[]): string {
  return [...rdns]
    .reverse()
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function nameOf(rdns: readonly (readonly [keyof typeof OID, string])[]): x509.Name {
  return new x509.Name(rdns.map(([k, v]) => ({ [OID[k]]: [v] })));
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/**
 * Creates a self-signed CA (subject `CN=Rabt Local CA,O=Rabt` unless told), for local stacks and
 * tests. Production CAs are made and kept however the operator keeps CAs; Rabt only loads one.
 */
export async function createCa(options: { commonName?: string; days?: number } = {}): Promise<CertificateAndKey> {
  const keys = (await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: nameOf([
      ['O', 'Rabt'],
      ['CN', options.commonName ?? 'Rabt Local CA'],
    ]),
    notBefore,
    notAfter: new Date(notBefore.getTime() + (options.days ?? 3650) * 86_400_000),
    signingAlgorithm: EC_P256,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

/**
 * Rabt's certificate authority: issues agency client certificates (O=Rabt, OU=agency,
 * CN=<code>, UID=<id>) and service/operator/broker certificates, each with a fresh EC P-256 key
 * that is returned once and kept nowhere by Rabt.
 */
export class RabtCa {
  private constructor(
    private readonly cert: x509.X509Certificate,
    private readonly key: CryptoKey,
    /** The CA certificate as Node sees it, for verifying presented certificates. */
    readonly certificate: NodeCertificate,
    readonly certPem: string,
  ) {}

  static async fromPem(certPem: string, keyPem: string): Promise<RabtCa> {
    let cert: x509.X509Certificate;
    let key: CryptoKey;
    try {
      cert = new x509.X509Certificate(certPem);
    } catch (e) {
      throw new PkiError(`the CA certificate is not a PEM X.509 certificate: ${(e as Error).message}`);
    }
    try {
      key = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(keyPem), EC_P256, false, ['sign']);
    } catch (e) {
      throw new PkiError(`the CA key is not a PKCS#8 PEM EC P-256 private key: ${(e as Error).message}`);
    }
    const ca = new RabtCa(cert, key, new NodeCertificate(certPem), certPem);
    if (!ca.certificate.ca) throw new PkiError('the CA certificate is not a CA certificate (basicConstraints cA is not set)');
    if (!ca.certificate.checkPrivateKey(createPrivateKey(keyPem))) throw new PkiError('the CA key does not belong to the CA certificate');
    return ca;
  }

  /** Loads the CA from PEM files (`RABT_CA_CERT_FILE`, `RABT_CA_KEY_FILE` in services and the CLI). */
  static async fromFiles(certFile: string, keyFile: string): Promise<RabtCa> {
    const read = (what: string, file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (e) {
        throw new PkiError(`cannot read the CA ${what} file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    };
    return RabtCa.fromPem(read('certificate', certFile), read('key', keyFile));
  }

  /** An agency's client certificate (clientAuth only), valid `days` (default 365) from now. */
  async issueAgencyCertificate(agency: string, options: { days?: number } = {}): Promise<IssuedAgencyCertificate> {
    if (!AGENCY_CODE.test(agency)) throw new PkiError(`agency code ${JSON.stringify(agency)} does not match ${AGENCY_CODE}`);
    const id = randomBytes(16).toString('hex');
    const rdns = [
      ['O', 'Rabt'],
      ['OU', 'agency'],
      ['CN', agency],
      ['UID', id],
    ] as const;
    const issued = await this.issue(rdns, { days: options.days ?? 365, serverNames: [] });
    return { ...issued, id, agency, principal: agencyPrincipal(agency, id) };
  }

  /**
   * A service, operator or broker certificate (OU=service|operator|broker, CN=<name>): clientAuth,
   * and serverAuth with subjectAltNames when `serverNames` (DNS names or IP addresses) are given.
   * Never an agency certificate: those come from issueAgencyCertificate only.
   */
  async issueServiceCertificate(unit: NonAgencyUnit, name: string, options: { days?: number; serverNames?: readonly string[] } = {}): Promise<IssuedCertificate> {
    if (!(['service', 'operator', 'broker'] as const).includes(unit)) throw new PkiError(`unit ${JSON.stringify(unit)} is not service, operator or broker`);
    if (!SERVICE_NAME.test(name)) throw new PkiError(`name ${JSON.stringify(name)} does not match ${SERVICE_NAME}`);
    const rdns = [
      ['O', 'Rabt'],
      ['OU', unit],
      ['CN', name],
    ] as const;
    const issued = await this.issue(rdns, { days: options.days ?? 365, serverNames: options.serverNames ?? [] });
    return { ...issued, id: issued.serial };
  }

  private async issue(
    rdns: readonly (readonly [keyof typeof OID, string])[],
    options: { days: number; serverNames: readonly string[] },
  ): Promise<Omit<IssuedCertificate, 'id'>> {
    if (!Number.isInteger(options.days) || options.days < 1 || options.days > 3650) throw new PkiError(`validity ${options.days} days is not a whole number from 1 to 3650`);
    const keys = (await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as CryptoKeyPair;
    const serial = randomSerial();
    const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const notAfter = new Date(notBefore.getTime() + options.days * 86_400_000);
    const server = options.serverNames.length > 0;
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension(server ? [CLIENT_AUTH, SERVER_AUTH] : [CLIENT_AUTH], false),
      await x509.AuthorityKeyIdentifierExtension.create(this.cert, false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ];
    if (server) {
      extensions.push(
        new x509.SubjectAlternativeNameExtension(
          options.serverNames.map((n) => ({ type: (/^[0-9.]+$|:/.test(n) ? 'ip' : 'dns') as x509.GeneralNameType, value: n })),
          false,
        ),
      );
    }
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial,
      subject: nameOf(rdns),
      issuer: this.cert.subjectName,
      notBefore,
      notAfter,
      signingAlgorithm: EC_P256,
      publicKey: keys.publicKey,
      signingKey: this.key,
      extensions,
    });
    return {
      certPem: cert.toString('pem'),
      keyPem: await exportKeyPem(keys.privateKey),
      serial,
      fingerprint: fingerprintOf(new Uint8Array(cert.rawData)),
      subject: rfc2253(rdns),
      notBefore,
      notAfter,
    };
  }
}
