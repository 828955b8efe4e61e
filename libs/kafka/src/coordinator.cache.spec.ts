import { describe, expect, it } from 'vitest';
import { cacheKafkaCoordinators, memoizeCoordinatorLookups } from './coordinator.cache';

/** A stand-in for kafkajs' Cluster: counts FindCoordinator lookups. */
function fakeCluster() {
  class FakeCluster {
    lookups = 0;
    fail = false;
    async findGroupCoordinatorMetadata(args: { groupId: string; coordinatorType?: number }): Promise<unknown> {
      this.lookups++;
      if (this.fail) throw new Error('coordinator not available');
      return { coordinator: { nodeId: 1 }, groupId: args.groupId, lookup: this.lookups };
    }
  }
  return FakeCluster;
}

describe('memoizeCoordinatorLookups', () => {
  it('reuses a found coordinator within the TTL, per id and coordinator type, and looks again after it', async () => {
    const FakeCluster = fakeCluster();
    let clock = 0;
    memoizeCoordinatorLookups(FakeCluster.prototype, 1_000, () => clock);
    const c = new FakeCluster();
    await c.findGroupCoordinatorMetadata({ groupId: 'tx-1', coordinatorType: 1 });
    await c.findGroupCoordinatorMetadata({ groupId: 'tx-1', coordinatorType: 1 });
    expect(c.lookups).toBe(1);
    await c.findGroupCoordinatorMetadata({ groupId: 'tx-1', coordinatorType: 0 }); // the same name as a consumer group
    await c.findGroupCoordinatorMetadata({ groupId: 'tx-2', coordinatorType: 1 });
    expect(c.lookups).toBe(3);
    clock = 999;
    await c.findGroupCoordinatorMetadata({ groupId: 'tx-1', coordinatorType: 1 });
    expect(c.lookups).toBe(3);
    clock = 1_000;
    await c.findGroupCoordinatorMetadata({ groupId: 'tx-1', coordinatorType: 1 });
    expect(c.lookups).toBe(4);
  });

  it('keeps each client to its own lookups and never keeps a failed one', async () => {
    const FakeCluster = fakeCluster();
    memoizeCoordinatorLookups(FakeCluster.prototype, 60_000, () => 0);
    const [a, b] = [new FakeCluster(), new FakeCluster()];
    await a.findGroupCoordinatorMetadata({ groupId: 'g' });
    await b.findGroupCoordinatorMetadata({ groupId: 'g' });
    expect([a.lookups, b.lookups]).toEqual([1, 1]);
    const c = new FakeCluster();
    c.fail = true;
    await expect(c.findGroupCoordinatorMetadata({ groupId: 'g' })).rejects.toThrow('not available');
    c.fail = false;
    await c.findGroupCoordinatorMetadata({ groupId: 'g' });
    expect(c.lookups).toBe(2);
  });

  it('is installed once, however often it is asked', async () => {
    const FakeCluster = fakeCluster();
    memoizeCoordinatorLookups(FakeCluster.prototype, 60_000, () => 0);
    const wrapped = FakeCluster.prototype.findGroupCoordinatorMetadata;
    memoizeCoordinatorLookups(FakeCluster.prototype, 60_000, () => 0);
    expect(FakeCluster.prototype.findGroupCoordinatorMetadata).toBe(wrapped);
  });

  it('finds kafkajs\' own Cluster to install on', () => {
    expect(() => cacheKafkaCoordinators()).not.toThrow();
  });
});
