// `rabt agencies cert issue|list|revoke`: agency client certificates from Rabt's CA. The
// private key is written (or printed) once and never stored.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IssuedCertificateView } from '@rabt/auth';
import { ExitCode, type CliOutput } from '../cli/cli.exception';
import type { AgencyRegistry } from './agency-registry';
import { json, table, when } from './text.format';

export const PRIVATE_KEY_WARNING = "This private key is shown only now: Rabt keeps only the certificate's facts and cannot show it again. Give it to the agency over a secure channel.";

/** Writes `<agency>-<id>.crt`, `<agency>-<id>.key` (mode 0600) and `ca.crt` into `dir`; returns their paths. */
export function writeCertificateFiles(dir: string, issued: IssuedCertificateView): { certificate: string; privateKey: string; ca: string } {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${issued.agency}-${issued.id}`);
  const files = { certificate: `${base}.crt`, privateKey: `${base}.key`, ca: join(dir, 'ca.crt') };
  writeFileSync(files.privateKey, issued.privateKeyPem, { mode: 0o600, flag: 'wx' });
  chmodSync(files.privateKey, 0o600);
  writeFileSync(files.certificate, issued.certificatePem);
  writeFileSync(files.ca, issued.caCertificatePem);
  return files;
}

/** Prints (or writes to `outDir`) a just-issued certificate; shared with `rabt agencies add --certificate`. */
export function reportIssuedCertificate(issued: IssuedCertificateView, o: { outDir?: string | undefined; json: boolean }, output: CliOutput): void {
  const { certificatePem, privateKeyPem, caCertificatePem, ...facts } = issued;
  if (o.outDir) {
    const files = writeCertificateFiles(o.outDir, issued);
    if (o.json) output.out(json({ ...facts, files }));
    else {
      output.out(`✓ certificate ${issued.id} issued for ${issued.agency}, valid until ${when(issued.notAfter)} (Kafka principal ${issued.principal}):`);
      output.out(`  certificate  ${files.certificate}`);
      output.out(`  private key  ${files.privateKey} (mode 0600)`);
      output.out(`  Rabt CA      ${files.ca}`);
    }
  } else if (o.json) output.out(json({ ...facts, certificatePem, privateKeyPem, caCertificatePem, warning: PRIVATE_KEY_WARNING }));
  else {
    output.out(`✓ certificate ${issued.id} issued for ${issued.agency}, valid until ${when(issued.notAfter)} (Kafka principal ${issued.principal}):`);
    output.out(certificatePem.trimEnd());
    output.out(privateKeyPem.trimEnd());
  }
  output.err(`! ${PRIVATE_KEY_WARNING}`);
}

export async function runCertIssue(registry: AgencyRegistry, o: { agency: string; days?: number | undefined; outDir?: string | undefined; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const issued = await registry.issueCertificate(o.agency, o.days === undefined ? {} : { days: o.days });
  reportIssuedCertificate(issued, o, output);
  return ExitCode.OK;
}

export async function runCertList(registry: AgencyRegistry, o: { agency?: string | undefined; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const certificates = await registry.listCertificates(o.agency);
  if (o.json) {
    output.out(json({ certificates }));
    return ExitCode.OK;
  }
  if (certificates.length === 0) {
    output.out(`no certificates${o.agency ? ` of ${o.agency}` : ''}: issue one with rabt agencies cert issue <code>`);
    return ExitCode.OK;
  }
  const now = Date.now();
  const state = (c: (typeof certificates)[number]) => (c.revokedAt ? `revoked ${when(c.revokedAt)}` : new Date(c.notAfter).getTime() <= now ? 'expired' : 'active');
  const rows = certificates.map((c) => [c.id, c.agency, state(c), when(c.notAfter), c.fingerprint.slice(0, 16), c.revokeReason ?? '']);
  for (const line of table(['CERTIFICATE ID', 'AGENCY', 'STATE', 'NOT AFTER', 'SHA-256', 'REVOKE REASON'], rows)) output.out(line);
  return ExitCode.OK;
}

export async function runCertRevoke(registry: AgencyRegistry, o: { certificateId: string; reason: string; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const revoked = await registry.revokeCertificate(o.certificateId, o.reason);
  if (o.json) output.out(json(revoked));
  else if (revoked.alreadyRevoked) output.out(`✓ certificate ${revoked.id} of ${revoked.agency} was already revoked on ${when(revoked.revokedAt)}; its Kafka ACLs were dropped again`);
  else output.out(`✓ certificate ${revoked.id} of ${revoked.agency} revoked ("${revoked.revokeReason}"): the gateway refuses it within 1 s; its Kafka ACLs are dropped`);
  return ExitCode.OK;
}
