import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogueEntry, EventTypes } from '@rabt/contracts';
import { compileFilter, evaluateFilter, evaluateFilterMetered } from './cel-filter';
import { DEFAULT_FILTER_COST_LIMITS, estimateFilterCost, formatCost, type FilterCostLimits } from './filter-cost';
import { SubscriptionException, SubscriptionExceptionCode } from './subscription.exception';

const REPORTED = catalogueEntry(EventTypes.MomEmployeeLeftWorkReported);
const TEN = '[0,1,2,3,4,5,6,7,8,9]';
const VARS = 'abcdefghijklmnopqrstuvwxyz';

/** `depth` nested `[0,…,9].all(x, …)` around `x >= 0`: about 10^depth steps. */
const nestedAll = (depth: number): string => {
  let inner = 'a >= 0';
  for (let i = depth - 1; i >= 0; i--) inner = `${TEN}.all(${VARS[i]}, ${inner})`;
  return inner;
};

const cost = (source: string) => compileFilter(source, undefined, { cost: false }).estimate.cost;
const estimateOf = (source: string, limits: FilterCostLimits = DEFAULT_FILTER_COST_LIMITS) => estimateFilterCost(compileFilter(source, undefined, { cost: false }).program.ast, limits);

function refusal(source: string): string {
  try {
    compileFilter(source, REPORTED);
  } catch (e) {
    expect(e).toBeInstanceOf(SubscriptionException);
    expect((e as SubscriptionException).code).toBe(SubscriptionExceptionCode.INVALID_FILTER);
    return (e as SubscriptionException).message;
  }
  throw new Error(`expected ${source} to be refused`);
}

describe('the static cost estimate refuses filter bombs at creation', () => {
  it('14 nested [0..9].all(x, …): refused, naming the estimate, the budget and the nesting', () => {
    const bomb = nestedAll(14);
    expect(bomb.length).toBeGreaterThan(400);
    expect(refusal(bomb)).toMatch(/^invalid filter: estimated cost \d(\.\d)?e14 exceeds budget 1e5: comprehensions nested 14 deep over lists of up to 10 items$/);
  });

  it.each([
    ['nested map and filter', `${TEN}.map(a, ${TEN}.map(b, ${TEN}.filter(c, ${TEN}.exists(d, ${TEN}.exists(e, a + b + c + d + e == 45))))).size() > 0`],
    ['exists_one nested over event data', 'data.reportId.split("").exists_one(a, data.reportId.split("").exists(b, a == b))'],
    ['a string doubled by cel.bind', 'cel.bind(a, data.reportId, cel.bind(b, a + a, cel.bind(c, b + b, cel.bind(d, c + c, cel.bind(e, d + d, cel.bind(f, e + e, cel.bind(g, f + f, cel.bind(h, g + g, cel.bind(i, h + h, cel.bind(j, i + i, j.contains("y")))))))))))'],
    ['a huge string built by join', `${TEN}.map(a, ${TEN}.map(b, ${TEN}.map(c, ${TEN}.map(d, data.reportId)))).map(x, x.map(y, y.map(z, z.join()).join()).join()).join().size() > 0`],
  ])('%s: refused with the estimate', (_, source) => {
    expect(refusal(source)).toMatch(/^invalid filter: estimated cost \S+ exceeds budget 1e5: /);
  });

  it('regular expressions stay refused (backtracking)', () => {
    expect(refusal('data.reportId.matches("^(a+)+$")')).toMatch(/regular expressions are not allowed/);
  });

  it('realistic filters are far within the budget', () => {
    for (const source of [
      'data.reason == "ABSCONDED"',
      'data.reason in ["ABSCONDED", "CONTRACT_ENDED"] && event.subject.startsWith("LWR-")',
      'has(data.passportNumber) && data.passportNumber != null && data.workerLastKnownAddress.governorate == "Muscat"',
      '[1, 2, 3].exists(x, x == 2)',
    ]) {
      expect(compileFilter(source, REPORTED).estimate.cost, source).toBeLessThan(1_000);
    }
  });

  it('one comprehension over event data costs about the data bound, and the bound is configurable', () => {
    const source = 'data.items.exists(i, i.code == "X")';
    expect(cost(source)).toBeGreaterThan(DEFAULT_FILTER_COST_LIMITS.listBound * 5);
    expect(cost(source)).toBeLessThan(DEFAULT_FILTER_COST_LIMITS.listBound * 20);
    expect(estimateOf(source, { ...DEFAULT_FILTER_COST_LIMITS, listBound: 10 }).cost).toBeLessThan(200);
    expect(() => compileFilter(source, undefined, { cost: { ...DEFAULT_FILTER_COST_LIMITS, listBound: 1_000_000 } })).toThrow(/exceeds budget 1e5: a comprehension over a list of up to 1000000 items/);
  });

  it('formats costs for reading', () => {
    expect([12, 4_500.2, 100_000, 1.1e14, Infinity].map(formatCost)).toEqual(['12', '4501', '1e5', '1.1e14', 'unbounded']);
  });
});

describe('the estimate (properties)', () => {
  it('grows with every level of nesting, by about the list size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 13 }), (depth) => {
        const [shallow, deep] = [cost(nestedAll(depth)), cost(nestedAll(depth + 1))];
        expect(deep).toBeGreaterThan(shallow * 10);
      }),
    );
  });

  it('grows with the data bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), (a, b) => {
        const source = 'data.items.exists(i, i.tags.exists(t, t == "x"))';
        const [low, high] = [Math.min(a, b), Math.max(a, b)];
        expect(estimateOf(source, { ...DEFAULT_FILTER_COST_LIMITS, listBound: low }).cost).toBeLessThanOrEqual(estimateOf(source, { ...DEFAULT_FILTER_COST_LIMITS, listBound: high }).cost);
      }),
    );
  });

  // Generated filters over `data.items` (a list of strings) and literal lists; generated events
  // whose lists and strings are within the bounds. Whatever the estimate accepts runs within it.
  const LIMITS: FilterCostLimits = { budget: 20_000, listBound: 8, stringBound: 12 };
  const list = fc.oneof(fc.constant('data.items'), fc.integer({ min: 0, max: 12 }).map((n) => `[${Array.from({ length: n }, (_, i) => i).join(', ')}]`));
  const condition = (vars: readonly string[]): fc.Arbitrary<string> =>
    fc.oneof(
      fc.constant('true'),
      fc.constant('data.name.contains("a")'),
      fc.constant('data.name + data.name == "ab"'),
      fc.constant('data.items.size() > 2'),
      ...(vars.length > 0 ? [fc.constantFrom(...vars).map((v) => `string(${v}).size() > 0`)] : []),
    );
  const filter: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
    f: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      condition([]),
      fc.tuple(tie('f'), tie('f')).map(([a, b]) => `(${a}) && (${b})`),
      fc.tuple(tie('f'), tie('f')).map(([a, b]) => `(${a}) || !(${b})`),
      fc.tuple(list, fc.constantFrom('all', 'exists', 'exists_one'), fc.constantFrom(...VARS.slice(0, 6)), tie('f')).map(([l, q, v, body]) => `${l}.${q}(${v}, ${body} || string(${v}) == "")`),
      fc.tuple(list, fc.constantFrom(...VARS.slice(0, 6)), tie('f')).map(([l, v, body]) => `${l}.filter(${v}, ${body}).size() >= 0`),
      fc.tuple(list, fc.constantFrom(...VARS.slice(0, 6))).map(([l, v]) => `${l}.map(${v}, string(${v}) + "x").join().size() >= 0`),
    ),
  })).f;
  const data = fc.record({
    items: fc.array(fc.string({ maxLength: LIMITS.stringBound }), { maxLength: LIMITS.listBound }),
    name: fc.string({ maxLength: LIMITS.stringBound / 2 }),
  });

  it('every accepted filter evaluates within the step budget on events within the bounds', () => {
    let accepted = 0;
    fc.assert(
      fc.property(filter, data, (source, d) => {
        let compiled;
        try {
          compiled = compileFilter(source, undefined, { cost: LIMITS });
        } catch (e) {
          expect((e as SubscriptionException).code).toBe(SubscriptionExceptionCode.INVALID_FILTER);
          return;
        }
        accepted++;
        const { result, steps } = evaluateFilterMetered(compiled, { event: {}, data: d }, { steps: LIMITS.budget, timeMs: 60_000 });
        expect(result, source).not.toMatchObject({ outOfBudget: true });
        expect(steps, source).toBeLessThanOrEqual(compiled.estimate.cost);
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(30);
  });
});

describe('the run-time budget stops an evaluation that slipped through', () => {
  it('a stored 14-deep bomb stops after its step budget, promptly, as no match', () => {
    const bomb = compileFilter(nestedAll(14), undefined, { cost: false });
    const started = performance.now();
    const { result, steps } = evaluateFilterMetered(bomb, { event: {}, data: {} }, { steps: 100_000, timeMs: 10_000 });
    expect(result).toEqual({ matches: false, error: 'the filter used more than its budget of 100000 steps', outOfBudget: true });
    expect(steps).toBeLessThan(100_100);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('a time budget stops it too', () => {
    const bomb = compileFilter(nestedAll(14), undefined, { cost: false });
    const started = performance.now();
    expect(evaluateFilter(bomb, { event: {}, data: {} }, { steps: Number.MAX_SAFE_INTEGER, timeMs: 30 })).toEqual({ matches: false, error: 'the filter ran longer than its budget of 30 ms', outOfBudget: true });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('an error absorbed by || does not turn a stopped evaluation into a match', () => {
    const filter = compileFilter(`${nestedAll(8)} || true`, undefined, { cost: false });
    expect(evaluateFilter(filter, { event: {}, data: {} }, { steps: 1_000, timeMs: 10_000 })).toMatchObject({ matches: false, outOfBudget: true });
  });

  it('a string built by doubling is charged by its length', () => {
    const doubling = compileFilter('cel.bind(a, "xxxxxxxxxxxxxxxx", cel.bind(b, a + a, cel.bind(c, b + b, cel.bind(d, c + c, cel.bind(e, d + d, cel.bind(f, e + e, cel.bind(g, f + f, g.size() > 0)))))))', undefined, { cost: false });
    expect(doubling.estimate.cost).toBeGreaterThan(2 * 1024 / 16);
    const { steps } = evaluateFilterMetered(doubling, { event: {}, data: {} });
    expect(steps).toBeGreaterThan(2 * 1024 / 16);
    expect(steps).toBeLessThanOrEqual(doubling.estimate.cost);
  });

  it('the meter counts every node: a comprehension over ten items takes more than ten steps', () => {
    const { result, steps } = evaluateFilterMetered(compileFilter(`${TEN}.all(a, a >= 0)`), { event: {}, data: {} });
    expect(result).toEqual({ matches: true });
    expect(steps).toBeGreaterThan(40);
  });
});
