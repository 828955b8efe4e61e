// Avro schema resolution ("can a reader schema read data written with a writer schema?") after
// the Avro 1.11 specification, section "Schema Resolution", mirroring the checks of Java's
// org.apache.avro.SchemaCompatibility, with Confluent's error types, paths and wording.
// Pure logic: no Nest, no I/O.
import type * as avro from 'avsc';
import { decimalOf, viewAvroType, type AvroTypeView } from './avro-schema';

export type IncompatibilityType =
  | 'NAME_MISMATCH'
  | 'FIXED_SIZE_MISMATCH'
  | 'MISSING_ENUM_SYMBOLS'
  | 'READER_FIELD_MISSING_DEFAULT_VALUE'
  | 'TYPE_MISMATCH'
  | 'MISSING_UNION_BRANCH';

export interface Incompatibility {
  errorType: IncompatibilityType;
  description: string;
  /** JSON-pointer-like location in the schemas, e.g. `/fields/1/type`. */
  path: string;
  /** Confluent's `additionalInfo`: the field name, missing symbols, or the types involved. */
  additionalInfo: string;
}

/** How descriptions name the two schemas; Confluent says "new"/"old" depending on direction. */
export interface SchemaRoleLabels {
  reader: string;
  writer: string;
}

/**
 * Everything that stops `reader` from reading data written with `writer`; empty when it can.
 * Recursive schemas are handled: a pair already being checked is assumed compatible.
 */
export function readerCanRead(
  reader: avro.Type,
  writer: avro.Type,
  labels: SchemaRoleLabels = { reader: 'reader', writer: 'writer' },
): Incompatibility[] {
  return new ResolutionChecker().check(reader, writer).map((found) => describe(found, labels));
}

interface Found {
  errorType: IncompatibilityType;
  /** Path segments relative to the pair the result was computed for. */
  segments: readonly string[];
  additionalInfo: string;
}

type Kind = AvroTypeView['kind'];

class ResolutionChecker {
  /** reader -> writer -> result; `null` while the pair is being checked (recursion). */
  private readonly memo = new Map<avro.Type, Map<avro.Type, readonly Found[] | null>>();

  check(reader: avro.Type, writer: avro.Type): readonly Found[] {
    let byWriter = this.memo.get(reader);
    if (!byWriter) {
      byWriter = new Map();
      this.memo.set(reader, byWriter);
    }
    if (byWriter.has(writer)) return byWriter.get(writer) ?? [];
    byWriter.set(writer, null);
    const result = this.calculate(reader, writer);
    byWriter.set(writer, result);
    return result;
  }

  private calculate(readerType: avro.Type, writerType: avro.Type): readonly Found[] {
    // Spec: two decimals match only if their precision and scale match. Other logical types
    // resolve like their underlying types (Java ignores logical types altogether).
    const readerDecimal = decimalOf(readerType);
    const writerDecimal = decimalOf(writerType);
    if (
      readerDecimal &&
      writerDecimal &&
      (readerDecimal.precision !== writerDecimal.precision || readerDecimal.scale !== writerDecimal.scale)
    ) {
      const show = (d: { precision: number; scale: number }) => `decimal(${d.precision},${d.scale})`;
      return [found('TYPE_MISMATCH', [], `reader type: ${show(readerDecimal)} not compatible with writer type: ${show(writerDecimal)}`)];
    }
    const reader = unwrapLogical(readerType);
    const writer = unwrapLogical(writerType);

    // Writer union (also union to union): every writer branch must be readable.
    if (writer.view.kind === 'UNION') return this.eachWriterBranch(readerType, writer.view.branches);
    if (reader.view.kind === writer.view.kind) return this.sameKind(reader.view, writer.view);

    const r = reader.view.kind;
    const w = writer.view.kind;
    switch (r) {
      case 'LONG':
        return w === 'INT' ? [] : [typeMismatch(r, w)];
      case 'FLOAT':
        return w === 'INT' || w === 'LONG' ? [] : [typeMismatch(r, w)];
      case 'DOUBLE':
        return w === 'INT' || w === 'LONG' || w === 'FLOAT' ? [] : [typeMismatch(r, w)];
      case 'BYTES':
        return w === 'STRING' ? [] : [typeMismatch(r, w)];
      case 'STRING':
        return w === 'BYTES' ? [] : [typeMismatch(r, w)];
      case 'UNION':
        // Reader union, writer not a union: some branch must read the writer (Java keeps the
        // first branch that is fully compatible; the spec picks the first matching one).
        return reader.view.branches.some((branch) => this.check(branch, writerType).length === 0)
          ? []
          : [found('MISSING_UNION_BRANCH', [], `reader union lacking writer type: ${w}`)];
      case 'NULL':
      case 'BOOLEAN':
      case 'INT':
      case 'RECORD':
      case 'ENUM':
      case 'FIXED':
      case 'ARRAY':
      case 'MAP':
      case 'LOGICAL':
        return [typeMismatch(r, w)];
    }
  }

  /** Both sides have the same kind (never a union here); primitives need nothing more. */
  private sameKind(reader: AvroTypeView, writer: AvroTypeView): readonly Found[] {
    if (reader.kind === 'ARRAY' && writer.kind === 'ARRAY') {
      return within(['items'], this.check(reader.items, writer.items));
    }
    if (reader.kind === 'MAP' && writer.kind === 'MAP') {
      return within(['values'], this.check(reader.values, writer.values));
    }
    if (reader.kind === 'FIXED' && writer.kind === 'FIXED') {
      const size =
        reader.type.size === writer.type.size
          ? []
          : [found('FIXED_SIZE_MISMATCH', ['size'], `expected: ${writer.type.size}, found: ${reader.type.size}`)];
      return [...checkNames(reader.type, writer.type), ...size];
    }
    if (reader.kind === 'ENUM' && writer.kind === 'ENUM') {
      return [...checkNames(reader.type, writer.type), ...checkEnumSymbols(reader, writer)];
    }
    if (reader.kind === 'RECORD' && writer.kind === 'RECORD') {
      return [...checkNames(reader.type, writer.type), ...this.checkFields(reader.type, writer.type)];
    }
    return [];
  }

  /** Writer union: every writer branch must be readable by the reader (by some branch of it). */
  private eachWriterBranch(reader: avro.Type, writerBranches: readonly avro.Type[]): readonly Found[] {
    // Java drops the location here when the reader is not a union (reporting '/'); we keep it
    // and add the writer branch index, as Java does for union-to-union.
    return writerBranches.flatMap((branch, i) => within([String(i)], this.check(reader, branch)));
  }

  private checkFields(reader: avro.types.RecordType, writer: avro.types.RecordType): readonly Found[] {
    const byName = new Map(writer.fields.map((f) => [f.name, f] as const));
    return reader.fields.flatMap((readerField, i) => {
      // By name first, then by the reader field's aliases (avsc instead refuses a pair where
      // both match different writer fields as "ambiguous"; the spec and Java do not).
      const writerField =
        byName.get(readerField.name) ??
        readerField.aliases.map((alias) => byName.get(alias)).find((f) => f !== undefined);
      if (writerField) {
        return within(['fields', String(i), 'type'], this.check(readerField.type, writerField.type));
      }
      // Writer fields missing in the reader are skipped; reader fields missing in the writer
      // are filled from their default, so they need one.
      return readerField.defaultValue() === undefined
        ? [found('READER_FIELD_MISSING_DEFAULT_VALUE', ['fields', String(i)], readerField.name)]
        : [];
    });
  }
}

/** Spec: same unqualified name, or a reader alias equal to the writer's full name. */
function checkNames(reader: avro.Type, writer: avro.Type): Found[] {
  const writerName = writer.name ?? '';
  const same = unqualified(reader.name ?? '') === unqualified(writerName) || (reader.aliases ?? []).includes(writerName);
  return same ? [] : [found('NAME_MISMATCH', ['name'], `expected: ${writerName}`)];
}

function checkEnumSymbols(
  reader: Extract<AvroTypeView, { kind: 'ENUM' }>,
  writer: Extract<AvroTypeView, { kind: 'ENUM' }>,
): Found[] {
  const missing = writer.type.symbols.filter((s) => !reader.type.symbols.includes(s)).sort();
  if (missing.length === 0) return [];
  // Avro 1.9+: unknown writer symbols read as the reader's enum default.
  if (reader.enumDefault !== undefined && reader.type.symbols.includes(reader.enumDefault)) return [];
  return [found('MISSING_ENUM_SYMBOLS', ['symbols'], `[${missing.join(', ')}]`)];
}

function unwrapLogical(type: avro.Type): { type: avro.Type; view: AvroTypeView } {
  let view = viewAvroType(type);
  let current = type;
  while (view.kind === 'LOGICAL') {
    current = view.underlying;
    view = viewAvroType(current);
  }
  return { type: current, view };
}

function unqualified(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

function found(errorType: IncompatibilityType, segments: readonly string[], additionalInfo: string): Found {
  return { errorType, segments, additionalInfo };
}

function typeMismatch(reader: Kind, writer: Kind): Found {
  return found('TYPE_MISMATCH', [], `reader type: ${reader} not compatible with writer type: ${writer}`);
}

function within(prefix: readonly string[], results: readonly Found[]): Found[] {
  return results.map((r) => ({ ...r, segments: [...prefix, ...r.segments] }));
}

function describe(f: Found, { reader: r, writer: w }: SchemaRoleLabels): Incompatibility {
  const path = `/${f.segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
  const info = f.additionalInfo;
  let description: string;
  switch (f.errorType) {
    case 'FIXED_SIZE_MISMATCH':
      description = `The size of FIXED type field at path '${path}' in the ${r} schema does not match with the ${w} schema`;
      break;
    case 'TYPE_MISMATCH':
      description = `The type (path '${path}') of a field in the ${r} schema does not match with the ${w} schema`;
      break;
    case 'NAME_MISMATCH':
      description = `The name of the schema has changed (path '${path}')`;
      break;
    case 'MISSING_ENUM_SYMBOLS':
      description = `The ${r} schema is missing enum symbols '${info}' at path '${path}' in the ${w} schema`;
      break;
    case 'MISSING_UNION_BRANCH':
      description = `The ${r} schema is missing a type inside a union field at path '${path}' in the ${w} schema`;
      break;
    case 'READER_FIELD_MISSING_DEFAULT_VALUE':
      description = `The field '${info}' at path '${path}' in the ${r} schema has no default value and is missing in the ${w} schema`;
      break;
  }
  return { errorType: f.errorType, description, path, additionalInfo: info };
}
