import type * as avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { readerCanRead } from './avro-compatibility';
import { parseAvroSchema } from './avro-schema';

const t = (schema: unknown): avro.Type => parseAvroSchema(JSON.stringify(schema)).type;
const record = (fields: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'record',
  name: 'Order',
  namespace: 'rabt.test',
  fields,
  ...extra,
});
const one = (type: unknown, extra: Record<string, unknown> = {}) => record([{ name: 'f', type, ...extra }]);

/** Our verdict is "compatible": avsc must be able to build a resolver for the pair too. */
function expectCompatible(reader: avro.Type, writer: avro.Type, avscOptions?: { ignoreNamespaces: boolean }): void {
  expect(readerCanRead(reader, writer)).toEqual([]);
  expect(() => reader.createResolver(writer, avscOptions)).not.toThrow();
}

function only(reader: avro.Type, writer: avro.Type) {
  const found = readerCanRead(reader, writer);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('readerCanRead: primitives and promotions', () => {
  const promotions: [string, string][] = [
    ['long', 'int'],
    ['float', 'int'],
    ['float', 'long'],
    ['double', 'int'],
    ['double', 'long'],
    ['double', 'float'],
    ['bytes', 'string'],
    ['string', 'bytes'],
  ];

  it.each(promotions)('a %s reader reads %s data', (reader, writer) => {
    expectCompatible(t(reader), t(writer));
    expectCompatible(t(one(reader)), t(one(writer)));
  });

  it.each(promotions.filter(([r, w]) => !(r === 'bytes' || w === 'bytes')))(
    'a %s writer is not readable by a %s reader (no narrowing)',
    (wider, narrower) => {
      const found = only(t(one(narrower)), t(one(wider)));
      expect(found).toMatchObject({
        errorType: 'TYPE_MISMATCH',
        path: '/fields/0/type',
        additionalInfo: `reader type: ${narrower.toUpperCase()} not compatible with writer type: ${wider.toUpperCase()}`,
      });
    },
  );

  it('reads identical schemas and rejects unrelated primitives', () => {
    for (const p of ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']) expectCompatible(t(p), t(p));
    expect(only(t('boolean'), t('int'))).toMatchObject({ errorType: 'TYPE_MISMATCH', path: '/' });
  });
});

describe('readerCanRead: records', () => {
  const v1 = record([
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'long' },
  ]);

  it('fills a reader field missing in the writer from its default, and ignores extra writer fields', () => {
    const v2 = record([{ name: 'id', type: 'string' }, { name: 'currency', type: 'string', default: 'SAR' }]);
    expectCompatible(t(v2), t(v1));
  });

  it('reports a reader field without default missing in the writer, in Confluent wording', () => {
    const v2 = record([...v1.fields, { name: 'channel', type: 'string' }, { name: 'reason', type: 'string' }]);
    const found = readerCanRead(t(v2), t(v1), { reader: 'new', writer: 'old' });
    expect(found.map((f) => f.path)).toEqual(['/fields/2', '/fields/3']);
    expect(found[1]).toEqual({
      errorType: 'READER_FIELD_MISSING_DEFAULT_VALUE',
      description: "The field 'reason' at path '/fields/3' in the new schema has no default value and is missing in the old schema",
      path: '/fields/3',
      additionalInfo: 'reason',
    });
    expect(readerCanRead(t(v2), t(v1))[0]!.description).toContain('in the reader schema has no default value');
  });

  it('matches a renamed field through the reader field aliases', () => {
    const renamed = record([{ name: 'orderId', type: 'string', aliases: ['id'] }, v1.fields[1]]);
    expectCompatible(t(renamed), t(v1));
    expect(only(t(v1), t(renamed))).toMatchObject({ errorType: 'READER_FIELD_MISSING_DEFAULT_VALUE', additionalInfo: 'id' });
  });

  it('matches a reader field by its name before its aliases, like Java (avsc calls this ambiguous)', () => {
    const writer = record([{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }]);
    const reader = record([{ name: 'a', type: 'int', aliases: ['b'] }]);
    expect(readerCanRead(t(reader), t(writer))).toEqual([]);
    // The spec wins: avsc refuses the pair with "ambiguous aliasing".
    expect(() => t(reader).createResolver(t(writer))).toThrow(/ambiguous aliasing/);
  });

  it('reports a renamed record as NAME_MISMATCH unless the reader has the old full name as alias', () => {
    const renamed = { ...v1, name: 'Purchase' };
    expect(only(t(renamed), t(v1))).toMatchObject({
      errorType: 'NAME_MISMATCH',
      path: '/name',
      additionalInfo: 'expected: rabt.test.Order',
      description: "The name of the schema has changed (path '/name')",
    });
    expectCompatible(t({ ...renamed, aliases: ['Order'] }), t(v1));
    expect(only(t({ ...renamed, aliases: ['other.Order'] }), t(v1)).errorType).toBe('NAME_MISMATCH');
  });

  it('compares record names unqualified, as the spec says (avsc needs ignoreNamespaces)', () => {
    const moved = { ...v1, namespace: 'rabt.moved' };
    // avsc compares full names by default and would refuse this pair; the spec does not.
    expect(() => t(moved).createResolver(t(v1))).toThrow();
    expectCompatible(t(moved), t(v1), { ignoreNamespaces: true });
  });

  it('reports every incompatibility of a pair, with nested paths', () => {
    const address = (fields: unknown[]) => ({ type: 'record', name: 'Address', fields });
    const writer = record([{ name: 'a', type: 'int' }, { name: 'home', type: address([{ name: 'city', type: 'string' }]) }]);
    const reader = record([
      { name: 'a', type: 'string' },
      { name: 'home', type: address([{ name: 'city', type: 'string' }, { name: 'zip', type: 'string' }]) },
    ]);
    expect(readerCanRead(t(reader), t(writer)).map((f) => [f.errorType, f.path])).toEqual([
      ['TYPE_MISMATCH', '/fields/0/type'],
      ['READER_FIELD_MISSING_DEFAULT_VALUE', '/fields/1/type/fields/1'],
    ]);
  });
});

describe('readerCanRead: enums and fixed', () => {
  const status = (symbols: string[], extra: Record<string, unknown> = {}) =>
    one({ type: 'enum', name: 'Status', symbols, ...extra });

  it('reports writer symbols missing in the reader, sorted like Java', () => {
    expect(only(t(status(['A'])), t(status(['C', 'A', 'B'])))).toMatchObject({
      errorType: 'MISSING_ENUM_SYMBOLS',
      path: '/fields/0/type/symbols',
      additionalInfo: '[B, C]',
    });
    expectCompatible(t(status(['A', 'B', 'C'])), t(status(['A'])));
  });

  it('accepts unknown writer symbols when the reader enum has a default', () => {
    expectCompatible(t(status(['UNKNOWN', 'A'], { default: 'UNKNOWN' })), t(status(['A', 'B'])));
  });

  it('checks fixed names and sizes', () => {
    const fixed = (name: string, size: number) => one({ type: 'fixed', name, size });
    expectCompatible(t(fixed('Hash', 16)), t(fixed('Hash', 16)));
    expect(only(t(fixed('Hash', 32)), t(fixed('Hash', 16)))).toMatchObject({
      errorType: 'FIXED_SIZE_MISMATCH',
      path: '/fields/0/type/size',
      additionalInfo: 'expected: 16, found: 32',
    });
    expect(readerCanRead(t(fixed('Digest', 32)), t(fixed('Hash', 16))).map((f) => f.errorType)).toEqual([
      'NAME_MISMATCH',
      'FIXED_SIZE_MISMATCH',
    ]);
  });
});

describe('readerCanRead: unions', () => {
  it('needs every writer branch to be readable by some reader branch', () => {
    expect(only(t(one(['null', 'string'])), t(one(['null', 'string', 'int'])))).toMatchObject({
      errorType: 'MISSING_UNION_BRANCH',
      path: '/fields/0/type/2',
      additionalInfo: 'reader union lacking writer type: INT',
    });
    expectCompatible(t(one(['null', 'string', 'int'])), t(one(['string', 'null'])));
  });

  it('reads a non-union writer with any reader branch, promotions included', () => {
    expectCompatible(t(one(['null', 'long'])), t(one('int')));
    expect(only(t(one(['null', 'long'])), t(one('string'))).errorType).toBe('MISSING_UNION_BRANCH');
  });

  it('needs a non-union reader to read every branch of a writer union', () => {
    expect(only(t(one('string')), t(one(['null', 'string'])))).toMatchObject({
      errorType: 'TYPE_MISMATCH',
      path: '/fields/0/type/0',
      additionalInfo: 'reader type: STRING not compatible with writer type: NULL',
    });
    expectCompatible(t(one('double')), t(one(['int', 'float'])));
  });
});

describe('readerCanRead: arrays, maps, recursion, logical types', () => {
  it('recurses into array items and map values', () => {
    const item = (fields: unknown[]) => ({ type: 'record', name: 'Line', fields });
    const arr = (fields: unknown[]) => one({ type: 'array', items: item(fields) });
    const map = (type: string) => one({ type: 'map', values: type });
    expect(only(t(arr([{ name: 'sku', type: 'string' }])), t(arr([])))).toMatchObject({
      path: '/fields/0/type/items/fields/0',
    });
    expect(only(t(map('int')), t(map('long')))).toMatchObject({ path: '/fields/0/type/values' });
    expectCompatible(t(map('long')), t(map('int')));
    expect(only(t(map('int')), t(one({ type: 'array', items: 'int' }))).additionalInfo).toBe(
      'reader type: MAP not compatible with writer type: ARRAY',
    );
  });

  it('terminates on recursive schemas and still finds problems inside them', () => {
    const node = (fields: unknown[]) => ({
      type: 'record',
      name: 'Node',
      fields: [...fields, { name: 'next', type: ['null', 'Node'], default: null }],
    });
    const v1 = node([{ name: 'value', type: 'int' }]);
    expectCompatible(t(node([{ name: 'value', type: 'long' }])), t(v1));
    const tree = { type: 'record', name: 'Tree', fields: [{ name: 'kids', type: { type: 'array', items: 'Tree' } }] };
    expectCompatible(t(tree), t(tree));
    expect(only(t(v1), t(node([{ name: 'value', type: 'long' }]))).path).toBe('/fields/0/type');
  });

  it('compares logical types by their underlying types', () => {
    expectCompatible(t(one({ type: 'int', logicalType: 'date' })), t(one('int')));
    expectCompatible(t(one('int')), t(one({ type: 'int', logicalType: 'date' })));
    expectCompatible(t(one({ type: 'long', logicalType: 'timestamp-millis' })), t(one({ type: 'int', logicalType: 'date' })));
    expect(only(t(one({ type: 'int', logicalType: 'date' })), t(one({ type: 'long', logicalType: 'timestamp-millis' }))).errorType).toBe(
      'TYPE_MISMATCH',
    );
  });

  // Stock avsc drops logical types (and Java's SchemaCompatibility ignores them), so neither would
  // notice a precision change; the spec says decimals match only with equal precision and scale.
  it('needs two decimals to agree on precision and scale (spec), which Java and avsc do not check', () => {
    const decimal12_2 = () => ({ type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 });
    const decimal10_2 = () => ({ type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 });
    const dec = (precision: number, scale: number) => one({ type: 'bytes', logicalType: 'decimal', precision, scale });
    expectCompatible(t(dec(10, 2)), t(dec(10, 2)));
    expect(only(t(dec(12, 2)), t(dec(10, 2)))).toMatchObject({
      errorType: 'TYPE_MISMATCH',
      path: '/fields/0/type',
      additionalInfo: 'reader type: decimal(12,2) not compatible with writer type: decimal(10,2)',
    });
    expect(only(t(dec(10, 3)), t(dec(10, 2))).errorType).toBe('TYPE_MISMATCH');
    // Inside unions too.
    expect(only(t(one(['null', decimal12_2()])), t(dec(10, 2))).errorType).toBe('MISSING_UNION_BRANCH');
    expect(readerCanRead(t(dec(12, 2)), t(one(['null', decimal10_2()]))).map((f) => f.additionalInfo)).toEqual([
      'reader type: BYTES not compatible with writer type: NULL',
      'reader type: decimal(12,2) not compatible with writer type: decimal(10,2)',
    ]);
    expectCompatible(t(one(['null', decimal10_2()])), t(dec(10, 2)));
    // A decimal over plain bytes (or back) resolves like bytes.
    expectCompatible(t(dec(10, 2)), t(one('bytes')));
  });
});
