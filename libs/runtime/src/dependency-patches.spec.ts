import * as avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { AVSC_PATCH, avscPatchApplied } from '@rabt/avro';
import { KAFKAJS_PATCH, kafkajsPatchApplied, type AbortedMessageFilter } from '@rabt/kafka';
import { assertDependenciesPatched, DEPENDENCY_PATCHES, UnpatchedDependencyError } from './dependency-patches';

/** avsc as it is without its patch: enum symbols looked up in a plain object, so inherited keys count. */
const unpatchedAvsc: Pick<typeof avro.Type, 'forSchema'> = {
  forSchema: ((schema: { symbols: string[] }) => {
    const indices: Record<string, number> = {};
    schema.symbols.forEach((s, i) => (indices[s] = i));
    return { isValid: (value: string) => indices[value] !== undefined };
  }) as unknown as typeof avro.Type.forSchema,
};

/** kafkajs's filterAbortedMessages as released: the broker's list taken in its own order, one step per record. */
const unpatchedFilter: AbortedMessageFilter = ({ messages, abortedTransactions }) => {
  const current = new Set<string>();
  const remaining = [...abortedTransactions];
  return messages.filter((message) => {
    if (remaining.length && BigInt(message.offset) >= BigInt(remaining[0]!.firstOffset)) current.add(remaining.shift()!.producerId);
    return !(current.has(message.batchContext.producerId) && message.batchContext.inTransaction);
  });
};

describe('the probes of patched dependencies', () => {
  it('tell the installed (patched) avsc and kafkajs apart from the released ones', () => {
    expect(avscPatchApplied()).toBe(true);
    expect(avscPatchApplied(unpatchedAvsc)).toBe(false);
    expect(kafkajsPatchApplied()).toBe(true);
    expect(kafkajsPatchApplied(unpatchedFilter)).toBe(false);
  });

  it('the real check passes on this install', () => {
    expect(() => assertDependenciesPatched()).not.toThrow();
    expect(DEPENDENCY_PATCHES.map((p) => p.patch)).toEqual([AVSC_PATCH, KAFKAJS_PATCH]);
  });

  it('an install without the patches is refused, naming each patch and the way to apply it', () => {
    const simulated = [
      { ...DEPENDENCY_PATCHES[0]!, applied: () => avscPatchApplied(unpatchedAvsc) },
      { ...DEPENDENCY_PATCHES[1]!, applied: () => kafkajsPatchApplied(unpatchedFilter) },
    ];
    let error: unknown;
    try {
      assertDependenciesPatched(simulated);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnpatchedDependencyError);
    const message = (error as Error).message;
    expect(message).toContain('patches/avsc+5.7.9.patch is not applied');
    expect(message).toContain('patches/kafkajs+2.2.4.patch is not applied');
    expect(message).toContain('--ignore-scripts');
    expect(message).toContain('npx patch-package');
  });
});
