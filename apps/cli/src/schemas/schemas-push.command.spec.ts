import { describe, expect, it } from 'vitest';
import { ExitCode } from '../cli/cli.exception';
import { capturedOutput, fakeFetch, SCHEMAS_DIR } from '../testing/cli-test.helpers';
import { RegistryClient } from './registry.client';
import { runSchemasPush } from './schemas-push.command';
import { CATALOGUE } from '@rabt/contracts';

const N = CATALOGUE.length;

describe('rabt schemas push', () => {
  it('registers every subject and prints its id and version', async () => {
    const fake = fakeFetch({ 'POST *': [200, { id: 7 }], 'GET *': [200, { subject: 's', id: 7, version: 2 }] });
    const output = capturedOutput();
    const code = await runSchemasPush({ schemasDir: SCHEMAS_DIR, registry: new RegistryClient('http://r', { agency: 'ita', apiKey: 'k' }, fake.impl), json: false }, output);
    expect(code).toBe(ExitCode.OK);
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toContain('/subjects/mom.employee.left-work-reported-value/versions');
    expect(output.stdout[0]).toMatch(/^✓ mom\.employee\.left-work-reported-value +id 7 {2}version 2$/);
    expect(output.stdout.at(-1)).toBe(`✓ ${N} of ${N} subjects registered at http://r`);
  });

  it('prints the reasons of a refused schema and exits 1', async () => {
    const message = "Schema being registered is incompatible with an earlier schema for subject \"x\", details: [{errorType:'NAME_MISMATCH', description:'d', additionalInfo:'i'}, {oldSchemaVersion: 1}, {oldSchema: '{}'}, {compatibility: 'BACKWARD'}]";
    const fake = fakeFetch({
      'POST /subjects/mom.work-permit.suspended-value/versions': [409, { error_code: 409, message }],
      'POST *': [200, { id: 1 }],
      'GET *': [200, { id: 3, version: 4 }],
    });
    const output = capturedOutput();
    const code = await runSchemasPush({ schemasDir: SCHEMAS_DIR, registry: new RegistryClient('http://r', { agency: 'ita', apiKey: 'k' }, fake.impl), json: false }, output);
    expect(code).toBe(ExitCode.FAILED);
    const text = output.text();
    expect(text).toContain("✗ mom.work-permit.suspended-value\n    the registry refused it (HTTP 409):\n    {errorType:'NAME_MISMATCH', description:'d', additionalInfo:'i'}\n    {compatibility: 'BACKWARD'}");
    expect(text).toContain('an earlier version (latest is version 4, id 3)');
    expect(output.stdout.at(-1)).toBe(`✗ ${N - 1} of ${N} subjects registered at http://r, 1 refused`);
  });
});
