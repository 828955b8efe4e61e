import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCatalogueSource } from '@rabt/contracts/codegen';
import { ExitCode } from '../cli/cli.exception';
import { capturedOutput, SCHEMAS_DIR } from '../testing/cli-test.helpers';
import { runContractsGenerate } from './contracts.command';

const dir = mkdtempSync(join(tmpdir(), 'rabt-contracts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rabt contracts generate', () => {
  const outFile = join(dir, 'generated', 'catalogue.generated.ts');
  const run = (check: boolean) => {
    const output = capturedOutput();
    return { code: runContractsGenerate({ schemasDir: SCHEMAS_DIR, outFile, check, workspaceRoot: dir }, output), output };
  };

  it('--check fails on a missing or stale file, naming it', () => {
    const missing = run(true);
    expect(missing.code).toBe(ExitCode.FAILED);
    expect(missing.output.stderr).toEqual(['✗ generated/catalogue.generated.ts is stale: it does not exist. Run: npm run contracts:generate']);
  });

  it('writes the file, which --check then accepts', () => {
    expect(run(false).code).toBe(ExitCode.OK);
    expect(readFileSync(outFile, 'utf8')).toBe(generateCatalogueSource(SCHEMAS_DIR));
    const checked = run(true);
    expect(checked.code).toBe(ExitCode.OK);
    expect(checked.output.stdout).toEqual(['✓ generated/catalogue.generated.ts is up to date']);
  });

  it('--check notices a hand edit', () => {
    writeFileSync(outFile, `${readFileSync(outFile, 'utf8')}// edited\n`);
    const edited = run(true);
    expect(edited.code).toBe(ExitCode.FAILED);
    expect(edited.output.stderr[0]).toContain('it differs from what schemas/ generates');
  });
});
