import { describe, expect, it } from 'vitest';
import { PrefetchQueues, type StartAnswer } from './prefetch.queues';

/** A start function that takes `slots[endpoint]` items per endpoint, then refuses. */
function slots(free: Record<string, number>, started: string[]) {
  return (endpoint: string, item: string): StartAnswer => {
    if ((free[endpoint] ?? 0) === 0) return 'refused';
    free[endpoint]!--;
    started.push(item);
    return 'started';
  };
}

describe('PrefetchQueues', () => {
  it('starts each endpoint’s claims in the order they were claimed, as slots allow', () => {
    const q = new PrefetchQueues<string>(4, 2);
    for (const item of ['a1', 'a2', 'a3']) q.add('https://a', item, 100);
    const started: string[] = [];
    expect(q.pump(10, slots({ 'https://a': 2 }, started))).toBe(2);
    expect(started).toEqual(['a1', 'a2']);
    expect(q.size('https://a')).toBe(1);
    expect(q.pump(10, slots({ 'https://a': 5 }, started))).toBe(1);
    expect(started).toEqual(['a1', 'a2', 'a3']);
    expect(q.total).toBe(0);
    expect(q.endpoints()).toEqual([]);
  });

  it('shares the in-flight budget round robin, so one endpoint’s queue cannot take it all', () => {
    const q = new PrefetchQueues<string>(8, 4);
    for (let i = 1; i <= 5; i++) q.add('https://busy', `b${i}`, 100);
    q.add('https://other', 'o1', 100);
    q.add('https://third', 't1', 100);
    const started: string[] = [];
    expect(q.pump(3, slots({ 'https://busy': 5, 'https://other': 5, 'https://third': 5 }, started))).toBe(3);
    expect(started).toEqual(['b1', 'o1', 't1']);
  });

  it('a refused endpoint is skipped in that pass while the others go on', () => {
    const q = new PrefetchQueues<string>(8, 4);
    q.add('https://failing', 'f1', 100);
    q.add('https://failing', 'f2', 100);
    q.add('https://ok', 'o1', 100);
    q.add('https://ok', 'o2', 100);
    const started: string[] = [];
    let offeredFailing = 0;
    const answer = (endpoint: string, item: string): StartAnswer => {
      if (endpoint === 'https://failing') {
        offeredFailing++;
        return 'refused';
      }
      started.push(item);
      return 'started';
    };
    expect(q.pump(10, answer)).toBe(2);
    expect(started).toEqual(['o1', 'o2']);
    expect(offeredFailing).toBe(1);
    expect(q.size('https://failing')).toBe(2);
  });

  it('lets the start function drain the endpoint it was offered (its circuit opened)', () => {
    const q = new PrefetchQueues<string>(8, 4);
    for (const item of ['f1', 'f2', 'f3']) q.add('https://failing', item, 100);
    q.add('https://ok', 'o1', 100);
    const drained: string[] = [];
    const started = q.pump(10, (endpoint, item) => {
      if (endpoint === 'https://failing') {
        drained.push(...q.drain(endpoint));
        return 'refused';
      }
      expect(item).toBe('o1');
      return 'started';
    });
    expect(started).toBe(1);
    expect(drained).toEqual(['f1', 'f2', 'f3']);
    expect(q.total).toBe(0);
  });

  it('gives out the claims past their deadline, and keeps the others in order', () => {
    const q = new PrefetchQueues<string>(8, 4);
    q.add('https://a', 'a-old', 10);
    q.add('https://a', 'a-new', 50);
    q.add('https://b', 'b-old', 20);
    expect(q.stale(30)).toEqual(['a-old', 'b-old']);
    expect(q.total).toBe(1);
    expect(q.stale(50)).toEqual([]); // the deadline itself is still in time
    expect(q.drainAll()).toEqual(['a-new']);
    expect(q.total).toBe(0);
  });

  it('has room for more claims only at or below the low-water mark', () => {
    const q = new PrefetchQueues<string>(4, 2);
    expect(q.room('https://a')).toBe(4);
    for (let i = 0; i < 3; i++) q.add('https://a', `a${i}`, 100);
    expect(q.room('https://a')).toBe(0); // 3 waiting, above the mark: no claim for one freed slot
    q.pump(1, () => 'started');
    expect(q.room('https://a')).toBe(2); // 2 waiting: topped up to 4
    expect(new PrefetchQueues<string>(0, 0).room('https://a')).toBe(0);
  });
});
