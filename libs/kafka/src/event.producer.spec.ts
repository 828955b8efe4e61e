import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRequests, recordBytes } from './event.producer';

// kafkajs' own v2 record encoder: what goes on the wire for one record.
const encodeRecord = createRequire(__filename)('kafkajs/src/protocol/recordBatch/record/v0') as (r: {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer;
  headers: Record<string, string>;
}) => { buffer: Buffer };

describe('recordBytes', () => {
  it('is never less than the record as kafkajs encodes it', () => {
    const headers = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 300 }), { maxKeys: 12 });
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 200 })), fc.uint8Array({ maxLength: 5_000 }), headers, fc.integer({ min: 0, max: 499 }), (key, value, h, offsetDelta) => {
        const message = { key, value: Buffer.from(value), headers: h };
        const encoded = encodeRecord({ offsetDelta, timestampDelta: 2 ** 40, key: key === null ? null : Buffer.from(key), value: message.value, headers: h }).buffer;
        expect(recordBytes(message)).toBeGreaterThanOrEqual(encoded.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('planRequests', () => {
  const record = fc.record({ topic: fc.constantFrom('a', 'b'), message: fc.record({ partition: fc.integer({ min: 0, max: 3 }) }), bytes: fc.integer({ min: 1, max: 700 }) });

  it('keeps every record once, in order, and each partition share and each request within its limits', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 60 }), fc.integer({ min: 700, max: 2_000 }), fc.integer({ min: 700, max: 5_000 }), (records, batchLimit, requestLimit) => {
        const indexed = records.map((r, index) => ({ ...r, index }));
        const requests = planRequests(indexed, () => batchLimit, requestLimit);
        expect(requests.flat().map((r) => r.index)).toEqual(indexed.map((r) => r.index));
        for (const request of requests) {
          expect(request.length).toBeGreaterThan(0);
          if (request.length > 1) expect(request.reduce((n, r) => n + r.bytes, 0)).toBeLessThanOrEqual(requestLimit);
          const perPartition = new Map<string, number>();
          for (const r of request) perPartition.set(`${r.topic}/${r.message.partition}`, (perPartition.get(`${r.topic}/${r.message.partition}`) ?? 0) + r.bytes);
          for (const bytes of perPartition.values()) expect(bytes).toBeLessThanOrEqual(batchLimit);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
