import * as avro from 'avsc';
import { describe, expect, it, vi } from 'vitest';
import { AvroSerde, keptUnlessFailed, SchemaRegistryUnavailableError } from './avro.serde';

/** An AvroSerde whose registry client answers from `lookup` (no HTTP: a pure unit test of the caching). */
function serdeWith(lookup: () => Promise<number>, latestCacheMs = 30_000) {
  const serde = new AvroSerde({ url: 'http://registry.invalid', latestCacheMs });
  const getLatestSchemaId = vi.fn(lookup);
  (serde.registry as unknown as { getLatestSchemaId: typeof getLatestSchemaId }).getLatestSchemaId = getLatestSchemaId;
  return { serde, getLatestSchemaId };
}

describe('AvroSerde.latestId', () => {
  it('shares one registry lookup among callers that miss the cache at the same time', async () => {
    const { serde, getLatestSchemaId } = serdeWith(() => new Promise((resolve) => setTimeout(() => resolve(7), 10)));
    const ids = await Promise.all(Array.from({ length: 100 }, () => serde.latestId('mom.employee.left-work-reported')));
    expect(ids).toEqual(Array(100).fill(7));
    expect(getLatestSchemaId).toHaveBeenCalledTimes(1);
    expect(await serde.latestId('mom.employee.left-work-reported')).toBe(7);
    expect(getLatestSchemaId).toHaveBeenCalledTimes(1); // cached
  });

  it('asks again once the cached id expired', async () => {
    vi.useFakeTimers();
    try {
      let next = 1;
      const { serde, getLatestSchemaId } = serdeWith(async () => next++, 1_000);
      expect(await serde.latestId('s')).toBe(1);
      vi.advanceTimersByTime(999);
      expect(await serde.latestId('s')).toBe(1);
      vi.advanceTimersByTime(2);
      expect(await serde.latestId('s')).toBe(2);
      expect(getLatestSchemaId).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not keep a failed lookup: every waiting caller gets the error, the next one asks again', async () => {
    let fail = true;
    const { serde, getLatestSchemaId } = serdeWith(async () => {
      if (fail) throw new Error('connect ECONNREFUSED');
      return 9;
    });
    const waiting = await Promise.allSettled([serde.latestId('s'), serde.latestId('s')]);
    expect(waiting.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((waiting[0] as PromiseRejectedResult).reason).toBeInstanceOf(SchemaRegistryUnavailableError);
    expect(getLatestSchemaId).toHaveBeenCalledTimes(1);
    fail = false;
    expect(await serde.latestId('s')).toBe(9);
    expect(getLatestSchemaId).toHaveBeenCalledTimes(2);
  });
});

describe('keptUnlessFailed', () => {
  it('loads once for concurrent callers, keeps the value, and drops a failed load', async () => {
    const cache = new Map<string, Promise<number>>();
    let calls = 0;
    const failing = () => keptUnlessFailed(cache, 'k', async () => {
      calls++;
      throw new Error('refused');
    });
    expect((await Promise.allSettled([failing(), failing()])).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    expect(cache.has('k')).toBe(false);
    const load = vi.fn(async () => 5);
    expect(await Promise.all([keptUnlessFailed(cache, 'k', load), keptUnlessFailed(cache, 'k', load)])).toEqual([5, 5]);
    expect(await keptUnlessFailed(cache, 'k', load)).toBe(5);
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe('enum symbols and union branches are own names only (patches/avsc+5.7.9.patch)', () => {
  const schema = {
    type: 'record',
    name: 'Report',
    fields: [
      { name: 'reason', type: { type: 'enum', name: 'Reason', symbols: ['ABSCONDED', 'RESIGNED', 'OTHER'], default: 'OTHER' } },
      { name: 'note', type: ['null', 'string'], default: null },
    ],
  };
  /** An AvroSerde whose registry answers `schema` for every id (no HTTP). */
  function serdeOf(): AvroSerde {
    const serde = new AvroSerde({ url: 'http://registry.invalid', latestCacheMs: 30_000 });
    (serde.registry as unknown as { getSchema: () => Promise<avro.Type> }).getSchema = async () => avro.Type.forSchema(schema as avro.Schema);
    return serde;
  }
  const inherited = Object.getOwnPropertyNames(Object.prototype); // constructor, __proto__, toString, valueOf, …

  it.each(inherited)('refuses %s as an enum value, and will not encode it', async (name) => {
    const serde = serdeOf();
    expect(await serde.validate(1, { reason: name, note: null })).toEqual([expect.objectContaining({ path: 'reason' })]);
    await expect(serde.encode(1, { reason: name, note: null })).rejects.toThrow(/invalid/);
  });

  it('still takes and round-trips every declared symbol', async () => {
    const serde = serdeOf();
    for (const reason of ['ABSCONDED', 'RESIGNED', 'OTHER']) {
      expect(await serde.validate(1, { reason, note: 'x' })).toEqual([]);
      const frame = await serde.encode(1, { reason, note: 'x' });
      expect(avro.Type.forSchema(schema as avro.Schema).fromBuffer(frame.subarray(5))).toEqual({ reason, note: 'x' });
    }
  });

  it('a wrapped union takes no inherited name as a branch', () => {
    const union = avro.Type.forSchema(['null', 'int', 'string'] as avro.Schema, { wrapUnions: true });
    expect(union.isValid({ int: 1 })).toBe(true);
    for (const name of inherited) expect(union.isValid({ [name]: 1 }), name).toBe(false);
  });
});

describe('validation errors preview what was sent, within bounds', () => {
  const schema = { type: 'record', name: 'Report', fields: [{ name: 'note', type: 'int' }] };
  function serdeOf(): AvroSerde {
    const serde = new AvroSerde({ url: 'http://registry.invalid', latestCacheMs: 30_000 });
    (serde.registry as unknown as { getSchema: () => Promise<avro.Type> }).getSchema = async () => avro.Type.forSchema(schema as avro.Schema);
    return serde;
  }
  const nested = (depth: number): unknown => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
    return value;
  };

  it.each([
    ['nested 100,000 levels deep', nested(100_000)],
    ['an array of a million items', Array.from({ length: 1_000_000 }, (_, i) => i)],
    ['a string of 10 MB', 'x'.repeat(10_000_000)],
    ['an object of 100,000 keys', Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]))],
  ])('a wrong value %s is reported at its path with a preview of at most 80 characters', async (_, note) => {
    const started = performance.now();
    const errors = await serdeOf().validate(1, { note });
    expect(errors).toEqual([expect.objectContaining({ path: 'note', expected: 'int' })]);
    expect(errors[0]!.got.length).toBeLessThanOrEqual(81);
    expect(errors[0]!.got.length).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('previews small values exactly as JSON', async () => {
    const errors = await serdeOf().validate(1, { note: { a: [1, 'two', null, true] } });
    expect(errors[0]!.got).toBe('{"a":[1,"two",null,true]}');
  });
});
