import { describe, expect, it } from 'vitest';
import { loadRouterConfig } from './router.config';

describe('router configuration', () => {
  it('works 8 partitions at once unless told otherwise', () => {
    expect(loadRouterConfig({}).values.router.partitionsConcurrently).toBe(8);
    expect(loadRouterConfig({ ROUTER_PARTITIONS_CONCURRENTLY: '1' }).values.router.partitionsConcurrently).toBe(1);
  });

  it.each(['0', '65', 'many', '2.5'])('refuses ROUTER_PARTITIONS_CONCURRENTLY=%s, naming it', (value) => {
    expect(() => loadRouterConfig({ ROUTER_PARTITIONS_CONCURRENTLY: value })).toThrow(/ROUTER_PARTITIONS_CONCURRENTLY/);
  });

  it('bounds each filter evaluation: 200000 steps and 50 ms, set aside for a minute, unless told otherwise', () => {
    expect(loadRouterConfig({}).values.router).toMatchObject({ filterRunLimits: { steps: 200_000, timeMs: 50 }, filterSetAsideMs: 60_000 });
    expect(loadRouterConfig({ ROUTER_FILTER_STEP_BUDGET: '1000', ROUTER_FILTER_TIME_BUDGET_MS: '5', ROUTER_FILTER_SET_ASIDE_MS: '10' }).values.router).toMatchObject({
      filterRunLimits: { steps: 1000, timeMs: 5 },
      filterSetAsideMs: 10,
    });
    expect(() => loadRouterConfig({ ROUTER_FILTER_TIME_BUDGET_MS: '5000' })).toThrow(/ROUTER_FILTER_TIME_BUDGET_MS/);
  });
});
