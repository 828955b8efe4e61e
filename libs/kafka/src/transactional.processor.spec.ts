import { describe, expect, it } from 'vitest';
import { mergeParts, TransactionalProcessor, TransactionGroup, whileConcurrentTransaction, type TransactionPart } from './transactional.processor';

const part = (partition: number, nextOffset: string, ...keys: string[]): TransactionPart => ({
  topic: 'in',
  partition,
  nextOffset,
  records: keys.map((key) => ({ topic: 'out', key, value: Buffer.from(key) })),
});

/** A commit function whose transactions end when the test says so. */
function controlledCommits() {
  const transactions: { parts: readonly TransactionPart[]; end: (error?: Error) => void }[] = [];
  const commit = (parts: readonly TransactionPart[]) =>
    new Promise<void>((resolve, reject) => transactions.push({ parts, end: (error) => (error ? reject(error) : resolve()) }));
  return { transactions, commit };
}

const settled = async (p: Promise<void>) => {
  let state = 'pending';
  p.then(
    () => (state = 'committed'),
    (e: Error) => (state = `aborted: ${e.message}`),
  );
  await new Promise((r) => setImmediate(r));
  return state;
};

describe('TransactionGroup', () => {
  it('commits a lone part at once, in a transaction of its own', async () => {
    const { transactions, commit } = controlledCommits();
    const group = new TransactionGroup(commit);
    const done = group.commit(part(0, '5', 'a'));
    expect(transactions).toHaveLength(1);
    expect(transactions[0]!.parts).toEqual([part(0, '5', 'a')]);
    transactions[0]!.end();
    await expect(done).resolves.toBeUndefined();
  });

  it('gathers the parts that arrive while a transaction commits into the next one, which waits for it', async () => {
    const { transactions, commit } = controlledCommits();
    const group = new TransactionGroup(commit);
    const first = group.commit(part(0, '5', 'a'));
    const second = group.commit(part(1, '7', 'b'));
    const third = group.commit(part(2, '9', 'c', 'd'));
    expect(transactions).toHaveLength(1); // one open transaction at a time
    expect(await settled(second)).toBe('pending');
    transactions[0]!.end();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(transactions).toHaveLength(2);
    expect(transactions[1]!.parts.map((p) => p.partition)).toEqual([1, 2]);
    expect(await settled(third)).toBe('pending'); // not before its own transaction commits
    transactions[1]!.end();
    await expect(Promise.all([second, third])).resolves.toEqual([undefined, undefined]);
  });

  it('rejects every part of an aborted transaction, and only those; later parts commit', async () => {
    const { transactions, commit } = controlledCommits();
    const group = new TransactionGroup(commit);
    const first = group.commit(part(0, '5', 'a'));
    const second = group.commit(part(1, '7', 'b'));
    const third = group.commit(part(2, '9', 'c'));
    transactions[0]!.end();
    await first;
    await new Promise((r) => setImmediate(r));
    transactions[1]!.end(new Error('fenced'));
    await expect(second).rejects.toThrow('fenced');
    await expect(third).rejects.toThrow('fenced');
    const fourth = group.commit(part(1, '7', 'b'));
    await new Promise((r) => setImmediate(r));
    expect(transactions).toHaveLength(3);
    transactions[2]!.end();
    await expect(fourth).resolves.toBeUndefined();
  });
});

describe('mergeParts', () => {
  it('keeps one entry per partition, its records in order and the later offset', () => {
    const merged = mergeParts([part(0, '5', 'a'), part(1, '3', 'x'), part(0, '8', 'b', 'c')]);
    expect(merged.map((p) => [p.partition, p.nextOffset, p.records.map((r) => r.key)])).toEqual([
      [0, '8', ['a', 'b', 'c']],
      [1, '3', ['x']],
    ]);
  });
});

describe('whileConcurrentTransaction', () => {
  const concurrent = () => Object.assign(new Error('another operation on the same transaction was ongoing'), { type: 'CONCURRENT_TRANSACTIONS' });

  it('calls again while the coordinator answers CONCURRENT_TRANSACTIONS, then answers what the call does', async () => {
    let calls = 0;
    const answer = await whileConcurrentTransaction(async () => {
      calls++;
      if (calls < 3) throw concurrent();
      return 'sent';
    });
    expect([answer, calls]).toEqual(['sent', 3]);
  });

  it('passes any other error on at once, and gives up after its attempts', async () => {
    let calls = 0;
    await expect(
      whileConcurrentTransaction(async () => {
        calls++;
        throw Object.assign(new Error('fenced'), { type: 'INVALID_PRODUCER_EPOCH' });
      }),
    ).rejects.toThrow('fenced');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      whileConcurrentTransaction(async () => {
        calls++;
        throw concurrent();
      }, 3),
    ).rejects.toThrow('another operation');
    expect(calls).toBe(3);
  });

  it('recognises the error when kafkajs wraps it', async () => {
    let calls = 0;
    await whileConcurrentTransaction(async () => {
      if (++calls === 1) throw Object.assign(new Error('retries exceeded'), { originalError: concurrent() });
    });
    expect(calls).toBe(2);
  });
});

describe('TransactionalProcessor after a failed abort', () => {
  it('starts the next transaction on a new producer (same transactional id) instead of the stuck one', async () => {
    const made: { id: string; failing: boolean; disconnected: boolean; connected: boolean }[] = [];
    const fakeKafka = {
      consumer: () => ({}),
      producer: (config: { transactionalId: string }) => {
        const p = { id: config.transactionalId, failing: made.length === 0, disconnected: false, connected: false };
        made.push(p);
        return {
          connect: async () => void (p.connected = true),
          disconnect: async () => void (p.disconnected = true),
          transaction: async () => ({
            sendBatch: async () => {
              if (p.failing) throw new Error('broker away');
            },
            sendOffsets: async () => undefined,
            commit: async () => undefined,
            abort: async () => {
              if (p.failing) throw new Error('broker away'); // kafkajs is now stuck in ABORTING
            },
          }),
        };
      },
    };
    const processor = new TransactionalProcessor(fakeKafka as unknown as ConstructorParameters<typeof TransactionalProcessor>[0], {
      groupId: 'g',
      topics: ['in'],
      transactionalId: 'tx-1',
      process: async () => [],
    });
    const transact = (parts: TransactionPart[]) => (processor as unknown as { transact(p: TransactionPart[]): Promise<void> }).transact(parts);
    await expect(transact([part(0, '5', 'a')])).rejects.toThrow('broker away');
    expect(made).toHaveLength(1);
    await expect(transact([part(0, '5', 'a')])).resolves.toBeUndefined();
    expect(made.map((p) => [p.id, p.disconnected, p.connected])).toEqual([
      ['tx-1', true, false],
      ['tx-1', false, true],
    ]);
  });
});
