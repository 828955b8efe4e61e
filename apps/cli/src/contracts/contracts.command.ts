// `rabt contracts generate [--check]`: writes (or checks) the generated catalogue of @rabt/contracts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { AvroTypeScriptException, CatalogueException, generateCatalogueSource } from '@rabt/contracts/codegen';
import { CliException, CliExceptionCode, ExitCode, type CliOutput } from '../cli/cli.exception';

export interface ContractsGenerateOptions {
  readonly schemasDir: string;
  readonly outFile: string;
  /** Only compare: exit 1 when the file differs from what would be generated. */
  readonly check: boolean;
  /** Paths are printed relative to this folder. */
  readonly workspaceRoot: string;
}

export function runContractsGenerate(options: ContractsGenerateOptions, output: CliOutput): ExitCode {
  const source = generate(options.schemasDir);
  const shown = relative(options.workspaceRoot, options.outFile) || options.outFile;
  const current = existsSync(options.outFile) ? readFileSync(options.outFile, 'utf8') : undefined;
  if (options.check) {
    if (current === source) {
      output.out(`✓ ${shown} is up to date`);
      return ExitCode.OK;
    }
    output.err(`✗ ${shown} is stale: ${current === undefined ? 'it does not exist' : 'it differs from what schemas/ generates'}. Run: npm run contracts:generate`);
    return ExitCode.FAILED;
  }
  if (current === source) {
    output.out(`✓ ${shown} is already up to date`);
    return ExitCode.OK;
  }
  mkdirSync(dirname(options.outFile), { recursive: true });
  writeFileSync(options.outFile, source);
  output.out(`✓ wrote ${shown}`);
  return ExitCode.OK;
}

function generate(schemasDir: string): string {
  try {
    return generateCatalogueSource(schemasDir);
  } catch (e) {
    if (e instanceof CatalogueException || e instanceof AvroTypeScriptException) throw new CliException(CliExceptionCode.CATALOGUE_INVALID, e.message);
    throw e;
  }
}
