// Confluent compatibility levels on top of the reader/writer resolution check.
// Pure logic: no Nest, no I/O.
import type * as avro from 'avsc';
import { readerCanRead, type Incompatibility } from './avro-compatibility';

export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;

export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export function isCompatibilityLevel(x: unknown): x is CompatibilityLevel {
  return typeof x === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(x);
}

/** A registered version of the subject. */
export interface PreviousSchema {
  version: number;
  type: avro.Type;
  /** The schema text as registered, quoted back in messages. */
  text: string;
}

export interface CompatibilityResult {
  compatible: boolean;
  /** Confluent's verbose messages: one per incompatibility, then the old version, schema, level. */
  messages: string[];
}

/**
 * Checks `candidate` against the subject's `previous` versions (oldest first) with Confluent
 * semantics: BACKWARD = the new schema reads data written with the old one, FORWARD = the old
 * schema reads data written with the new one, FULL = both; plain levels look at the latest
 * version only, *_TRANSITIVE ones at every version. Versions are checked newest first and the
 * first incompatible one is reported, as Confluent does.
 */
export function checkCompatibility(
  level: CompatibilityLevel,
  candidate: avro.Type,
  previous: readonly PreviousSchema[],
): CompatibilityResult {
  const { directions, transitive } = rules(level);
  const latest = previous.at(-1);
  const against = transitive ? [...previous].reverse() : latest ? [latest] : [];
  for (const old of against) {
    const found = directions.flatMap((direction) => incompatibilities(direction, candidate, old.type));
    if (found.length > 0) {
      return {
        compatible: false,
        messages: [
          ...found.map(formatIncompatibility),
          `{oldSchemaVersion: ${old.version}}`,
          `{oldSchema: '${old.text}'}`,
          `{compatibility: '${level}'}`,
        ],
      };
    }
  }
  return { compatible: true, messages: [] };
}

/** `{errorType:'…', description:'…', additionalInfo:'…'}`, as Confluent prints it. */
export function formatIncompatibility(i: Incompatibility): string {
  return `{errorType:'${i.errorType}', description:'${i.description}', additionalInfo:'${i.additionalInfo}'}`;
}

type Direction = 'BACKWARD' | 'FORWARD';

function rules(level: CompatibilityLevel): { directions: readonly Direction[]; transitive: boolean } {
  switch (level) {
    case 'NONE':
      return { directions: [], transitive: false };
    case 'BACKWARD':
      return { directions: ['BACKWARD'], transitive: false };
    case 'BACKWARD_TRANSITIVE':
      return { directions: ['BACKWARD'], transitive: true };
    case 'FORWARD':
      return { directions: ['FORWARD'], transitive: false };
    case 'FORWARD_TRANSITIVE':
      return { directions: ['FORWARD'], transitive: true };
    case 'FULL':
      return { directions: ['BACKWARD', 'FORWARD'], transitive: false };
    case 'FULL_TRANSITIVE':
      return { directions: ['BACKWARD', 'FORWARD'], transitive: true };
  }
}

function incompatibilities(direction: Direction, candidate: avro.Type, old: avro.Type): Incompatibility[] {
  switch (direction) {
    case 'BACKWARD':
      return readerCanRead(candidate, old, { reader: 'new', writer: 'old' });
    case 'FORWARD':
      return readerCanRead(old, candidate, { reader: 'old', writer: 'new' });
  }
}
