// `rabt schemas check --git-base <ref>`: is the working-tree schema compatible with the one at <ref>?
import { spawnSync } from 'node:child_process';
import type * as avro from 'avsc';
import { checkCompatibility, parseAvroSchema, InvalidAvroSchemaError, type CompatibilityLevel } from '@rabt/avro';
import { reasonsOf } from './compatibility-reasons';

/** Reads files at a git revision. */
export interface GitReader {
  /** True when `ref` names a commit. */
  refExists(ref: string): boolean;
  /** The file's text at `ref` (path relative to the workspace root), or undefined when it is not there. */
  showFile(ref: string, path: string): string | undefined;
}

export type BaselineVerdict =
  | { readonly kind: 'new' }
  | { readonly kind: 'compatible' }
  | { readonly kind: 'incompatible'; readonly reasons: readonly string[] }
  | { readonly kind: 'baseline-unreadable'; readonly reason: string };

/**
 * The decision, given the schema at the base (undefined: the type is new there). A new type is
 * fine; otherwise the candidate must meet the entry's level against the base as its only
 * previous version. A base schema that does not parse is reported, not held against the change.
 */
export function compareWithBaseline(level: CompatibilityLevel, candidate: avro.Type, baselineText: string | undefined): BaselineVerdict {
  if (baselineText === undefined) return { kind: 'new' };
  let baseline: avro.Type;
  try {
    baseline = parseAvroSchema(baselineText).type;
  } catch (e) {
    return { kind: 'baseline-unreadable', reason: e instanceof InvalidAvroSchemaError ? e.reason : String(e) };
  }
  const result = checkCompatibility(level, candidate, [{ version: 1, type: baseline, text: baselineText }]);
  return result.compatible ? { kind: 'compatible' } : { kind: 'incompatible', reasons: reasonsOf(result.messages) };
}

/** A GitReader running `git` in `cwd`. */
export function gitReader(cwd: string): GitReader {
  const git = (args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return {
    refExists: (ref) => {
      if (ref.startsWith('-')) return false;
      const r = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
      return r.status === 0;
    },
    showFile: (ref, path) => {
      const r = git(['show', `${ref}:./${path}`]);
      return r.status === 0 ? r.stdout : undefined;
    },
  };
}
