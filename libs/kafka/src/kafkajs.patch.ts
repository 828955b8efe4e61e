// patches/kafkajs+2.2.4.patch (applied by patch-package at `npm ci`) makes kafkajs drop every
// record of an aborted transaction: it orders the broker's list of aborted transactions by first
// offset and steps into all of them that a fetch starts inside. Without it a read_committed
// consumer can see aborted records. `npm ci --ignore-scripts` skips the patch without a word;
// this probe finds out from kafkajs's behaviour whether the patch is in place.
// A reference, not an import: the ambient module types must reach every project that compiles this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./kafkajs-internals.d.ts" />
import filterAbortedMessages from 'kafkajs/src/consumer/filterAbortedMessages';

export const KAFKAJS_PATCH = 'patches/kafkajs+2.2.4.patch';

export type AbortedMessageFilter = typeof filterAbortedMessages;

/**
 * True when a fetch that starts after the first offsets of two aborted transactions, listed by
 * the broker out of offset order, keeps none of their records.
 */
export function kafkajsPatchApplied(filter: AbortedMessageFilter = filterAbortedMessages): boolean {
  const record = (offset: string, producerId: string) => ({ offset, key: Buffer.from('k'), batchContext: { producerId, inTransaction: true } });
  const kept = filter({
    messages: [record('5', '1'), record('6', '2')],
    abortedTransactions: [
      { producerId: '2', firstOffset: '1' },
      { producerId: '1', firstOffset: '0' },
    ],
  });
  return kept.length === 0;
}
