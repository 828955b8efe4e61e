import { describe, expect, it } from 'vitest';
import { WriteGroup } from './delivery-outcomes.repository';

describe('WriteGroup', () => {
  it('writes a lone row at once, and rows added during a write together in the next one', async () => {
    const writes: number[][] = [];
    let release: () => void = () => undefined;
    const group = new WriteGroup<number>(async (rows) => {
      writes.push([...rows]);
      if (writes.length === 1) await new Promise<void>((r) => (release = r));
    }, 3);
    const first = group.add(1);
    const rest = [2, 3, 4, 5].map((n) => group.add(n));
    expect(writes).toEqual([[1]]); // the others wait for the write in flight
    release();
    await Promise.all([first, ...rest]);
    expect(writes).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('a failed write rejects exactly its rows; the next write goes on', async () => {
    const group = new WriteGroup<number>(async (rows) => {
      if (rows.includes(2)) throw new Error('deadlock detected');
    }, 10);
    const results = await Promise.allSettled([group.add(1), group.add(2), group.add(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    await expect(group.add(4)).resolves.toBeUndefined();
  });
});
