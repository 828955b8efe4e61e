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
});
