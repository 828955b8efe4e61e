// The built service refuses to start on a bad workflow definition, like on bad configuration.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '@rabt/testing';

const dir = mkdtempSync(join(tmpdir(), 'rabt-bad-workflows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(WORKSPACE_ROOT, 'dist/apps/workflow/main.js')], { cwd: WORKSPACE_ROOT, env: { PATH: process.env['PATH'] ?? '', RABT_DEV_MODE: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

describe('workflow service start-up', () => {
  it('exits 78 naming the file and each problem when a definition is bad', async () => {
    const good = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'workflows/employee-left-work.v1.json'), 'utf8')) as { steps: { sla: string; agency: string }[] };
    good.steps[0]!.sla = 'soon';
    good.steps[1]!.agency = 'M.O.C.I';
    writeFileSync(join(dir, 'employee-left-work.v1.json'), JSON.stringify(good));
    const { code, output } = await start({ WORKFLOW_DEFINITIONS_DIR: dir });
    expect(code, output).toBe(78);
    expect(output).toContain('Invalid configuration for workflow:');
    expect(output).toContain("workflow definition employee-left-work.v1.json: steps.0.sla: 'soon' is not a duration");
    expect(output).toContain('steps.1.agency: must be an agency code');
  });

  it('exits 78 on bad configuration, listing each problem', async () => {
    const { code, output } = await start({ WORKFLOW_PORT: 'eighty', WORKFLOW_SLA_OVERRIDE: 'fast' });
    expect(code).toBe(78);
    expect(output).toContain('WORKFLOW_PORT: must be a port number');
    expect(output).toContain("WORKFLOW_SLA_OVERRIDE: 'fast' is not a duration");
  });
});
