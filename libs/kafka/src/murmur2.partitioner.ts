/**
 * The Java client's murmur2 hash of a key, in 32-bit integer arithmetic (Math.imul), as in
 * `org.apache.kafka.common.utils.Utils.murmur2`: linear in the key's length. kafkajs' own
 * murmur2 computes on unbounded BigInt-backed longs whose size grows with every 4 bytes of key,
 * so its time is quadratic: a 360 KB key took 82 s, blocking the event loop.
 */
export function murmur2(key: Buffer): number {
  const m = 0x5bd1e995;
  const length = key.length;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (key[i4]! & 0xff) + ((key[i4 + 1]! & 0xff) << 8) + ((key[i4 + 2]! & 0xff) << 16) + ((key[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest >= 3) h ^= (key[tail + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (key[tail + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= key[tail]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition the Java client (and kafkajs' default partitioner) picks for a keyed record. */
export function partitionForKey(key: string | Buffer, partitions: number): number {
  return (murmur2(Buffer.isBuffer(key) ? key : Buffer.from(key)) & 0x7fffffff) % partitions;
}
