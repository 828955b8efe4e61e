import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigValidationError } from '@rabt/config';
import { parseWorkflowDefinition } from './workflow-definition';
import { loadWorkflowDefinitions } from './workflow-definitions';

const WORKFLOWS = resolve(__dirname, '..', '..', '..', '..', 'workflows');
const leftWork = () => JSON.parse(readFileSync(join(WORKFLOWS, 'employee-left-work.v1.json'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rabt-workflows-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

function problemsOf(dir: string): readonly string[] {
  try {
    loadWorkflowDefinitions(dir);
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.problems;
    throw e;
  }
  return [];
}

describe('the definitions in workflows/', () => {
  it('load: employee-left-work and worker-service-transfer, and what the service must consume', () => {
    const defs = loadWorkflowDefinitions(WORKFLOWS);
    expect(defs.all.map((d) => `${d.name} v${d.version}`).sort()).toEqual(['employee-left-work v1', 'worker-service-transfer v1']);
    expect(defs.forTrigger('mom.employee.left-work-reported', 'mom')?.steps.map((s) => s.name)).toEqual(['register-absconding', 'update-labour-record', 'suspend-work-permit']);
    expect(defs.forTrigger('mom.employee.left-work-reported', 'rop')).toBeUndefined();
    expect(defs.forTrigger('mom.worker.service-transfer-requested', 'mom')?.steps.map((s) => s.agency)).toEqual(['epay', 'rop', 'mom']);
    expect(defs.consumedTypes()).toContain('rop.residence.absconding-cancelled');
    expect(defs.consumedTypes()).toContain('epay.payment.fee-settled');
    expect(defs.consumedTypes()).not.toContain('rabt.transaction.completed');
  });

  it('SLAs are read as durations, and WORKFLOW_SLA_OVERRIDE replaces every one of them', () => {
    const d = loadWorkflowDefinitions(WORKFLOWS).forTrigger('mom.employee.left-work-reported', 'mom')!;
    expect(d.steps[0]!.slaMs).toBe(24 * 3_600_000);
    const short = loadWorkflowDefinitions(WORKFLOWS, { slaOverrideMs: 2000 }).forTrigger('mom.employee.left-work-reported', 'mom')!;
    expect(short.steps.flatMap((s) => [s.slaMs, s.compensation!.slaMs])).toEqual([2000, 2000, 2000, 2000, 2000, 2000]);
  });

  it('the newest version of a workflow starts new transactions', () => {
    const v2 = { ...leftWork(), version: 2, steps: leftWork().steps.slice(0, 2) };
    const defs = loadWorkflowDefinitions(folder({ 'employee-left-work.v1.json': leftWork(), 'employee-left-work.v2.json': v2 }));
    expect(defs.forTrigger('mom.employee.left-work-reported', 'mom')?.version).toBe(2);
  });
});

describe('a bad definition stops start-up with every problem named', () => {
  it('shape: missing fields, bad SLA, unknown keys, bad names', () => {
    const bad = leftWork();
    delete bad['trigger'];
    bad['steps'][0].sla = 'one day';
    bad['steps'][1].agency = 'MOCI';
    bad['steps'][2].retries = 3;
    const problems = problemsOf(folder({ 'employee-left-work.v1.json': bad }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^workflow definition employee-left-work\.v1\.json: trigger: /),
        expect.stringMatching(/steps\.0\.sla: 'one day' is not a duration/),
        expect.stringMatching(/steps\.1\.agency: must be an agency code/),
        expect.stringMatching(/steps\.2: Unrecognized key.*retries/),
      ]),
    );
  });

  it('catalogue rules: unknown type, wrong publisher, a trigger that is no trigger, a type awaited twice, compensation without withdrawal', () => {
    const check = (edit: (d: Record<string, any>) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const d = leftWork();
      edit(d);
      return parseWorkflowDefinition(d).problems;
    };
    expect(check((d) => (d['steps'][0].awaits = 'rop.residence.teleported'))).toEqual([expect.stringMatching(/^steps\.0\.awaits: 'rop\.residence\.teleported' is not an event type of the catalogue/)]);
    expect(check((d) => (d['steps'][0].agency = 'moci'))).toEqual(["steps.0.awaits: 'rop.residence.absconding-registered' is published by rop, not moci"]);
    expect(check((d) => (d['trigger'] = { agency: 'rop', type: 'rop.residence.absconding-registered' }))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^trigger\.type: .* is not marked workflowTrigger/), expect.stringMatching(/^steps\.0\.awaits: .* is already used at trigger\.type/)]),
    );
    expect(check((d) => delete d['withdrawal'])).toHaveLength(3);
    expect(check(() => undefined)).toEqual([]);
  });

  it('files: not JSON, a name that is not <name>.v<N>.json, name or version that differ inside, two workflows on one trigger, an empty folder', () => {
    expect(problemsOf(folder({ 'employee-left-work.v1.json': '{ nope' }))).toEqual([expect.stringMatching(/employee-left-work\.v1\.json: not valid JSON/)]);
    expect(problemsOf(folder({ 'left work.json': leftWork() }))).toEqual([expect.stringMatching(/file name must be <name>\.v<N>\.json/)]);
    expect(problemsOf(folder({ 'employee-left-work.v3.json': leftWork() }))).toEqual([expect.stringMatching(/name and version inside \(employee-left-work v1\) differ from the file name/)]);
    expect(problemsOf(folder({ 'employee-left-work.v1.json': leftWork(), 'other-flow.v1.json': { ...leftWork(), name: 'other-flow' } }))).toEqual([
      expect.stringMatching(/other-flow\.v1\.json: trigger 'mom\.employee\.left-work-reported' already starts workflow employee-left-work/),
    ]);
    expect(problemsOf(folder({}))).toEqual([expect.stringMatching(/no workflow definitions/)]);
  });
});
