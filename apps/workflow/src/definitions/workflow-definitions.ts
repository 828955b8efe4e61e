import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigValidationError } from '@rabt/config';
import { parseWorkflowDefinition, type WorkflowDefinition } from './workflow-definition';

const FILE_NAME = /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\.v([1-9][0-9]*)\.json$/;

/**
 * Every definition in the workflows folder, validated once at start-up. For each trigger type
 * the newest version of its workflow starts new transactions; a transaction keeps the steps it
 * started with (they are copied into Postgres), so older versions need no code to finish.
 */
export class WorkflowDefinitions {
  private readonly byTrigger = new Map<string, WorkflowDefinition>();

  constructor(readonly all: readonly WorkflowDefinition[]) {
    for (const d of [...all].sort((a, b) => a.version - b.version)) this.byTrigger.set(d.trigger.type, d);
  }

  /** The definition a trigger of `type` from `agency` starts, if any. */
  forTrigger(type: string, agency: string): WorkflowDefinition | undefined {
    const d = this.byTrigger.get(type);
    return d && d.trigger.agency === agency ? d : undefined;
  }

  /**
   * Whether some definition awaits `type` from `agency` (as its trigger, withdrawal, a step or a
   * compensation): an event that arrives before its transaction is kept only then.
   */
  expects(type: string, agency: string): boolean {
    return this.all.some(
      (d) =>
        (d.trigger.type === type && d.trigger.agency === agency) ||
        (d.withdrawal?.type === type && d.withdrawal.agency === agency) ||
        d.steps.some((s) => (s.awaits === type && s.agency === agency) || (s.compensation?.awaits === type && s.compensation.agency === agency)),
    );
  }

  /** Every event type some definition waits for or starts with: what the service consumes. */
  consumedTypes(): string[] {
    const types = new Set<string>();
    for (const d of this.all) {
      types.add(d.trigger.type);
      if (d.withdrawal) types.add(d.withdrawal.type);
      for (const s of d.steps) {
        types.add(s.awaits);
        if (s.compensation) types.add(s.compensation.awaits);
      }
    }
    return [...types].sort();
  }
}

/**
 * Reads `<dir>/<name>.v<N>.json`. Every problem of every file is collected, then thrown as one
 * ConfigValidationError, so the service exits 78 with a readable list like a bad environment.
 */
export function loadWorkflowDefinitions(dir: string, options: { slaOverrideMs?: number } = {}): WorkflowDefinitions {
  const folder = resolve(dir);
  const problems: string[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch (e) {
    throw new ConfigValidationError('workflow', [`WORKFLOW_DEFINITIONS_DIR: cannot read ${folder}: ${(e as Error).message}`]);
  }
  if (files.length === 0) problems.push(`${folder}: no workflow definitions (<name>.v<N>.json)`);
  const definitions: WorkflowDefinition[] = [];
  const triggers = new Map<string, string>();
  for (const file of files) {
    const at = (p: string) => `${file}: ${p}`;
    const name = FILE_NAME.exec(file);
    if (!name) {
      problems.push(at(`file name must be <name>.v<N>.json, e.g. employee-left-work.v1.json`));
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(folder, file), 'utf8'));
    } catch (e) {
      problems.push(at(`not valid JSON: ${(e as Error).message}`));
      continue;
    }
    const result = parseWorkflowDefinition(json, options);
    problems.push(...result.problems.map(at));
    const d = result.definition;
    if (!d) continue;
    if (d.name !== name[1] || d.version !== Number(name[2])) problems.push(at(`name and version inside (${d.name} v${d.version}) differ from the file name`));
    const other = triggers.get(d.trigger.type);
    if (other && other !== d.name) problems.push(at(`trigger '${d.trigger.type}' already starts workflow ${other}; a trigger starts one workflow`));
    triggers.set(d.trigger.type, d.name);
    definitions.push(d);
  }
  if (problems.length > 0) throw new ConfigValidationError('workflow', problems.map((p) => `workflow definition ${p}`));
  return new WorkflowDefinitions(definitions);
}
