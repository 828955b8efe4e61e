import type * as avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { readerCanRead, type IncompatibilityType } from './avro-compatibility';
import { parseAvroSchema } from './avro-schema';
import {
  COMPATIBILITY_LEVELS,
  checkCompatibility,
  isCompatibilityLevel,
  type CompatibilityLevel,
  type PreviousSchema,
} from './compatibility-level';

// ---- schema builders --------------------------------------------------------------------------
type Field = Record<string, unknown>;
const f = (name: string, type: unknown, extra: Field = {}): Field => ({ name, type, ...extra });
const rec = (fields: Field[], extra: Field = {}) =>
  JSON.stringify({ type: 'record', name: 'Order', namespace: 'rabt.test', fields, ...extra });
const id = f('id', 'string');
const enumType = (symbols: string[], extra: Field = {}) => ({ type: 'enum', name: 'Status', symbols, ...extra });
const line = (fields: Field[]) => ({ type: 'record', name: 'Line', fields });
const node = (fields: Field[]) => ({
  type: 'record',
  name: 'Node',
  fields: [...fields, f('next', ['null', 'Node'], { default: null })],
});
const decimal = (precision: number, scale: number) => ({ type: 'bytes', logicalType: 'decimal', precision, scale });

const parse = (text: string): avro.Type => parseAvroSchema(text).type;
const versions = (...texts: string[]): PreviousSchema[] =>
  texts.map((text, i) => ({ version: i + 1, type: parse(text), text }));

// ---- the scenarios ----------------------------------------------------------------------------
/** `true` = compatible in that direction, otherwise the first incompatibility expected. */
type Verdict = true | { errorType: IncompatibilityType; path: string };
interface Scenario {
  name: string;
  old: string;
  new: string;
  /** The new schema reads data written with the old one. */
  backward: Verdict;
  /** The old schema reads data written with the new one. */
  forward: Verdict;
  /** avsc compares full names unless told otherwise; the spec compares unqualified names. */
  avscIgnoreNamespaces?: boolean;
}
const missingDefault = (path: string): Verdict => ({ errorType: 'READER_FIELD_MISSING_DEFAULT_VALUE', path });
const typeMismatch = (path: string): Verdict => ({ errorType: 'TYPE_MISMATCH', path });

const scenarios: Scenario[] = [
  { name: 'add an optional field with a default',
    old: rec([id]),
    new: rec([id, f('note', ['null', 'string'], { default: null })]),
    backward: true, forward: true,
  },
  { name: 'add a field without a default',
    old: rec([id]),
    new: rec([id, f('reason', 'string')]),
    backward: missingDefault('/fields/1'), forward: true,
  },
  { name: 'remove a field that has a default',
    old: rec([id, f('note', 'string', { default: '' })]),
    new: rec([id]),
    backward: true, forward: true,
  },
  { name: 'remove a field without a default',
    old: rec([id, f('note', 'string')]),
    new: rec([id]),
    backward: true, forward: missingDefault('/fields/1'),
  },
  { name: 'rename a field with an alias for the old name',
    old: rec([id, f('amount', 'long')]),
    new: rec([id, f('total', 'long', { aliases: ['amount'] })]),
    backward: true, forward: missingDefault('/fields/1'),
  },
  { name: 'rename a field with alias and default (both ways)',
    old: rec([id, f('amount', 'long', { default: 0 })]),
    new: rec([id, f('total', 'long', { aliases: ['amount'], default: 0 })]),
    backward: true, forward: true,
  },
  { name: 'rename a field without alias or default',
    old: rec([id, f('amount', 'long')]),
    new: rec([id, f('total', 'long')]),
    backward: missingDefault('/fields/1'), forward: missingDefault('/fields/1'),
  },
  { name: 'promote int to long',
    old: rec([f('qty', 'int')]),
    new: rec([f('qty', 'long')]),
    backward: true, forward: typeMismatch('/fields/0/type'),
  },
  { name: 'narrow long to int',
    old: rec([f('qty', 'long')]),
    new: rec([f('qty', 'int')]),
    backward: typeMismatch('/fields/0/type'), forward: true,
  },
  { name: 'promote float to double',
    old: rec([f('x', 'float')]),
    new: rec([f('x', 'double')]),
    backward: true, forward: typeMismatch('/fields/0/type'),
  },
  { name: 'change string to bytes',
    old: rec([f('blob', 'string')]),
    new: rec([f('blob', 'bytes')]),
    backward: true, forward: true,
  },
  { name: 'change bytes to string',
    old: rec([f('blob', 'bytes')]),
    new: rec([f('blob', 'string')]),
    backward: true, forward: true,
  },
  { name: 'change string to int',
    old: rec([f('n', 'string')]),
    new: rec([f('n', 'int')]),
    backward: typeMismatch('/fields/0/type'), forward: typeMismatch('/fields/0/type'),
  },
  { name: 'add an enum symbol (no enum default)',
    old: rec([f('s', enumType(['OK', 'FAILED']))]),
    new: rec([f('s', enumType(['OK', 'FAILED', 'PENDING']))]),
    backward: true, forward: { errorType: 'MISSING_ENUM_SYMBOLS', path: '/fields/0/type/symbols' },
  },
  { name: 'add an enum symbol when the old enum has a default',
    old: rec([f('s', enumType(['UNKNOWN', 'OK'], { default: 'UNKNOWN' }))]),
    new: rec([f('s', enumType(['UNKNOWN', 'OK', 'PENDING'], { default: 'UNKNOWN' }))]),
    backward: true, forward: true,
  },
  { name: 'remove an enum symbol (no enum default)',
    old: rec([f('s', enumType(['OK', 'FAILED']))]),
    new: rec([f('s', enumType(['OK']))]),
    backward: { errorType: 'MISSING_ENUM_SYMBOLS', path: '/fields/0/type/symbols' }, forward: true,
  },
  { name: 'remove an enum symbol when the new enum has a default',
    old: rec([f('s', enumType(['UNKNOWN', 'OK', 'FAILED']))]),
    new: rec([f('s', enumType(['UNKNOWN', 'OK'], { default: 'UNKNOWN' }))]),
    backward: true, forward: true,
  },
  { name: 'add a union branch',
    old: rec([f('v', ['null', 'string'])]),
    new: rec([f('v', ['null', 'string', 'int'])]),
    backward: true, forward: { errorType: 'MISSING_UNION_BRANCH', path: '/fields/0/type/2' },
  },
  { name: 'remove a union branch',
    old: rec([f('v', ['null', 'string', 'int'])]),
    new: rec([f('v', ['null', 'string'])]),
    backward: { errorType: 'MISSING_UNION_BRANCH', path: '/fields/0/type/2' }, forward: true,
  },
  { name: 'make a nullable field non-null',
    old: rec([f('v', ['null', 'string'], { default: null })]),
    new: rec([f('v', 'string')]),
    backward: typeMismatch('/fields/0/type/0'), forward: true,
  },
  { name: 'make a required field nullable',
    old: rec([f('v', 'string')]),
    new: rec([f('v', ['null', 'string'], { default: null })]),
    backward: true, forward: typeMismatch('/fields/0/type/0'),
  },
  { name: 'add a defaulted field to a nested record',
    old: rec([f('line', line([f('sku', 'string')]))]),
    new: rec([f('line', line([f('sku', 'string'), f('qty', 'int', { default: 1 })]))]),
    backward: true, forward: true,
  },
  { name: 'add a required field to a nested record',
    old: rec([f('line', line([f('sku', 'string')]))]),
    new: rec([f('line', line([f('sku', 'string'), f('qty', 'int')]))]),
    backward: missingDefault('/fields/0/type/fields/1'), forward: true,
  },
  { name: 'add a required field to records in an array',
    old: rec([f('lines', { type: 'array', items: line([f('sku', 'string')]) })]),
    new: rec([f('lines', { type: 'array', items: line([f('sku', 'string'), f('qty', 'int')]) })]),
    backward: missingDefault('/fields/0/type/items/fields/1'), forward: true,
  },
  { name: 'promote a field of records in a map',
    old: rec([f('byId', { type: 'map', values: line([f('qty', 'int')]) })]),
    new: rec([f('byId', { type: 'map', values: line([f('qty', 'long')]) })]),
    backward: true, forward: typeMismatch('/fields/0/type/values/fields/0/type'),
  },
  { name: 'turn an array into a map',
    old: rec([f('xs', { type: 'array', items: 'string' })]),
    new: rec([f('xs', { type: 'map', values: 'string' })]),
    backward: typeMismatch('/fields/0/type'), forward: typeMismatch('/fields/0/type'),
  },
  { name: 'change the size of a fixed',
    old: rec([f('h', { type: 'fixed', name: 'Hash', size: 16 })]),
    new: rec([f('h', { type: 'fixed', name: 'Hash', size: 32 })]),
    backward: { errorType: 'FIXED_SIZE_MISMATCH', path: '/fields/0/type/size' },
    forward: { errorType: 'FIXED_SIZE_MISMATCH', path: '/fields/0/type/size' },
  },
  { name: 'rename the record without an alias',
    old: rec([id]),
    new: rec([id], { name: 'Purchase' }),
    backward: { errorType: 'NAME_MISMATCH', path: '/name' },
    forward: { errorType: 'NAME_MISMATCH', path: '/name' },
  },
  { name: 'rename the record with an alias for the old name',
    old: rec([id]),
    new: rec([id], { name: 'Purchase', aliases: ['Order'] }),
    backward: true, forward: { errorType: 'NAME_MISMATCH', path: '/name' },
  },
  { name: 'move the record to another namespace',
    old: rec([id]),
    new: rec([id], { namespace: 'rabt.moved' }),
    backward: true, forward: true,
    avscIgnoreNamespaces: true,
  },
  { name: 'rename an enum type',
    old: rec([f('s', enumType(['OK']))]),
    new: rec([f('s', { ...enumType(['OK']), name: 'State' })]),
    backward: { errorType: 'NAME_MISMATCH', path: '/fields/0/type/name' },
    forward: { errorType: 'NAME_MISMATCH', path: '/fields/0/type/name' },
  },
  { name: 'wrap a record field into a nullable union',
    old: rec([f('line', line([f('sku', 'string')]))]),
    new: rec([f('line', ['null', line([f('sku', 'string')])], { default: null })]),
    backward: true, forward: typeMismatch('/fields/0/type/0'),
  },
  { name: 'add a defaulted field to a recursive linked list',
    old: JSON.stringify(node([f('value', 'int')])),
    new: JSON.stringify(node([f('value', 'int'), f('label', 'string', { default: '' })])),
    backward: true, forward: true,
  },
  { name: 'add a required field to a recursive linked list',
    old: JSON.stringify(node([f('value', 'int')])),
    new: JSON.stringify(node([f('value', 'int'), f('label', 'string')])),
    backward: missingDefault('/fields/1'), forward: true,
  },
  { name: 'keep a decimal and only change its doc',
    old: rec([f('amount', decimal(12, 2))]),
    new: rec([f('amount', { ...decimal(12, 2), doc: 'in SAR' })]),
    backward: true, forward: true,
  },
  { name: 'change the precision of a decimal',
    old: rec([f('amount', decimal(12, 2))]),
    new: rec([f('amount', decimal(14, 2))]),
    backward: typeMismatch('/fields/0/type'), forward: typeMismatch('/fields/0/type'),
  },
  { name: 'change the scale of a decimal',
    old: rec([f('amount', decimal(12, 2))]),
    new: rec([f('amount', decimal(12, 3))]),
    backward: typeMismatch('/fields/0/type'), forward: typeMismatch('/fields/0/type'),
  },
  { name: 'add a date logical type to an int',
    old: rec([f('day', 'int')]),
    new: rec([f('day', { type: 'int', logicalType: 'date' })]),
    backward: true, forward: true,
  },
];

function expectedAt(level: CompatibilityLevel, s: Scenario): boolean {
  const backward = s.backward === true;
  const forward = s.forward === true;
  switch (level) {
    case 'NONE':
      return true;
    case 'BACKWARD':
    case 'BACKWARD_TRANSITIVE':
      return backward;
    case 'FORWARD':
    case 'FORWARD_TRANSITIVE':
      return forward;
    case 'FULL':
    case 'FULL_TRANSITIVE':
      return backward && forward;
  }
}

function expectVerdict(reader: avro.Type, writer: avro.Type, verdict: Verdict, avscOptions: { ignoreNamespaces: boolean }): void {
  const found = readerCanRead(reader, writer);
  if (verdict === true) {
    expect(found).toEqual([]);
    // Cross-check: avsc must be able to resolve every pair we call compatible.
    expect(() => reader.createResolver(writer, avscOptions)).not.toThrow();
  } else {
    expect(found[0]).toMatchObject(verdict);
  }
}

describe('schema evolution under every compatibility level', () => {
  it('covers at least 30 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const oldType = parse(s.old);
    const newType = parse(s.new);
    const previous = versions(s.old);
    for (const level of COMPATIBILITY_LEVELS) {
      expect(checkCompatibility(level, newType, previous).compatible, level).toBe(expectedAt(level, s));
    }
    const avscOptions = { ignoreNamespaces: s.avscIgnoreNamespaces === true };
    expectVerdict(newType, oldType, s.backward, avscOptions);
    expectVerdict(oldType, newType, s.forward, avscOptions);
  });
});

describe('transitive levels look at every previous version', () => {
  const a = f('a', 'string');
  it('BACKWARD: v3 reads v2 but not v1', () => {
    const previous = versions(rec([a]), rec([a, f('b', 'string', { default: 'x' })]));
    const v3 = parse(rec([a, f('b', 'string')]));
    expect(checkCompatibility('BACKWARD', v3, previous).compatible).toBe(true);
    expect(checkCompatibility('FULL', v3, previous).compatible).toBe(true);
    const transitive = checkCompatibility('BACKWARD_TRANSITIVE', v3, previous);
    expect(transitive.compatible).toBe(false);
    expect(transitive.messages).toContain('{oldSchemaVersion: 1}');
    expect(checkCompatibility('FULL_TRANSITIVE', v3, previous).compatible).toBe(false);
  });

  it('FORWARD: v2 reads v3 but v1 does not', () => {
    const previous = versions(rec([a, f('b', 'string')]), rec([a, f('b', 'string', { default: 'x' })]));
    const v3 = parse(rec([a]));
    expect(checkCompatibility('FORWARD', v3, previous).compatible).toBe(true);
    expect(checkCompatibility('FORWARD_TRANSITIVE', v3, previous).compatible).toBe(false);
  });

  it('non-transitive levels only look at the latest version', () => {
    const previous = versions(rec([a, f('n', 'int')]), rec([a]));
    const v3 = parse(rec([a, f('n', 'string', { default: '' })]));
    expect(checkCompatibility('FULL', v3, previous).compatible).toBe(true);
    expect(checkCompatibility('FULL_TRANSITIVE', v3, previous).compatible).toBe(false);
  });
});

describe('checkCompatibility results', () => {
  const old = rec([id, f('amount', 'long'), f('currency', 'string')]);
  const candidate = parse(rec([id, f('amount', 'long'), f('currency', 'string'), f('reason', 'string')]));

  it('is compatible when there is no previous version, and under NONE', () => {
    for (const level of COMPATIBILITY_LEVELS) expect(checkCompatibility(level, candidate, [])).toEqual({ compatible: true, messages: [] });
    expect(checkCompatibility('NONE', parse('"int"'), versions(old)).compatible).toBe(true);
  });

  it("words messages like Confluent's verbose output", () => {
    expect(checkCompatibility('BACKWARD', candidate, versions(old))).toEqual({
      compatible: false,
      messages: [
        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'reason' at path '/fields/3' in the new schema has no default value and is missing in the old schema', additionalInfo:'reason'}",
        '{oldSchemaVersion: 1}',
        `{oldSchema: '${old}'}`,
        "{compatibility: 'BACKWARD'}",
      ],
    });
  });

  it('names the old schema as the reader for FORWARD problems', () => {
    const narrowed = parse(rec([id, f('amount', 'double'), f('currency', 'string')]));
    const result = checkCompatibility('FULL', narrowed, versions(old));
    expect(result.messages[0]).toBe(
      "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/1/type') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: LONG not compatible with writer type: DOUBLE'}",
    );
    expect(result.messages.at(-1)).toBe("{compatibility: 'FULL'}");
  });

  it('recognises compatibility level names', () => {
    expect(COMPATIBILITY_LEVELS.every(isCompatibilityLevel)).toBe(true);
    for (const x of ['backward', 'FULLY', '', null, 1]) expect(isCompatibilityLevel(x)).toBe(false);
  });
});
