// `rabt agencies add|list|suspend|activate|seed`: the agencies of the registry.
import type { AgencyView } from '@rabt/auth';
import type { AgencyStatus } from '@rabt/persistence';
import { ExitCode, type CliOutput } from '../cli/cli.exception';
import type { AgencyRegistry } from './agency-registry';
import { PRIVATE_KEY_WARNING, reportIssuedCertificate, writeCertificateFiles } from './certificates.command';
import { json, table } from './text.format';

const rates = (a: AgencyView) => (a.ratePerSecond === null && a.rateBurst === null ? 'default' : `${a.ratePerSecond ?? 'default'}/s, burst ${a.rateBurst ?? 'default'}`);

/** With `certificate`, also issues the agency's first client certificate (see certificates.command.ts). */
export async function runAgenciesAdd(
  registry: AgencyRegistry,
  o: { code: string; nameEn: string; nameAr: string; json: boolean; certificate?: { outDir?: string | undefined } | undefined },
  output: CliOutput,
): Promise<ExitCode> {
  const agency = await registry.createAgency({ code: o.code, nameEn: o.nameEn, nameAr: o.nameAr });
  if (!o.certificate) {
    if (o.json) output.out(json(agency));
    else output.out(`✓ agency ${agency.code} added, active: ${agency.nameEn} | ${agency.nameAr}. Give it a key with: rabt keys issue ${agency.code}`);
    return ExitCode.OK;
  }
  const issued = await registry.issueCertificate(agency.code, {});
  if (o.json) {
    const { certificatePem, privateKeyPem, caCertificatePem, ...facts } = issued;
    const files = o.certificate.outDir ? writeCertificateFiles(o.certificate.outDir, issued) : undefined;
    output.out(json({ ...agency, certificate: files ? { ...facts, files } : { ...facts, certificatePem, privateKeyPem, caCertificatePem } }));
    output.err(`! ${PRIVATE_KEY_WARNING}`);
  } else {
    output.out(`✓ agency ${agency.code} added, active: ${agency.nameEn} | ${agency.nameAr}`);
    reportIssuedCertificate(issued, { outDir: o.certificate.outDir, json: false }, output);
  }
  return ExitCode.OK;
}

export async function runAgenciesList(registry: AgencyRegistry, o: { json: boolean }, output: CliOutput): Promise<ExitCode> {
  const agencies = await registry.listAgencies();
  if (o.json) {
    output.out(json({ agencies }));
    return ExitCode.OK;
  }
  if (agencies.length === 0) {
    output.out('no agencies yet: add one with rabt agencies add, or the demo ones with rabt agencies seed');
    return ExitCode.OK;
  }
  for (const line of table(['CODE', 'STATUS', 'RATE LIMIT', 'NAME'], agencies.map((a) => [a.code, a.status, rates(a), `${a.nameEn} | ${a.nameAr}`]))) output.out(line);
  return ExitCode.OK;
}

/** suspend / activate: a suspended agency's keys stop authenticating (services cache 5 s). */
export async function runAgenciesSetStatus(registry: AgencyRegistry, o: { code: string; status: AgencyStatus; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const agency = await registry.updateAgency(o.code, { status: o.status });
  if (o.json) output.out(json(agency));
  else if (o.status === 'suspended') output.out(`✓ agency ${agency.code} suspended: services stop accepting its keys within 5 s`);
  else output.out(`✓ agency ${agency.code} active: its keys that are not revoked work again within 5 s`);
  return ExitCode.OK;
}

export async function runAgenciesSeed(registry: AgencyRegistry, o: { json: boolean }, output: CliOutput): Promise<ExitCode> {
  const result = await registry.seedDemoAgencies();
  if (o.json) output.out(json(result));
  else if (result.added.length === 0) output.out(`✓ nothing to seed: the ${result.existing.length} demo agencies exist already (${result.existing.join(', ')})`);
  else output.out(`✓ seeded ${result.added.length} demo agencies: ${result.added.join(', ')}${result.existing.length ? ` (already there: ${result.existing.join(', ')})` : ''}`);
  return ExitCode.OK;
}
