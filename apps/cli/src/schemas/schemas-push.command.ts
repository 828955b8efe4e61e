// `rabt schemas push`: registers every catalogued schema under its subject and reports id and version.
import { ExitCode, type CliOutput } from '../cli/cli.exception';
import { loadCatalogueForCli } from '../cli/catalogue';
import type { RegistryClient } from './registry.client';

export interface SchemasPushOptions {
  readonly schemasDir: string;
  readonly registry: RegistryClient;
  readonly json: boolean;
}

export type PushResult =
  | { readonly subject: string; readonly ok: true; readonly id: number; readonly version: number | null; readonly latest: { readonly id: number; readonly version: number } }
  | { readonly subject: string; readonly ok: false; readonly reasons: readonly string[] };

/** Registers each schema (already registered ones keep their id); 0 when all were accepted, 1 otherwise. */
export async function runSchemasPush(options: SchemasPushOptions, output: CliOutput): Promise<ExitCode> {
  const catalogue = loadCatalogueForCli(options.schemasDir);
  const results: PushResult[] = [];
  for (const entry of catalogue.entries) {
    if (entry.schemaText === undefined) {
      results.push({ subject: entry.subject, ok: false, reasons: [entry.schemaProblem ?? 'schema file not readable'] });
      continue;
    }
    const answer = await options.registry.register(entry.subject, entry.schemaText);
    if (answer.kind === 'refused') {
      results.push({ subject: entry.subject, ok: false, reasons: [`the registry refused it (HTTP ${answer.status}):`, ...answer.reasons] });
      continue;
    }
    const latest = await options.registry.latestVersion(entry.subject);
    // The schema may have been registered before as an older version; then latest is another one.
    results.push({ subject: entry.subject, ok: true, id: answer.id, version: latest.id === answer.id ? latest.version : null, latest: { id: latest.id, version: latest.version } });
  }
  const refused = results.filter((r) => !r.ok).length;
  const exitCode = refused === 0 ? ExitCode.OK : ExitCode.FAILED;
  if (options.json) {
    output.out(JSON.stringify({ ok: refused === 0, exitCode, registry: options.registry.baseUrl, subjects: results }, null, 2));
    return exitCode;
  }
  const width = Math.max(...results.map((r) => r.subject.length));
  for (const r of results) {
    if (r.ok) {
      const version = r.version === null ? `an earlier version (latest is version ${r.latest.version}, id ${r.latest.id})` : `version ${r.version}`;
      output.out(`✓ ${r.subject.padEnd(width)}  id ${r.id}  ${version}`);
    } else {
      output.out(`✗ ${r.subject}`);
      for (const reason of r.reasons) output.out(`    ${reason}`);
    }
  }
  output.out(`${refused === 0 ? '✓' : '✗'} ${results.length - refused} of ${results.length} subjects registered at ${options.registry.baseUrl}${refused ? `, ${refused} refused` : ''}`);
  return exitCode;
}
