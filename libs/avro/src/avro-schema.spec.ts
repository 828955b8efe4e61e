import { describe, expect, it } from 'vitest';
import { InvalidAvroSchemaError, normalizeSchemaText, parseAvroSchema } from './avro-schema';

const json = (schema: unknown) => JSON.stringify(schema);
const withField = (field: Record<string, unknown>) =>
  json({ type: 'record', name: 'Payment', namespace: 'rabt.test', fields: [field] });

function rejection(text: string, references?: Record<string, string>): InvalidAvroSchemaError {
  try {
    parseAvroSchema(text, references);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidAvroSchemaError);
    return e as InvalidAvroSchemaError;
  }
  throw new Error(`expected the schema to be rejected: ${text}`);
}

describe('parseAvroSchema: accepted schemas', () => {
  it('parses a record into an avsc type', () => {
    const { type } = parseAvroSchema(withField({ name: 'amount', type: 'long' }));
    expect(type.typeName).toBe('record');
    expect(type.name).toBe('rabt.test.Payment');
  });

  it('parses primitive and union schemas', () => {
    expect(parseAvroSchema('"string"').type.typeName).toBe('string');
    expect(parseAvroSchema('["null","string"]').canonical).toBe('["null","string"]');
  });

  it('accepts a union default that matches the first branch', () => {
    expect(() => parseAvroSchema(withField({ name: 'a', type: ['null', 'string'], default: null }))).not.toThrow();
    expect(() => parseAvroSchema(withField({ name: 'a', type: ['string', 'null'], default: 'x' }))).not.toThrow();
  });
});

describe('parseAvroSchema: rejected schemas', () => {
  it('rejects invalid JSON with a readable message', () => {
    const error = rejection('{"type": "record", ');
    expect(error.message).toMatch(/^Invalid schema .*: invalid JSON: /);
    expect(error.reason).toMatch(/^invalid JSON/);
  });

  it('rejects an unknown type', () => {
    expect(rejection('{"type":"decimal128"}').message).toContain('unknown type: "decimal128"');
  });

  it('rejects a reference to a type that is not defined', () => {
    expect(rejection(withField({ name: 'a', type: 'rabt.test.Missing' })).reason).toContain(
      'undefined type name: rabt.test.Missing',
    );
  });

  it('rejects a record without a name (the spec requires one; avsc alone would accept it)', () => {
    expect(rejection(json({ type: 'record', fields: [] })).reason).toContain('missing name');
  });

  it('rejects a field without a type with a readable reason', () => {
    expect(rejection(withField({ name: 'a' })).reason).toContain('missing "type"');
  });

  it('rejects a string default on an int field', () => {
    expect(rejection(withField({ name: 'a', type: 'int', default: 'x' })).reason).toContain(
      'incompatible field default "x"',
    );
  });

  it('rejects a fractional default on a long field and a record default missing a field', () => {
    rejection(withField({ name: 'a', type: 'long', default: 1.5 }));
    const inner = { type: 'record', name: 'Inner', fields: [{ name: 'x', type: 'int' }] };
    rejection(withField({ name: 'a', type: inner, default: {} }));
  });

  it('rejects an enum default that is not one of the symbols', () => {
    rejection(json({ type: 'enum', name: 'Status', symbols: ['OK', 'FAILED'], default: 'UNKNOWN' }));
  });

  it('rejects a union default that only matches a later branch', () => {
    expect(rejection(withField({ name: 'a', type: ['null', 'string'], default: 'x' })).reason).toContain(
      "union defaults must match the first branch's type",
    );
    rejection(withField({ name: 'a', type: ['string', 'null'], default: null }));
  });

  it('rejects duplicate union branches and duplicate field names', () => {
    rejection('["int","int"]');
    rejection(json({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }, { name: 'a', type: 'int' }] }));
  });
});

describe('parseAvroSchema: references', () => {
  const address = json({
    type: 'record',
    name: 'Address',
    namespace: 'rabt.common',
    fields: [{ name: 'city', type: 'string' }],
  });
  const customer = json({
    type: 'record',
    name: 'Customer',
    namespace: 'rabt.common',
    fields: [{ name: 'home', type: 'rabt.common.Address' }],
  });
  const order = json({
    type: 'record',
    name: 'Order',
    namespace: 'rabt.test',
    fields: [{ name: 'customer', type: 'rabt.common.Customer' }],
  });

  it('resolves named types defined by references, whatever their order', () => {
    const { type, canonical } = parseAvroSchema(order, {
      'rabt.common.Customer': customer,
      'rabt.common.Address': address,
    });
    expect(type.typeName).toBe('record');
    expect(canonical).toContain('"name":"rabt.common.Address"');
  });

  it('rejects the schema when a reference is missing', () => {
    rejection(order, { 'rabt.common.Customer': customer });
  });

  it('names the broken reference', () => {
    expect(rejection(order, { 'rabt.common.Customer': '{"type":' }).message).toContain("reference 'rabt.common.Customer'");
  });
});

describe('parseAvroSchema: canonical form', () => {
  const base = {
    type: 'record',
    name: 'Payment',
    namespace: 'rabt.test',
    doc: 'A payment',
    fields: [
      { name: 'id', type: 'string', doc: 'the id' },
      { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
      { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['OK', 'FAILED'], doc: 'x' }, default: 'OK' },
    ],
  };
  const canonical = (schema: unknown) => parseAvroSchema(json(schema)).canonical;

  it('is equal for whitespace, key order and doc differences', () => {
    const reordered = {
      fields: [
        { type: 'string', name: 'id' },
        { name: 'amount', type: { scale: 2, precision: 12, logicalType: 'decimal', type: 'bytes' } },
        { name: 'status', default: 'OK', type: { type: 'enum', name: 'Status', symbols: ['OK', 'FAILED'] } },
      ],
      namespace: 'rabt.test',
      name: 'Payment',
      type: 'record',
    };
    expect(canonical(reordered)).toBe(canonical(base));
    expect(parseAvroSchema(JSON.stringify(base, null, 2)).canonical).toBe(canonical(base));
    expect(canonical(base)).not.toContain('doc');
  });

  it('differs when a default changes or appears', () => {
    const changed = structuredClone(base);
    changed.fields[2]!.default = 'FAILED';
    expect(canonical(changed)).not.toBe(canonical(base));
    const added = structuredClone(base);
    Object.assign(added.fields[0]!, { default: '' });
    expect(canonical(added)).not.toBe(canonical(base));
  });

  it('keeps aliases, order, decimal precision and enum defaults', () => {
    const variants = [
      { ...base, aliases: ['OldPayment'] },
      { ...base, fields: [{ ...base.fields[0]!, order: 'descending' }, base.fields[1]!, base.fields[2]!] },
      { ...base, fields: [base.fields[0]!, { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 14, scale: 2 } }, base.fields[2]!] },
      { ...base, fields: [base.fields[0]!, base.fields[1]!, { ...base.fields[2]!, type: { ...base.fields[2]!.type as object, default: 'OK' } }] },
    ];
    for (const variant of variants) expect(canonical(variant)).not.toBe(canonical(base));
    expect(canonical(variants[3])).toContain('"default":"OK"}');
  });

  it('keeps an invalid decimal as its underlying type but remembers its attributes', () => {
    const { canonical: text } = parseAvroSchema(
      withField({ name: 'a', type: { type: 'bytes', logicalType: 'decimal', precision: 2, scale: 4 } }),
    );
    expect(text).toContain('"logicalType":"decimal","precision":2,"scale":4');
  });
});

describe('normalizeSchemaText', () => {
  it('minifies JSON', () => {
    expect(normalizeSchemaText('{ "type" : "record",\n "name": "R", "fields": [ ] }')).toBe(
      '{"type":"record","name":"R","fields":[]}',
    );
  });
});
