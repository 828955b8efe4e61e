// The shape of a workflow definition file (workflows/<name>.v<N>.json) and the rules the
// catalogue adds. Pure: the loader reads files, this only judges their content.
import { z } from 'zod';
import { findCatalogueEntry } from '@rabt/contracts';
import { parseDuration } from '@rabt/config';

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const AGENCY = /^[a-z][a-z0-9]*$/;

const duration = z.string().superRefine((value, ctx) => {
  try {
    parseDuration(value);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

const eventRef = z.object({ agency: z.string().regex(AGENCY, { message: 'must be an agency code such as mom' }), type: z.string().min(1) }).strict();

const stepSchema = z
  .object({
    name: z.string().regex(NAME, { message: 'must be kebab-case, e.g. register-absconding' }).max(100),
    agency: z.string().regex(AGENCY, { message: 'must be an agency code such as rop' }),
    awaits: z.string().min(1),
    sla: duration,
    compensation: z
      .object({ agency: z.string().regex(AGENCY, { message: 'must be an agency code such as rop' }), awaits: z.string().min(1), sla: duration })
      .strict()
      .optional(),
  })
  .strict();

export const workflowFileSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().regex(NAME, { message: 'must be kebab-case, e.g. employee-left-work' }).max(100),
    version: z.number().int().positive(),
    title: z.object({ en: z.string().min(1), ar: z.string().min(1) }).strict(),
    trigger: eventRef,
    steps: z.array(stepSchema).min(1, { message: 'a workflow needs at least one step' }).max(50),
    withdrawal: eventRef.optional(),
  })
  .strict();

export type WorkflowFile = z.infer<typeof workflowFileSchema>;

export interface AwaitedEvent {
  readonly agency: string;
  readonly awaits: string;
  readonly slaMs: number;
}

export interface StepDefinition extends AwaitedEvent {
  readonly name: string;
  readonly compensation: AwaitedEvent | null;
}

/** A validated definition, SLAs in milliseconds. */
export interface WorkflowDefinition {
  readonly name: string;
  readonly version: number;
  readonly title: { readonly en: string; readonly ar: string };
  readonly trigger: { readonly agency: string; readonly type: string };
  readonly steps: readonly StepDefinition[];
  readonly withdrawal: { readonly agency: string; readonly type: string } | null;
}

/**
 * Judges one file's JSON: its shape, then the catalogue rules (every type catalogued and
 * published by the named agency, a trigger that is a workflow trigger, no event type awaited
 * twice, compensations only with a withdrawal). Problems are `path: message` lines.
 */
export function parseWorkflowDefinition(json: unknown, options: { slaOverrideMs?: number } = {}): { definition?: WorkflowDefinition; problems: string[] } {
  const parsed = workflowFileSchema.safeParse(json);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`) };
  const file = parsed.data;
  const problems: string[] = [];
  const checkType = (path: string, type: string, agency: string) => {
    const entry = findCatalogueEntry(type);
    if (!entry) problems.push(`${path}: '${type}' is not an event type of the catalogue (schemas/catalogue.json)`);
    else if (entry.owner !== agency) problems.push(`${path}: '${type}' is published by ${entry.owner}, not ${agency}`);
    return entry;
  };
  const trigger = checkType('trigger.type', file.trigger.type, file.trigger.agency);
  if (trigger && !trigger.workflowTrigger) problems.push(`trigger.type: '${file.trigger.type}' is not marked workflowTrigger in the catalogue (the gateway would not give it a transactionid)`);
  if (file.withdrawal) checkType('withdrawal.type', file.withdrawal.type, file.withdrawal.agency);
  const seen = new Map<string, string>([[file.trigger.type, 'trigger.type']]);
  if (file.withdrawal) seen.set(file.withdrawal.type, 'withdrawal.type');
  const once = (path: string, type: string) => {
    const first = seen.get(type);
    if (first) problems.push(`${path}: '${type}' is already used at ${first} (each event type may appear once in a workflow)`);
    else seen.set(type, path);
  };
  const names = new Set<string>();
  file.steps.forEach((step, i) => {
    if (names.has(step.name)) problems.push(`steps.${i}.name: '${step.name}' is used by an earlier step`);
    names.add(step.name);
    checkType(`steps.${i}.awaits`, step.awaits, step.agency);
    once(`steps.${i}.awaits`, step.awaits);
    if (step.compensation) {
      if (!file.withdrawal) problems.push(`steps.${i}.compensation: a compensation needs a withdrawal event at the top level`);
      checkType(`steps.${i}.compensation.awaits`, step.compensation.awaits, step.compensation.agency);
      once(`steps.${i}.compensation.awaits`, step.compensation.awaits);
    }
  });
  if (problems.length > 0) return { problems };
  const sla = (text: string) => options.slaOverrideMs ?? parseDuration(text);
  return {
    problems,
    definition: {
      name: file.name,
      version: file.version,
      title: file.title,
      trigger: file.trigger,
      withdrawal: file.withdrawal ?? null,
      steps: file.steps.map((s) => ({
        name: s.name,
        agency: s.agency,
        awaits: s.awaits,
        slaMs: sla(s.sla),
        compensation: s.compensation ? { agency: s.compensation.agency, awaits: s.compensation.awaits, slaMs: sla(s.compensation.sla) } : null,
      })),
    },
  };
}

/** Agencies party to a transaction of `definition`: trigger, steps, compensations, withdrawal. */
export function partiesOf(definition: WorkflowDefinition): string[] {
  const all = [definition.trigger.agency, ...definition.steps.flatMap((s) => [s.agency, ...(s.compensation ? [s.compensation.agency] : [])]), ...(definition.withdrawal ? [definition.withdrawal.agency] : [])];
  return [...new Set(all)];
}
