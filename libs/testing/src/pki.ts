// Test certificates made with openssl, following the identity conventions (docs/security.md):
// EC P-256 keys (PKCS#8 PEM), X.509 v3 certificates signed by the local CA of the PKI folder, or
// by a CA of the test's own (a foreign CA the broker must refuse).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PKI_DIR } from './stack';

export interface TestCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
  /** The CA certificate that verifies the broker (the local CA). */
  readonly ca: string;
}

export interface AgencyCertificate extends TestCertificate {
  readonly code: string;
  /** The certificate id (UID of the subject, lowercase hex). */
  readonly id: string;
  /** `User:agency.<code>.<id>`, the Kafka principal the broker maps the subject to. */
  readonly principal: string;
}

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

function issue(dir: string, name: string, subject: string, ca: { crt: string; key: string }): TestCertificate {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const crt = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
  openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
  writeFileSync(ext, 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  openssl(['x509', '-req', '-in', csr, '-CA', ca.crt, '-CAkey', ca.key, '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '2', '-sha256', '-extfile', ext, '-out', crt]);
  return { certFile: crt, keyFile: key, cert: readFileSync(crt, 'utf8'), key: readFileSync(key, 'utf8'), ca: readFileSync(join(PKI_DIR, 'ca.crt'), 'utf8') };
}

const localCa = () => ({ crt: join(PKI_DIR, 'ca.crt'), key: join(PKI_DIR, 'ca.key') });

/** An agency certificate from the local CA: `O=Rabt, OU=agency, CN=<code>, UID=<id>` (id: random hex unless given). */
export function issueAgencyCertificate(code: string, id = randomBytes(8).toString('hex')): AgencyCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'rabt-agency-cert-'));
  const cert = issue(dir, `agency-${code}-${id}`, `/O=Rabt/OU=agency/CN=${code}/UID=${id}`, localCa());
  return { ...cert, code, id, principal: `User:agency.${code}.${id}` };
}

/** A certificate of the local CA with any subject (openssl form, `/O=Rabt/OU=…/CN=…`). */
export function issueLocalCertificate(subject: string): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'rabt-cert-'));
  return issue(dir, 'cert', subject, localCa());
}

/** A certificate with `subject` from a CA of its own (same CA name as Rabt's): the broker must not trust it. */
export function issueForeignCertificate(subject: string): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'rabt-foreign-ca-'));
  const ca = { crt: join(dir, 'ca.crt'), key: join(dir, 'ca.key') };
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', ca.key]);
  openssl(['req', '-new', '-x509', '-key', ca.key, '-subj', '/O=Rabt/CN=Rabt Local CA', '-days', '2', '-sha256', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign', '-out', ca.crt]);
  return issue(dir, 'cert', subject, ca);
}
