// Rabt runs on two patched npm packages (patches/, applied by patch-package at `npm ci`). An
// install that skipped the patches (`npm ci --ignore-scripts`) would run without a word but with
// the flaws the patches fix, so every service probes both at start-up and refuses to start
// without them.
import { AVSC_PATCH, avscPatchApplied } from '@rabt/avro';
import { KAFKAJS_PATCH, kafkajsPatchApplied } from '@rabt/kafka';

export interface DependencyPatch {
  /** The patch file that must be applied. */
  readonly patch: string;
  /** What goes wrong without it. */
  readonly without: string;
  /** Probes the installed package's behaviour: true when the patch is in place. */
  readonly applied: () => boolean;
}

export const DEPENDENCY_PATCHES: readonly DependencyPatch[] = [
  { patch: AVSC_PATCH, without: 'avsc takes "constructor" or "__proto__" for a symbol of any enum', applied: () => avscPatchApplied() },
  { patch: KAFKAJS_PATCH, without: 'kafkajs can hand records of aborted transactions to read_committed consumers', applied: () => kafkajsPatchApplied() },
];

/** A patched dependency is installed without its patch: the service must not start. */
export class UnpatchedDependencyError extends Error {
  override readonly name = 'UnpatchedDependencyError';
  constructor(readonly missing: readonly DependencyPatch[]) {
    super(
      [
        'node_modules lacks patches Rabt depends on (was `npm ci` run with --ignore-scripts?):',
        ...missing.map((p) => `  - ${p.patch} is not applied: ${p.without}`),
        'Run `npx patch-package` (or `npm ci` without --ignore-scripts) and start again.',
      ].join('\n'),
    );
  }
}

/** Throws UnpatchedDependencyError naming every patch whose probe fails. */
export function assertDependenciesPatched(patches: readonly DependencyPatch[] = DEPENDENCY_PATCHES): void {
  const missing = patches.filter((p) => !p.applied());
  if (missing.length > 0) throw new UnpatchedDependencyError(missing);
}
