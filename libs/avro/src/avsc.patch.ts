// patches/avsc+5.7.9.patch (applied by patch-package at `npm ci`) gives avsc's enum and union
// lookups no inherited keys, so "constructor" or "__proto__" is never taken for an enum symbol
// or a union branch. `npm ci --ignore-scripts` skips the patch without a word; this probe finds
// out from avsc's behaviour whether the patch is in place.
import * as avro from 'avsc';

export const AVSC_PATCH = 'patches/avsc+5.7.9.patch';

/** True when avsc refuses the inherited names as symbols of an enum that does not declare them. */
export function avscPatchApplied(types: Pick<typeof avro.Type, 'forSchema'> = avro.Type): boolean {
  const probe = types.forSchema({ type: 'enum', name: 'RabtPatchProbe', symbols: ['A'] });
  return !probe.isValid('constructor') && !probe.isValid('__proto__') && !probe.isValid('toString');
}
