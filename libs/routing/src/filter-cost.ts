// A static, worst-case cost estimate of a subscription filter, over the parsed CEL AST. CEL always
// terminates, but nested comprehensions multiply: 14 nested `[0,…,9].all(x, …)` take 10^14 steps.
// The unit is the step the router's run-time meter counts (one evaluated AST node, plus one per
// FILTER_RESULT_UNIT characters or items a `+` or a function call produces), so a filter whose
// estimate is within the budget also runs within it, as long as the event's lists and strings are
// within the bounds assumed here.
import type { ASTNode } from '@marcbachmann/cel-js';

/** Characters or items of a produced string or list that count as one step (here and at run time). */
export const FILTER_RESULT_UNIT = 16;
/** Characters or items a string function scans per step (natively, so far cheaper than producing). */
export const FILTER_SCAN_UNIT = 256;

/** The budget and what the estimate assumes of data it cannot see. */
export interface FilterCostLimits {
  /** Highest estimated cost accepted. */
  readonly budget: number;
  /** Assumed most items of a list or entries of a map in the event's data (Avro arrays and maps have no maximum). */
  readonly listBound: number;
  /** Assumed longest string in the event's data or attributes, in characters. */
  readonly stringBound: number;
}

/** The defaults of RABT_FILTER_COST_BUDGET, RABT_FILTER_LIST_BOUND and RABT_FILTER_STRING_BOUND. */
export const DEFAULT_FILTER_COST_LIMITS: FilterCostLimits = { budget: 100_000, listBound: 1_000, stringBound: 10_000 };

export interface FilterCostEstimate {
  /** Worst-case steps (may be Infinity). */
  readonly cost: number;
  /** Deepest nesting of comprehensions (all, exists, exists_one, map, filter). */
  readonly nesting: number;
  /** Most items a comprehension may iterate over. */
  readonly widestList: number;
  /** Longest string or list the filter may build, in characters or items. */
  readonly longestBuilt: number;
}

/**
 * An upper bound on a value's size: characters, bytes, items or entries; `items`, when given, is
 * the bound when iterated (data may be a long string or a shorter list); `elem`: its items' or
 * values' size.
 */
interface Size {
  readonly len: number;
  readonly items?: number;
  readonly elem?: Size;
}

interface Estimate {
  readonly cost: number;
  readonly size: Size;
}

const SCALAR: Size = { len: 0 };
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
/** Functions whose result is a bool or a number, whatever they are given. */
const SCALAR_RESULT = new Set(['size', 'contains', 'startsWith', 'endsWith', 'indexOf', 'lastIndexOf', 'matches', 'int', 'uint', 'double', 'bool', 'at', 'has']);

/** The larger of two sizes, item by item. */
function larger(a: Size | undefined, b: Size | undefined, depth = 0): Size | undefined {
  if (!a) return b;
  if (!b || a === b) return a;
  // Data sizes refer to themselves; 8 levels of element sizes are plenty for any comparison made here.
  if (depth > 8) return a.len >= b.len ? a : b;
  const elem = larger(a.elem, b.elem, depth + 1);
  const items = a.items === undefined && b.items === undefined ? undefined : Math.max(a.items ?? a.len, b.items ?? b.len);
  return { len: Math.max(a.len, b.len), ...(items === undefined ? {} : { items }), ...(elem ? { elem } : {}) };
}

function dataSize(limits: FilterCostLimits): Size {
  const size: { len: number; items: number; elem?: Size } = { len: Math.max(limits.listBound, limits.stringBound), items: limits.listBound };
  size.elem = size; // data nests arbitrarily: every level has the same bounds
  return size;
}

class Estimator {
  readonly data: Size;
  readonly event: Size;
  nesting = 0;
  widestList = 0;
  longestBuilt = 0;

  constructor(private readonly limits: FilterCostLimits) {
    this.data = dataSize(limits);
    this.event = { len: 6, elem: { len: limits.stringBound } };
  }

  private built(size: Size): Size {
    this.longestBuilt = Math.max(this.longestBuilt, size.len);
    return size;
  }

  estimate(node: ASTNode, scope: ReadonlyMap<string, Size>, depth: number): Estimate {
    const e = (n: ASTNode, s: ReadonlyMap<string, Size> = scope, d = depth) => this.estimate(n, s, d);
    switch (node.op) {
      case 'value': {
        const v = node.args;
        return { cost: 1, size: typeof v === 'string' || v instanceof Uint8Array ? { len: v.length } : SCALAR };
      }
      case 'id':
        return { cost: 1, size: scope.get(node.args) ?? (node.args === 'data' ? this.data : node.args === 'event' ? this.event : SCALAR) };
      case '.':
      case '.?': {
        const receiver = e(node.args[0]);
        return { cost: 1 + receiver.cost, size: receiver.size.elem ?? SCALAR };
      }
      case '[]':
      case '[?]': {
        const [receiver, index] = [e(node.args[0]), e(node.args[1])];
        return { cost: 1 + receiver.cost + index.cost, size: receiver.size.elem ?? SCALAR };
      }
      case 'list': {
        const items = node.args.map((n) => e(n));
        const elem = items.reduce<Size | undefined>((m, i) => larger(m, i.size), undefined);
        return { cost: 1 + sum(items.map((i) => i.cost)), size: { len: items.length, ...(elem ? { elem } : {}) } };
      }
      case 'map': {
        const entries = node.args.map(([k, v]) => [e(k), e(v)] as const);
        const elem = entries.reduce<Size | undefined>((m, [, v]) => larger(m, v.size), undefined);
        return { cost: 1 + sum(entries.map(([k, v]) => k.cost + v.cost)), size: { len: entries.length, ...(elem ? { elem } : {}) } };
      }
      case '?:': {
        const [c, a, b] = node.args.map((n) => e(n)) as [Estimate, Estimate, Estimate];
        return { cost: 1 + c.cost + Math.max(a.cost, b.cost), size: larger(a.size, b.size) ?? SCALAR };
      }
      case '&&':
      case '||': {
        const [a, b] = [e(node.args[0]), e(node.args[1])];
        return { cost: 1 + a.cost + b.cost, size: SCALAR };
      }
      case '!_':
      case '-_': {
        const a = e(node.args);
        return { cost: 1 + a.cost, size: SCALAR };
      }
      case '+': {
        const [a, b] = [e(node.args[0]), e(node.args[1])];
        const elem = larger(a.size.elem, b.size.elem);
        const items = a.size.items === undefined && b.size.items === undefined ? undefined : (a.size.items ?? a.size.len) + (b.size.items ?? b.size.len);
        const size = this.built({ len: a.size.len + b.size.len, ...(items === undefined ? {} : { items }), ...(elem ? { elem } : {}) });
        return { cost: 1 + a.cost + b.cost + size.len / FILTER_RESULT_UNIT, size };
      }
      case 'in': {
        // A native scan of the list or map.
        const [a, b] = [e(node.args[0]), e(node.args[1])];
        return { cost: 1 + a.cost + b.cost + (b.size.items ?? b.size.len) / FILTER_SCAN_UNIT, size: SCALAR };
      }
      case 'call':
        return this.call(node.args[0], undefined, node.args[1], scope, depth);
      case 'rcall':
        return this.call(node.args[0], node.args[1], node.args[2], scope, depth);
      default: {
        // Other binary operators (== != - * / % < <= > >=) compare two values or act on numbers, natively.
        const [a, b] = (node.args as [ASTNode, ASTNode]).map((n) => e(n)) as [Estimate, Estimate];
        return { cost: 1 + a.cost + b.cost, size: SCALAR };
      }
    }
  }

  private call(name: string, receiverNode: ASTNode | undefined, argNodes: readonly ASTNode[], scope: ReadonlyMap<string, Size>, depth: number): Estimate {
    if (receiverNode && COMPREHENSIONS.has(name) && argNodes[0]?.op === 'id') return this.comprehension(name, receiverNode, argNodes, scope, depth);
    if (receiverNode?.op === 'id' && receiverNode.args === 'cel' && name === 'bind' && argNodes.length === 3 && argNodes[0]!.op === 'id') {
      const value = this.estimate(argNodes[1]!, scope, depth);
      const body = this.estimate(argNodes[2]!, new Map(scope).set(argNodes[0]!.args as string, value.size), depth);
      return { cost: 1 + value.cost + body.cost, size: body.size };
    }
    if (name === 'has' && !receiverNode) {
      const arg = argNodes[0] ? this.estimate(argNodes[0], scope, depth) : { cost: 0, size: SCALAR };
      return { cost: 1 + arg.cost, size: SCALAR };
    }
    const receiver = receiverNode ? this.estimate(receiverNode, scope, depth) : undefined;
    const args = argNodes.map((n) => this.estimate(n, scope, depth));
    const inputs = receiver ? [receiver, ...args] : args;
    const scanned = sum(inputs.map((i) => i.size.len));
    const cost = 1 + sum(inputs.map((i) => i.cost)) + scanned / FILTER_SCAN_UNIT;
    const size = this.resultSize(name, receiver?.size, args.map((a) => a.size));
    return { cost: cost + size.len / FILTER_RESULT_UNIT, size: size.len > 0 ? this.built(size) : size };
  }

  private resultSize(name: string, receiver: Size | undefined, args: readonly Size[]): Size {
    if (SCALAR_RESULT.has(name)) return SCALAR;
    const subject = receiver ?? args[0] ?? SCALAR;
    switch (name) {
      case 'split':
        return { len: subject.len + 1, elem: { len: subject.len } };
      case 'join': {
        const separator = (receiver ? args[0] : args[1])?.len ?? 0;
        return { len: subject.len * ((subject.elem?.len ?? 0) + separator) };
      }
      case 'hex':
        return { len: 2 * subject.len };
      case 'json':
        return { len: subject.len, elem: dataSize({ ...this.limits, listBound: subject.len, stringBound: subject.len }) };
      default:
        // Conversions and string functions (lowerAscii, trim, substring, string, bytes, dyn…)
        // give at most as much as they are given.
        return [receiver, ...args].reduce<Size | undefined>((m, s) => larger(m, s), undefined) ?? SCALAR;
    }
  }

  private comprehension(name: string, receiverNode: ASTNode, argNodes: readonly ASTNode[], scope: ReadonlyMap<string, Size>, depth: number): Estimate {
    const range = this.estimate(receiverNode, scope, depth);
    const items = range.size.items ?? range.size.len;
    this.widestList = Math.max(this.widestList, items);
    this.nesting = Math.max(this.nesting, depth + 1);
    const inner = new Map(scope).set(argNodes[0]!.args as string, range.size.elem ?? SCALAR);
    const steps = argNodes.slice(1).map((n) => this.estimate(n, inner, depth + 1));
    // Per item: the step's ternary, the value it falls back to, the push or count, then the step's own nodes.
    const perItem = 3 + sum(steps.map((s) => s.cost));
    const produces = name === 'map' || name === 'filter';
    const elem = name === 'map' ? steps[steps.length - 1]!.size : range.size.elem;
    const size: Size = produces ? this.built({ len: items, ...(elem ? { elem } : {}) }) : SCALAR;
    return { cost: 3 + range.cost + items * perItem + size.len / FILTER_RESULT_UNIT, size };
  }
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** The worst-case cost of evaluating `ast` once, with what drives it. */
export function estimateFilterCost(ast: ASTNode, limits: FilterCostLimits = DEFAULT_FILTER_COST_LIMITS): FilterCostEstimate {
  const estimator = new Estimator(limits);
  const { cost } = estimator.estimate(ast, new Map(), 0);
  return { cost, nesting: estimator.nesting, widestList: estimator.widestList, longestBuilt: estimator.longestBuilt };
}

/** 12, 4.5e3, 1e14: costs as a reader compares them. */
export function formatCost(n: number): string {
  if (!Number.isFinite(n)) return 'unbounded';
  if (n < 10_000) return String(Math.ceil(n));
  return n.toExponential(1).replace('.0e', 'e').replace('e+', 'e');
}

/** Why an estimate is over budget, for the INVALID_FILTER message; undefined when it is within. */
export function overBudget(estimate: FilterCostEstimate, limits: FilterCostLimits): string | undefined {
  if (estimate.cost <= limits.budget) return undefined;
  const reasons: string[] = [];
  if (estimate.nesting > 1) reasons.push(`comprehensions nested ${estimate.nesting} deep over lists of up to ${estimate.widestList} items`);
  else if (estimate.nesting === 1) reasons.push(`a comprehension over a list of up to ${estimate.widestList} items`);
  if (estimate.longestBuilt > limits.stringBound) reasons.push(`it builds strings or lists of up to ${formatCost(estimate.longestBuilt)} characters or items`);
  const why = reasons.length > 0 ? reasons.join('; ') : 'too many operations';
  return `estimated cost ${formatCost(estimate.cost)} exceeds budget ${formatCost(limits.budget)}: ${why}`;
}
