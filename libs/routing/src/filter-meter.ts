// The run-time bound on a filter: every AST node of a compiled program is wrapped so that each
// evaluation of it counts one step (and a `+` or function call that produces a string or list one
// more per FILTER_RESULT_UNIT of its length), and the evaluation stops once it has used its step
// or time budget. cel-js evaluates synchronously and has no such limit of its own; its nodes
// evaluate through an own `evaluate` property that resolves, on first use, to the operator, a
// macro expansion (`meta.macro`) or a rewritten node (`meta.alternate`). The wrapper resolves
// the same way on every call, so it stays in place. filter-cost.spec.ts proves the wrapping
// counts, so an upgrade of cel-js that changes this fails the tests, not production.
import type { ASTNode } from '@marcbachmann/cel-js';
import { FILTER_RESULT_UNIT } from './filter-cost';

/** How much one evaluation of one filter may use. */
export interface FilterRunLimits {
  /** Steps (see filter-cost.ts for the unit). */
  readonly steps: number;
  /** Wall-clock milliseconds. */
  readonly timeMs: number;
}

export const DEFAULT_FILTER_RUN_LIMITS: FilterRunLimits = { steps: 200_000, timeMs: 50 };

/** Thrown inside an evaluation that ran out of budget; never escapes meteredRun. */
class OutOfBudget extends Error {}

interface Meter {
  steps: number;
  readonly limit: number;
  readonly deadline: number;
  readonly timeMs: number;
  sinceClock: number;
  exceeded?: string;
}

/** Steps between two looks at the clock. */
const CLOCK_EVERY = 256;
const PRODUCING = new Set(['+', 'call', 'rcall']);

/** The evaluation in progress: cel-js evaluates synchronously, so there is at most one. */
let current: Meter | undefined;

function charge(steps: number): void {
  const meter = current;
  if (!meter) return;
  if (meter.exceeded) throw new OutOfBudget(meter.exceeded);
  meter.steps += steps;
  if (meter.steps > meter.limit) {
    meter.exceeded = `used more than its budget of ${meter.limit} steps`;
    throw new OutOfBudget(meter.exceeded);
  }
  if (++meter.sinceClock >= CLOCK_EVERY) {
    meter.sinceClock = 0;
    if (performance.now() > meter.deadline) {
      meter.exceeded = `ran longer than its budget of ${meter.timeMs} ms`;
      throw new OutOfBudget(meter.exceeded);
    }
  }
}

function producedLength(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value) || value instanceof Uint8Array) return value.length;
  return 0;
}

interface MeteredNode {
  readonly op: string;
  readonly args: unknown;
  readonly meta: { alternate?: MeteredNode; macro?: { evaluate: Evaluate; val?: unknown; exp?: unknown; args?: unknown }; evaluate: Evaluate };
  evaluate: Evaluate;
}
type Evaluate = (this: unknown, ev: unknown, ast: unknown, ctx: unknown) => unknown;

/** Every AST node reachable from `root`: operands, macro expansions and rewritten nodes. */
function reachableNodes(root: ASTNode): MeteredNode[] {
  const NodeClass = root.constructor;
  const seen = new Set<MeteredNode>();
  const stack: unknown[] = [root];
  const isNode = (v: unknown): v is MeteredNode => v instanceof NodeClass;
  while (stack.length > 0) {
    const next = stack.pop();
    if (Array.isArray(next)) {
      stack.push(...next);
      continue;
    }
    if (!isNode(next) || seen.has(next)) continue;
    seen.add(next);
    const { args, meta } = next;
    if (next.op === 'comprehension') {
      const c = args as { iterable: unknown; init: unknown; step: unknown };
      stack.push(c.iterable, c.init, c.step);
    } else if (Array.isArray(args) || isNode(args)) stack.push(args);
    if (meta.alternate) stack.push(meta.alternate);
    if (meta.macro) stack.push(meta.macro.val, meta.macro.exp, meta.macro.args);
  }
  return [...seen];
}

/** Wraps every node of a checked program so that its evaluations are metered. Call once per program. */
export function instrumentProgram(root: ASTNode): void {
  for (const node of reachableNodes(root)) {
    const produces = PRODUCING.has(node.op);
    node.evaluate = function metered(ev, ast, ctx) {
      charge(1);
      const meta = node.meta;
      let value: unknown;
      if (meta.alternate) value = meta.alternate.evaluate(ev, meta.alternate, ctx);
      else if (meta.macro) value = meta.macro.evaluate(ev, meta.macro, ctx);
      else value = meta.evaluate.call(node, ev, ast, ctx);
      if (produces) {
        const units = Math.floor(producedLength(value) / FILTER_RESULT_UNIT);
        if (units > 0) charge(units);
      }
      return value;
    };
  }
}

export type MeteredOutcome<T> = { readonly value: T; readonly steps: number } | { readonly exceeded: string; readonly steps: number };

/**
 * Runs `evaluate` (an instrumented program's evaluation) within `limits`. Once the budget is
 * used, every further node throws at once, so loops still open end after one cheap pass; a value
 * produced despite that (CEL's `||` absorbs errors) is discarded.
 */
export function meteredRun<T>(limits: FilterRunLimits, evaluate: () => T): MeteredOutcome<T> {
  const outer = current;
  const meter: Meter = { steps: 0, limit: limits.steps, deadline: performance.now() + limits.timeMs, timeMs: limits.timeMs, sinceClock: 0 };
  current = meter;
  try {
    const value = evaluate();
    if (meter.exceeded) return { exceeded: meter.exceeded, steps: meter.steps };
    return { value, steps: meter.steps };
  } catch (e) {
    if (meter.exceeded) return { exceeded: meter.exceeded, steps: meter.steps };
    throw e;
  } finally {
    current = outer;
  }
}
