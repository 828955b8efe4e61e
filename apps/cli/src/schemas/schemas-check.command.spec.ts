import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliException, ExitCode } from '../cli/cli.exception';
import { capturedOutput, copyOfSchemas, fakeFetch, FIXTURES_DIR, SCHEMAS_DIR } from '../testing/cli-test.helpers';
import type { GitReader } from './git-baseline';
import { RegistryClient } from './registry.client';
import { checkSchemas, runSchemasCheck } from './schemas-check.command';
import { CATALOGUE } from '@rabt/contracts';

const N = CATALOGUE.length;

const SUSPENDED = 'mom/mom.work-permit.suspended.avsc';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Git whose base holds the repository's current schemas. */
const gitAtCurrentSchemas: GitReader = {
  refExists: (ref) => ref === 'main',
  showFile: (_ref, path) => readFileSync(join(SCHEMAS_DIR, path.replace(/^schemas\//, '')), 'utf8'),
};

/** schemas/ copied, with a required field (no default) added to mom.work-permit.suspended. */
function schemasWithBreakingChange(): string {
  const dir = copyOfSchemas();
  dirs.push(dir);
  const file = join(dir, SUSPENDED);
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { fields: unknown[] };
  schema.fields.push({ name: 'suspensionOrderNumber', type: 'string', doc: 'test | اختبار' });
  writeFileSync(file, JSON.stringify(schema, null, 2));
  return dir;
}

const base = { schemasDir: SCHEMAS_DIR, fixturesDir: FIXTURES_DIR, json: false };

describe('rabt schemas check', () => {
  it('passes the repository as it is, one line per type and a summary', async () => {
    const output = capturedOutput();
    expect(await runSchemasCheck({ ...base, gitBase: 'main' }, gitAtCurrentSchemas, output)).toBe(ExitCode.OK);
    expect(output.stdout).toHaveLength(N + 1);
    expect(output.stdout[0]).toMatch(/^✓ mom\.employee\.left-work-reported +5 fixtures; BACKWARD-compatible with main$/);
    expect(output.stdout.at(-1)).toBe(`✓ ${N} types: ${N} passed, 0 failed (checked schemas, catalogue rules, fixtures, git base main)`);
  });

  it('fails a breaking change against the git base, naming the type and the reason', async () => {
    const output = capturedOutput();
    expect(await runSchemasCheck({ ...base, schemasDir: schemasWithBreakingChange(), gitBase: 'main' }, gitAtCurrentSchemas, output)).toBe(ExitCode.FAILED);
    const text = output.text();
    expect(text).toContain('✗ mom.work-permit.suspended\n');
    expect(text).toContain('    - not BACKWARD-compatible with the schema at main:\n      {errorType:');
    expect(text).toContain("errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'");
    // The ok/ fixtures lack the new field, so they fail too.
    expect(text).toContain('ok/absconded-seeb.json is rejected but must be valid: suspensionOrderNumber is missing');
    expect(output.stdout.at(-1)).toMatch(new RegExp(`^✗ ${N} types: ${N - 1} passed, 1 failed`));
  });

  it('treats every type as new when the git base does not exist, and says so', async () => {
    const report = await checkSchemas({ ...base, gitBase: 'nope' }, gitAtCurrentSchemas);
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual(["git base 'nope' does not exist (or this is not a git repository): every type is treated as new"]);
    expect(report.types.every((t) => t.notes.includes('new since nope'))).toBe(true);
  });

  it('reports a schema that does not parse and a broken catalogue rule', async () => {
    const dir = copyOfSchemas();
    dirs.push(dir);
    writeFileSync(join(dir, SUSPENDED), JSON.stringify({ type: 'record', name: 'WorkPermitSuspended', namespace: 'om.gov.rabt.mom', fields: [{ name: 'workerCivilNumber', type: 'strin' }] }));
    const report = await checkSchemas({ ...base, schemasDir: dir }, gitAtCurrentSchemas);
    const suspended = report.types.find((t) => t.type === 'mom.work-permit.suspended')!;
    expect(suspended.ok).toBe(false);
    expect(suspended.problems.join('\n')).toMatch(/is not a valid Avro schema: .*strin/);
    expect(suspended.problems).toContain("partition key 'workerCivilNumber' is not a string field");
    expect(report.exitCode).toBe(ExitCode.FAILED);
  });

  it('asks the registry about every subject: new subjects pass, incompatible ones fail, JSON on request', async () => {
    const fake = fakeFetch({
      'POST /compatibility/subjects/mom.work-permit.suspended-value/versions/latest?verbose=true': [200, { is_compatible: false, messages: ["{errorType:'TYPE_MISMATCH', description:'d', additionalInfo:'i'}"] }],
      'POST *': [200, { is_compatible: true }],
      'POST /compatibility/subjects/rabt.transaction.completed-value/versions/latest?verbose=true': [404, { error_code: 40401, message: 'not found' }],
    });
    const registry = new RegistryClient('http://registry.test', { agency: 'ita', apiKey: 'k' }, fake.impl);
    const output = capturedOutput();
    expect(await runSchemasCheck({ ...base, registry, json: true }, gitAtCurrentSchemas, output)).toBe(ExitCode.FAILED);
    const report = JSON.parse(output.stdout.join('\n')) as Awaited<ReturnType<typeof checkSchemas>>;
    expect(fake.requests).toHaveLength(N);
    expect(report.summary).toEqual({ total: N, passed: N - 1, failed: 1 });
    expect(report.checks.registry).toBe('http://registry.test');
    expect(report.types.find((t) => t.type === 'rabt.transaction.completed')!.notes).toContain('rabt.transaction.completed-value is new at the registry');
    expect(report.types.find((t) => t.type === 'mom.work-permit.suspended')!.problems).toEqual([
      'incompatible with the latest version of mom.work-permit.suspended-value at the registry:',
      "  {errorType:'TYPE_MISMATCH', description:'d', additionalInfo:'i'}",
    ]);
  });

  it('stops with exit 3 when the registry is unreachable', async () => {
    const registry = new RegistryClient('http://registry.test', { agency: 'ita', apiKey: 'k' }, fakeFetch({ 'POST *': new TypeError('fetch failed') }).impl);
    const failure = checkSchemas({ ...base, registry }, gitAtCurrentSchemas);
    await expect(failure).rejects.toBeInstanceOf(CliException);
    await expect(failure).rejects.toMatchObject({ exitCode: ExitCode.REGISTRY_UNREACHABLE });
  });

  it('refuses an unusable catalogue with every problem listed (exit 2)', async () => {
    const dir = copyOfSchemas();
    dirs.push(dir);
    writeFileSync(join(dir, 'catalogue.json'), JSON.stringify({ types: [{ type: 'mom.x.y' }] }));
    await expect(checkSchemas({ ...base, schemasDir: dir }, gitAtCurrentSchemas)).rejects.toMatchObject({ exitCode: ExitCode.USAGE, message: expect.stringContaining('types[0].topic: expected a non-empty string') });
  });
});
