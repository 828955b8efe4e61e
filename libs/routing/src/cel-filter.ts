// Subscription filters: CEL (https://cel.dev) over the CloudEvents attributes (`event`) and the
// event's data (`data`), run by @marcbachmann/cel-js, an interpreter that never generates code
// (no eval, no Function). CEL always terminates, but not always soon: a filter is refused at
// creation when its worst-case cost (filter-cost.ts) exceeds a budget, and every evaluation is
// metered (filter-meter.ts) and stopped when it uses up its own budget.
import { Environment, type ASTNode, type ParseResult } from '@marcbachmann/cel-js';
import type { AvroRecordSchema } from '@rabt/contracts';
import { dereference, isNamedDefinition, namedDefinitions, namespaceOf, type NamedDefinition } from './avro-names';
import { DEFAULT_FILTER_COST_LIMITS, estimateFilterCost, overBudget, type FilterCostEstimate, type FilterCostLimits } from './filter-cost';
import { DEFAULT_FILTER_RUN_LIMITS, instrumentProgram, meteredRun, type FilterRunLimits } from './filter-meter';
import { SubscriptionExceptionCode as Code, subscriptionError } from './subscription.exception';

/** Longest filter source accepted, in characters. */
export const MAX_FILTER_LENGTH = 2048;

/** The CloudEvents attributes a filter sees as `event.<name>`; absent ones are absent (`has(event.subject)`). */
export const FILTER_EVENT_ATTRIBUTES = ['id', 'source', 'type', 'subject', 'time', 'transactionid'] as const;
export type FilterEventAttribute = (typeof FILTER_EVENT_ATTRIBUTES)[number];

/** Functions a filter may not call: JavaScript regular expressions backtrack, so one filter could stall the router (ReDoS). */
const REFUSED_FUNCTIONS: Readonly<Record<string, string>> = {
  matches: 'regular expressions are not allowed in filters (they can take exponential time); use startsWith, endsWith, contains or ==',
};

export interface CompiledFilter {
  readonly source: string;
  /** The parsed program, metered; call only through evaluateFilter. */
  readonly program: ParseResult;
  /** Its worst-case cost under the limits it was compiled with. */
  readonly estimate: FilterCostEstimate;
}

export interface CompileFilterOptions {
  /** The cost budget and data bounds; `false` estimates with the defaults but refuses nothing (filters already stored). */
  readonly cost?: FilterCostLimits | false;
}

export interface FilterInput {
  /** CloudEvents attributes; only FILTER_EVENT_ATTRIBUTES with string values are visible. */
  readonly event: Readonly<Record<string, unknown>>;
  /** The event's data as JSON (as published, before any projection). */
  readonly data: unknown;
}

/**
 * A filter's verdict; a runtime error (e.g. a missing field) is no match, with the error to log;
 * an evaluation stopped for using up its budget is no match with `outOfBudget`.
 */
export type FilterResult = { readonly matches: true } | { readonly matches: false; readonly error?: string; readonly outOfBudget?: true };

/** The type a filter is written for: refuses `data.<path>` that the schema does not have. */
export interface FilterTarget {
  readonly type: string;
  readonly schema: AvroRecordSchema;
}

let environment: Environment | undefined;

function celEnvironment(): Environment {
  environment ??= new Environment({ limits: { maxAstNodes: 1000, maxDepth: 32, maxListElements: 256, maxMapEntries: 64, maxCallArguments: 8 } })
    .registerVariable({ name: 'event', schema: Object.fromEntries(FILTER_EVENT_ATTRIBUTES.map((a) => [a, 'string'])), description: 'CloudEvents attributes' })
    .registerVariable('data', 'map', { description: 'the event data as JSON' });
  return environment;
}

interface Problem {
  readonly message: string;
  readonly start?: number;
  readonly end?: number;
}

function invalid(source: string, problem: Problem, highlighted?: string): never {
  const at = problem.start === undefined ? '' : ` (at character ${problem.start + 1})`;
  throw subscriptionError(Code.INVALID_FILTER, `invalid filter: ${problem.message}${at}`, {
    errors: [{ path: 'filter', message: problem.message, ...(problem.start === undefined ? {} : { position: { start: problem.start, end: problem.end ?? problem.start } }) }],
    ...(highlighted ? { highlighted } : {}),
  });
}

const celProblem = (e: unknown): Problem & { highlighted?: string } => {
  const err = e as { summary?: string; message?: string; range?: { start: number; end: number } };
  return { message: err.summary ?? err.message ?? String(e), ...(err.range ? { start: err.range.start, end: err.range.end } : {}), ...(err.message ? { highlighted: err.message } : {}) };
};

/**
 * Parses and type-checks a filter. Refuses (INVALID_FILTER, with the position when known):
 * syntax errors, variables other than `event` and `data`, unknown `event` attributes, a result
 * that cannot be true or false, regular expressions, sources over MAX_FILTER_LENGTH, a worst-case
 * cost over the budget (unless `options.cost` is false) and, given the target type,
 * `data.<path>` not in its schema.
 */
export function compileFilter(source: string, target?: FilterTarget, options: CompileFilterOptions = {}): CompiledFilter {
  if (source.trim() === '') invalid(source, { message: 'must not be empty: leave the filter out to receive every event' });
  if (source.length > MAX_FILTER_LENGTH) invalid(source, { message: `is ${source.length} characters long; at most ${MAX_FILTER_LENGTH} are allowed` });
  let program: ParseResult;
  try {
    program = celEnvironment().parse(source);
  } catch (e) {
    const problem = celProblem(e);
    return invalid(source, problem, problem.highlighted);
  }
  const refused = refusedCalls(program.ast);
  if (refused.length > 0) invalid(source, refused[0]!);
  const checked = program.check();
  if (!checked.valid) {
    const problem = celProblem(checked.error);
    invalid(source, problem, problem.highlighted);
  }
  if (checked.type !== 'bool' && checked.type !== 'dyn') invalid(source, { message: `must be a condition (true or false), but gives a value of type ${checked.type}` });
  const unknown = target ? unknownDataPaths(program.ast, target) : [];
  if (unknown.length > 0) invalid(source, unknown[0]!);
  const limits = options.cost === false ? DEFAULT_FILTER_COST_LIMITS : (options.cost ?? DEFAULT_FILTER_COST_LIMITS);
  const estimate = estimateFilterCost(program.ast, limits);
  const tooCostly = options.cost === false ? undefined : overBudget(estimate, limits);
  if (tooCostly) invalid(source, { message: tooCostly });
  instrumentProgram(program.ast);
  return { source, program, estimate };
}

/** Runs a compiled filter within `limits`. Never throws: an error is "no match", returned for the log. */
export function evaluateFilter(filter: CompiledFilter, input: FilterInput, limits: FilterRunLimits = DEFAULT_FILTER_RUN_LIMITS): FilterResult {
  return evaluateFilterMetered(filter, input, limits).result;
}

/** evaluateFilter, with the steps the evaluation used. */
export function evaluateFilterMetered(filter: CompiledFilter, input: FilterInput, limits: FilterRunLimits = DEFAULT_FILTER_RUN_LIMITS): { result: FilterResult; steps: number } {
  const context = { event: eventAttributes(input.event), data: celValue(input.data) };
  try {
    const outcome = meteredRun(limits, () => filter.program(context) as unknown);
    if ('exceeded' in outcome) return { result: { matches: false, error: `the filter ${outcome.exceeded}`, outOfBudget: true }, steps: outcome.steps };
    return { result: verdict(outcome.value), steps: outcome.steps };
  } catch (e) {
    return { result: { matches: false, error: celProblem(e).message }, steps: 0 };
  }
}

function verdict(value: unknown): FilterResult {
  if (value === true) return { matches: true };
  if (value === false) return { matches: false };
  return { matches: false, error: `the filter gave ${typeof value === 'bigint' ? `${value}` : JSON.stringify(value)}, not true or false` };
}

function eventAttributes(event: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FILTER_EVENT_ATTRIBUTES) {
    const value = event[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** JSON numbers without a fraction become CEL ints (BigInt), so `data.count + 1` works. */
function celValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(celValue);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, celValue(v)]));
  }
  return value;
}

/** Child AST nodes of a node, whatever its operator. */
function children(node: ASTNode): ASTNode[] {
  if (node.op === 'value' || node.op === 'id') return [];
  const out: ASTNode[] = [];
  const collect = (arg: unknown): void => {
    if (Array.isArray(arg)) arg.forEach(collect);
    else if (typeof arg === 'object' && arg !== null && 'op' in arg) out.push(arg as ASTNode);
  };
  collect(node.args);
  return out;
}

function* walk(node: ASTNode): Generator<ASTNode> {
  yield node;
  for (const child of children(node)) yield* walk(child);
}

function refusedCalls(ast: ASTNode): Problem[] {
  const problems: Problem[] = [];
  for (const node of walk(ast)) {
    if ((node.op === 'call' || node.op === 'rcall') && REFUSED_FUNCTIONS[node.args[0]]) problems.push({ message: REFUSED_FUNCTIONS[node.args[0]]!, start: node.start, end: node.end });
  }
  return problems;
}

/** `data.a.b` chains (the longest ones) whose fields the target schema does not have. */
function unknownDataPaths(ast: ASTNode, target: FilterTarget): Problem[] {
  const names = namedDefinitions(target.schema.fields.map((f) => f.type), namespaceOf(target.schema, undefined));
  const problems: Problem[] = [];
  const visit = (node: ASTNode): void => {
    if (node.op !== '.' && node.op !== '.?') {
      children(node).forEach(visit);
      return;
    }
    const path: string[] = [];
    let root: ASTNode = node;
    while (root.op === '.' || root.op === '.?') {
      const [receiver, field] = root.args as [ASTNode, string];
      path.unshift(field);
      root = receiver;
    }
    const problem = root.op === 'id' && root.args === 'data' ? checkPath(path, target, names) : undefined;
    if (problem) problems.push({ message: problem, start: node.start, end: node.end });
    visit(root);
  };
  visit(ast);
  return problems;
}

/** Why `data.<path>` cannot exist in the schema, or undefined when it can (or cannot be known). */
function checkPath(path: readonly string[], target: FilterTarget, names: ReadonlyMap<string, NamedDefinition>): string | undefined {
  let record: unknown = target.schema;
  let namespace = namespaceOf(target.schema, undefined);
  for (let i = 0; i < path.length; i++) {
    const where = ['data', ...path.slice(0, i)].join('.');
    const fields = recordFields(record, namespace, names);
    if (fields === 'dynamic') return undefined;
    if (!fields) return `${where} has no fields, so ${where}.${path[i]} cannot exist`;
    const field = fields.list.find((f) => f.name === path[i]);
    if (!field) return `${where}.${path[i]} is not a field of ${i === 0 ? target.type : where}: its fields are ${fields.list.map((f) => f.name).join(', ')}`;
    record = field.type;
    namespace = fields.namespace;
  }
  return undefined;
}

/** The fields of a record type (through unions and names); 'dynamic' for maps and unknowns. */
function recordFields(
  type: unknown,
  namespace: string | undefined,
  names: ReadonlyMap<string, NamedDefinition>,
): { list: readonly { name: string; type: unknown }[]; namespace: string | undefined } | 'dynamic' | undefined {
  const { node, namespace: ns } = dereference(type, namespace, names);
  if (Array.isArray(node)) {
    const branches = node.map((b) => recordFields(b, ns, names)).filter((b) => b !== undefined);
    if (branches.length === 0) return undefined;
    if (branches.some((b) => b === 'dynamic')) return 'dynamic';
    const records = branches as { list: readonly { name: string; type: unknown }[]; namespace: string | undefined }[];
    return { list: records.flatMap((r) => r.list), namespace: records[0]!.namespace };
  }
  if (isNamedDefinition(node) && (node.type === 'record' || node.type === 'error')) {
    return { list: (node as unknown as { fields: { name: string; type: unknown }[] }).fields, namespace: namespaceOf(node, ns) };
  }
  if (typeof node === 'object' && node !== null && (node as { type?: unknown }).type === 'map') return 'dynamic';
  if (typeof node === 'string' && !['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'].includes(node)) return 'dynamic';
  return undefined;
}
