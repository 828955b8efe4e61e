// `rabt schemas check`: every catalogued schema parses, follows the catalogue rules, accepts its ok/
// fixtures and rejects its not-ok/ ones, and (optionally) is compatible with the schema at a git
// revision and with the latest version registered under its subject.
import { InvalidAvroSchemaError, parseAvroSchema, type ParsedAvroSchema } from '@rabt/avro';
import { catalogueRuleProblems, type LoadedCatalogueEntry } from '@rabt/contracts/codegen';
import { ExitCode, type CliOutput } from '../cli/cli.exception';
import { loadCatalogueForCli } from '../cli/catalogue';
import { readFixtures, validateFixtures } from './fixture-validation';
import { compareWithBaseline, type GitReader } from './git-baseline';
import type { RegistryClient } from './registry.client';

export interface SchemasCheckOptions {
  readonly schemasDir: string;
  readonly fixturesDir: string;
  /** Compare with the schemas at this git revision. */
  readonly gitBase?: string | undefined;
  /** Compare with the latest version registered under each subject. */
  readonly registry?: RegistryClient | undefined;
  readonly json: boolean;
}

export interface TypeCheckResult {
  readonly type: string;
  readonly subject: string;
  readonly ok: boolean;
  /** Why the type fails; empty when it passes. */
  readonly problems: readonly string[];
  /** What was checked and found fine. */
  readonly notes: readonly string[];
}

export interface SchemasCheckReport {
  readonly ok: boolean;
  readonly exitCode: ExitCode;
  readonly checks: { readonly fixturesDir: string; readonly gitBase: string | null; readonly registry: string | null };
  readonly warnings: readonly string[];
  readonly types: readonly TypeCheckResult[];
  readonly summary: { readonly total: number; readonly passed: number; readonly failed: number };
}

/** Runs the checks and prints the report; returns the exit code (0 all good, 1 any failure). */
export async function runSchemasCheck(options: SchemasCheckOptions, git: GitReader, output: CliOutput): Promise<ExitCode> {
  const report = await checkSchemas(options, git);
  if (options.json) output.out(JSON.stringify(report, null, 2));
  else printReport(report, output);
  return report.exitCode;
}

export async function checkSchemas(options: SchemasCheckOptions, git: GitReader): Promise<SchemasCheckReport> {
  const catalogue = loadCatalogueForCli(options.schemasDir);
  const warnings: string[] = [];
  let baseExists = false;
  if (options.gitBase !== undefined) {
    baseExists = git.refExists(options.gitBase);
    if (!baseExists) warnings.push(`git base '${options.gitBase}' does not exist (or this is not a git repository): every type is treated as new`);
  }
  const types: TypeCheckResult[] = [];
  for (const entry of catalogue.entries) {
    const problems: string[] = [];
    const notes: string[] = [];
    const parsed = localChecks(entry, options.fixturesDir, problems, notes);
    if (parsed && options.gitBase !== undefined) {
      const baseline = baseExists ? git.showFile(options.gitBase, `schemas/${entry.schemaFile}`) : undefined;
      const verdict = compareWithBaseline(entry.compatibility, parsed.type, baseline);
      switch (verdict.kind) {
        case 'new':
          notes.push(`new since ${options.gitBase}`);
          break;
        case 'compatible':
          notes.push(`${entry.compatibility}-compatible with ${options.gitBase}`);
          break;
        case 'incompatible':
          problems.push(`not ${entry.compatibility}-compatible with the schema at ${options.gitBase}:`, ...verdict.reasons.map((r) => `  ${r}`));
          break;
        case 'baseline-unreadable':
          notes.push(`the schema at ${options.gitBase} does not parse (${verdict.reason}); not compared`);
          break;
      }
    }
    if (entry.schemaText !== undefined && options.registry) {
      const answer = await options.registry.testCompatibility(entry.subject, entry.schemaText);
      switch (answer.kind) {
        case 'compatible':
          notes.push(`compatible with the latest version of ${entry.subject} at the registry`);
          break;
        case 'new-subject':
          notes.push(`${entry.subject} is new at the registry`);
          break;
        case 'incompatible':
          problems.push(`incompatible with the latest version of ${entry.subject} at the registry:`, ...answer.reasons.map((r) => `  ${r}`));
          break;
        case 'refused':
          problems.push(`the registry refused the check of ${entry.subject}: ${answer.reasons.join('; ')}`);
          break;
      }
    }
    types.push({ type: entry.type, subject: entry.subject, ok: problems.length === 0, problems, notes });
  }
  const failed = types.filter((t) => !t.ok).length;
  return {
    ok: failed === 0,
    exitCode: failed === 0 ? ExitCode.OK : ExitCode.FAILED,
    checks: { fixturesDir: options.fixturesDir, gitBase: options.gitBase ?? null, registry: options.registry?.baseUrl ?? null },
    warnings,
    types,
    summary: { total: types.length, passed: types.length - failed, failed },
  };
}

/** Parses the schema and checks the catalogue rules and fixtures; returns the parsed schema if it parses. */
function localChecks(entry: LoadedCatalogueEntry, fixturesDir: string, problems: string[], notes: string[]): ParsedAvroSchema | undefined {
  if (entry.schemaProblem) problems.push(entry.schemaProblem);
  problems.push(...catalogueRuleProblems(entry));
  if (entry.schemaText === undefined || entry.schemaJson === undefined) return undefined;
  let parsed: ParsedAvroSchema;
  try {
    parsed = parseAvroSchema(entry.schemaText);
  } catch (e) {
    problems.push(`${entry.schemaFile} is not a valid Avro schema: ${e instanceof InvalidAvroSchemaError ? e.reason : String(e)}`);
    return undefined;
  }
  const fixtures = validateFixtures(entry.schemaJson, readFixtures(fixturesDir, entry.type));
  problems.push(...fixtures.problems);
  if (fixtures.checked > 0 && fixtures.problems.length === 0) notes.push(`${fixtures.checked} fixtures`);
  return parsed;
}

function printReport(report: SchemasCheckReport, output: CliOutput): void {
  for (const warning of report.warnings) output.err(`warning: ${warning}`);
  const width = Math.max(...report.types.map((t) => t.type.length));
  for (const t of report.types) {
    if (t.ok) {
      output.out(`✓ ${t.type.padEnd(width)}  ${t.notes.join('; ')}`);
    } else {
      output.out(`✗ ${t.type}`);
      for (const p of t.problems) output.out(p.startsWith('  ') ? `      ${p.trimStart()}` : `    - ${p}`);
    }
  }
  const checked = ['schemas', 'catalogue rules', 'fixtures'];
  if (report.checks.gitBase !== null) checked.push(`git base ${report.checks.gitBase}`);
  if (report.checks.registry !== null) checked.push(`registry ${report.checks.registry}`);
  const { total, passed, failed } = report.summary;
  output.out(`${failed === 0 ? '✓' : '✗'} ${total} types: ${passed} passed, ${failed} failed (checked ${checked.join(', ')})`);
}
