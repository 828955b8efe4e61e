// `rabt asyncapi [--out docs/asyncapi.json] [--check]`: writes (or checks) the AsyncAPI document.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { ExitCode, type CliOutput } from '../cli/cli.exception';
import { loadCatalogueForCli } from '../cli/catalogue';
import { buildAsyncApiDocument, renderAsyncApi } from './asyncapi.document';

export interface AsyncApiOptions {
  readonly schemasDir: string;
  readonly outFile: string;
  readonly check: boolean;
  /** The document's info.version (the workspace version). */
  readonly version: string;
  /** Paths are printed relative to this folder. */
  readonly workspaceRoot: string;
}

export function runAsyncApi(options: AsyncApiOptions, output: CliOutput): ExitCode {
  const catalogue = loadCatalogueForCli(options.schemasDir);
  const broken = catalogue.entries.filter((e) => e.schemaProblem);
  if (broken.length > 0) {
    for (const e of broken) output.err(`✗ ${e.type}: ${e.schemaProblem}`);
    return ExitCode.FAILED;
  }
  const text = renderAsyncApi(buildAsyncApiDocument(catalogue.entries, options.version));
  const shown = relative(options.workspaceRoot, options.outFile) || options.outFile;
  const current = existsSync(options.outFile) ? readFileSync(options.outFile, 'utf8') : undefined;
  const channels = `${catalogue.entries.length} channels, ${catalogue.entries.length * 2} operations`;
  if (options.check) {
    if (current === text) {
      output.out(`✓ ${shown} is up to date (${channels})`);
      return ExitCode.OK;
    }
    output.err(`✗ ${shown} is stale: ${current === undefined ? 'it does not exist' : 'it differs from what schemas/ generates'}. Run: npm run rabt -- asyncapi`);
    return ExitCode.FAILED;
  }
  if (current !== text) {
    mkdirSync(dirname(options.outFile), { recursive: true });
    writeFileSync(options.outFile, text);
  }
  output.out(`✓ ${current === text ? `${shown} is already up to date` : `wrote ${shown}`} (${channels})`);
  return ExitCode.OK;
}
