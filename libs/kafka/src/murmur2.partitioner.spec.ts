import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { partitionForKey } from './murmur2.partitioner';

const metadata = (count: number) => Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0, offlineReplicas: [] }));

describe('partitionForKey', () => {
  it('picks the same partition as kafkajs’ default (Java-compatible) partitioner for any key', () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 64 }), fc.string({ unit: 'grapheme', maxLength: 32 }), fc.stringMatching(/^\d{1,12}$/)), fc.integer({ min: 1, max: 64 }), (key, count) => {
        expect(partitionForKey(key, count)).toBe(kafkajs({ topic: 't', partitionMetadata: metadata(count), message: { key, value: null } }));
      }),
      { numRuns: 3_000 },
    );
  });

  it('hashes a 1 MB key in linear time', () => {
    const started = performance.now();
    partitionForKey('9'.repeat(1_000_000), 6);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
