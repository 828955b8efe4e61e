// Parsing Avro schemas into avsc types, plus a stable identity string for "same schema" checks.
// Pure logic: no Nest, no I/O.
import * as avro from 'avsc';

/** Thrown for schema text that is not valid JSON, not valid Avro, or has a bad default. */
export class InvalidAvroSchemaError extends Error {
  override readonly name = 'InvalidAvroSchemaError';

  constructor(
    /** Why the schema was refused, without the "Invalid schema" prefix. */
    readonly reason: string,
    schemaText?: string,
  ) {
    super(`Invalid schema${schemaText === undefined ? '' : ` ${abbreviate(schemaText)}`}: ${reason}`);
  }
}

export interface ParsedAvroSchema {
  type: avro.Type;
  /** Stable identity: docs dropped; defaults, aliases, order and logical types kept. */
  canonical: string;
}

/** Minified JSON of the schema text (throws SyntaxError on invalid JSON). */
export function normalizeSchemaText(text: string): string {
  return JSON.stringify(JSON.parse(text));
}

/**
 * Parses Avro schema JSON with avsc. `references` maps the full name of each referenced named
 * type to its schema text; they are parsed first (in dependency order) into a shared registry so
 * the main schema can name them.
 */
export function parseAvroSchema(text: string, references: Record<string, string> = {}): ParsedAvroSchema {
  const registry: Record<string, avro.Type> = {};
  parseReferences(references, registry);
  const type = parseInto(text, registry);
  return { type, canonical: canonicalSchema(type) };
}

/** JSON.stringify(type.schema({ exportAttrs: true })) minus docs, plus enum defaults. */
export function canonicalSchema(type: avro.Type): string {
  return JSON.stringify(withoutDocs(type.schema({ exportAttrs: true }), type));
}

// ---------------------------------------------------------------------------------------------
// Shape of an avsc type, keyed on typeName (robust even for types built by another avsc copy).

export type AvroTypeView =
  | { kind: 'NULL' | 'BOOLEAN' | 'INT' | 'LONG' | 'FLOAT' | 'DOUBLE' | 'BYTES' | 'STRING' }
  | { kind: 'RECORD'; type: avro.types.RecordType }
  | { kind: 'ENUM'; type: avro.types.EnumType; enumDefault: string | undefined }
  | { kind: 'FIXED'; type: avro.types.FixedType }
  | { kind: 'ARRAY'; items: avro.Type }
  | { kind: 'MAP'; values: avro.Type }
  | { kind: 'UNION'; branches: readonly avro.Type[] }
  | { kind: 'LOGICAL'; logicalType: string; underlying: avro.Type };

export function viewAvroType(type: avro.Type): AvroTypeView {
  const typeName = type.typeName;
  if (typeName.startsWith('logical:')) {
    const logical = type as avro.types.LogicalType;
    return { kind: 'LOGICAL', logicalType: typeName.slice('logical:'.length), underlying: logical.underlyingType };
  }
  switch (typeName) {
    case 'null':
      return { kind: 'NULL' };
    case 'boolean':
      return { kind: 'BOOLEAN' };
    case 'int':
      return { kind: 'INT' };
    case 'long':
    case 'abstract:long':
      return { kind: 'LONG' };
    case 'float':
      return { kind: 'FLOAT' };
    case 'double':
      return { kind: 'DOUBLE' };
    case 'bytes':
      return { kind: 'BYTES' };
    case 'string':
      return { kind: 'STRING' };
    case 'record':
    case 'error':
      return { kind: 'RECORD', type: type as avro.types.RecordType };
    case 'enum': {
      // avsc keeps the enum default on the instance but its typings omit it.
      const enumType = type as avro.types.EnumType & { readonly default?: string };
      return { kind: 'ENUM', type: enumType, enumDefault: enumType.default };
    }
    case 'fixed':
      return { kind: 'FIXED', type: type as avro.types.FixedType };
    case 'array':
      return { kind: 'ARRAY', items: (type as avro.types.ArrayType).itemsType };
    case 'map':
      return { kind: 'MAP', values: (type as avro.types.MapType).valuesType as avro.Type };
    case 'union:wrapped':
    case 'union:unwrapped':
      return { kind: 'UNION', branches: (type as avro.types.UnwrappedUnionType).types };
    default:
      throw new Error(`Unsupported avsc type: ${typeName}`);
  }
}

/** Decimal precision/scale of a decimal logical type, undefined for anything else. */
export function decimalOf(type: avro.Type): { precision: number; scale: number } | undefined {
  if (type instanceof SpecLogicalType) return type.decimal;
  if (type.typeName !== 'logical:decimal') return undefined;
  // A decimal implementation we did not create: read what it exports.
  const schema = type.schema({ exportAttrs: true }) as { precision?: unknown; scale?: unknown };
  return typeof schema.precision === 'number'
    ? { precision: schema.precision, scale: typeof schema.scale === 'number' ? schema.scale : 0 }
    : undefined;
}

// ---------------------------------------------------------------------------------------------
// Logical types. Without `logicalTypes` avsc silently drops them, losing decimal precision/scale
// and the logicalType attribute from the canonical form. This pass-through implementation keeps
// values in their underlying representation and only records the attributes. An invalid logical
// type (say a decimal with scale > precision) is, as the spec says, treated as its underlying
// type for resolution; its attributes are still kept in the canonical form.

type LogicalTypeSchema = ConstructorParameters<typeof avro.types.LogicalType>[0];
type ForSchemaOptions = NonNullable<Parameters<typeof avro.Type.forSchema>[1]>;

class SpecLogicalType extends avro.types.LogicalType {
  /** Set for valid decimals only. */
  readonly decimal: { precision: number; scale: number } | undefined;
  private readonly exportedAttrs: Record<string, unknown>;

  constructor(schema: LogicalTypeSchema, opts?: unknown) {
    super(schema, opts);
    const attrs = schema as { logicalType?: unknown; precision?: unknown; scale?: unknown };
    const isDecimal = attrs.logicalType === 'decimal';
    this.decimal = isDecimal ? validDecimal(attrs.precision, attrs.scale, this.underlyingType) : undefined;
    this.exportedAttrs = isDecimal
      ? Object.fromEntries(Object.entries({ precision: attrs.precision, scale: attrs.scale }).filter(([, v]) => v !== undefined))
      : {};
  }

  protected override _fromValue(val: unknown): unknown {
    return val;
  }

  protected override _toValue(val: unknown): unknown {
    return val;
  }

  /** Resolution follows the underlying types; decimals also need equal precision and scale. */
  protected override _resolve(type: avro.Type): ((val: unknown) => unknown) | undefined {
    const writerDecimal = decimalOf(type);
    if (
      this.decimal &&
      writerDecimal &&
      (this.decimal.precision !== writerDecimal.precision || this.decimal.scale !== writerDecimal.scale)
    ) {
      return undefined;
    }
    const writer = type instanceof avro.types.LogicalType ? type.underlyingType : type;
    this.underlyingType.createResolver(writer); // throws when the underlying types do not resolve
    return (val) => val;
  }

  protected override _export(schema: LogicalTypeSchema): void {
    if (typeof schema === 'object') Object.assign(schema, this.exportedAttrs);
  }
}

function validDecimal(precision: unknown, scale: unknown, underlying: avro.Type): { precision: number; scale: number } | undefined {
  const s = scale === undefined ? 0 : scale;
  if (typeof precision !== 'number' || !Number.isInteger(precision) || precision <= 0) return undefined;
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > precision) return undefined;
  if (underlying instanceof avro.types.FixedType) {
    if (precision > Math.floor(Math.log10(2) * (8 * underlying.size - 1))) return undefined;
  } else if (underlying.typeName !== 'bytes') {
    return undefined;
  }
  return { precision, scale: s };
}

// Every logicalType name gets the pass-through class (unknown ones just keep their attribute).
const LOGICAL_TYPES = new Proxy<NonNullable<ForSchemaOptions['logicalTypes']>>(
  {},
  { get: (_target, key) => (typeof key === 'string' ? SpecLogicalType : undefined) },
);

// ---------------------------------------------------------------------------------------------

function parseInto(text: string, registry: Record<string, avro.Type>): avro.Type {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InvalidAvroSchemaError(`invalid JSON: ${messageOf(e)}`, text);
  }
  const snapshot = new Set(Object.keys(registry));
  try {
    return avro.Type.forSchema(json as Parameters<typeof avro.Type.forSchema>[0], {
      registry,
      logicalTypes: LOGICAL_TYPES,
      // The spec requires names on records, enums and fixed; avsc allows anonymous ones.
      noAnonymousTypes: true,
      typeHook: (schema) => {
        // Otherwise avsc fails with a bare TypeError on e.g. a field without "type".
        if (schema === undefined) throw new Error('missing "type" (a field or type without one)');
        return undefined;
      },
      // Field defaults are validated by avsc while parsing: a union default must match the
      // union's FIRST branch, as the spec says.
    });
  } catch (e) {
    // avsc registers named types as it meets them; undo a half-parsed schema.
    for (const key of Object.keys(registry)) if (!snapshot.has(key)) delete registry[key];
    throw new InvalidAvroSchemaError(messageOf(e), text);
  }
}

/** Parses references in whatever order lets each one name those it depends on. */
function parseReferences(references: Record<string, string>, registry: Record<string, avro.Type>): void {
  let pending = Object.entries(references);
  while (pending.length > 0) {
    const failed: { entry: [string, string]; error: InvalidAvroSchemaError }[] = [];
    for (const entry of pending) {
      try {
        parseInto(entry[1], registry);
      } catch (e) {
        if (!(e instanceof InvalidAvroSchemaError)) throw e;
        failed.push({ entry, error: e });
      }
    }
    const first = failed[0];
    if (first && failed.length === pending.length) {
      throw new InvalidAvroSchemaError(`reference '${first.entry[0]}': ${first.error.reason}`);
    }
    pending = failed.map((f) => f.entry);
  }
}

/** Walks the exported schema alongside its type: drops `doc`, adds enum defaults. */
function withoutDocs(node: unknown, type: avro.Type): unknown {
  if (typeof node !== 'object' || node === null) return node; // a type name or a primitive
  const view = viewAvroType(type);
  if (Array.isArray(node)) {
    return view.kind === 'UNION' ? node.map((branch: unknown, i) => withoutDocs(branch, view.branches[i]!)) : node;
  }
  const out: Record<string, unknown> = { ...(node as Record<string, unknown>) };
  switch (view.kind) {
    case 'LOGICAL':
      return withoutDocs(out, view.underlying);
    case 'RECORD': {
      delete out['doc'];
      const fields = out['fields'] as Record<string, unknown>[];
      out['fields'] = fields.map((field, i) => {
        const { doc: _doc, ...rest } = field;
        return { ...rest, type: withoutDocs(field['type'], view.type.fields[i]!.type) };
      });
      return out;
    }
    case 'ENUM':
      delete out['doc'];
      if (view.enumDefault !== undefined) out['default'] = view.enumDefault;
      return out;
    case 'FIXED':
      delete out['doc'];
      return out;
    case 'ARRAY':
      out['items'] = withoutDocs(out['items'], view.items);
      return out;
    case 'MAP':
      out['values'] = withoutDocs(out['values'], view.values);
      return out;
    default:
      return out;
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function abbreviate(text: string, max = 200): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}
