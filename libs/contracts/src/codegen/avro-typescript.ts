// Avro record schemas (as written in .avsc JSON) -> TypeScript declarations of the data they
// describe, read with avsc `wrapUnions: false`: a nullable field is `T | null`, enums are string
// literal unions, dates and timestamps are numbers. Pure logic: no I/O.
import { pascalCase } from './catalogue.rules';

type Json = Record<string, unknown>;

const PRIMITIVES: Readonly<Record<string, string>> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Uint8Array',
  string: 'string',
};

const LOGICAL_NOTES: Readonly<Record<string, string>> = {
  date: 'Avro `date`: days since 1970-01-01 (an int, never an ISO string).',
  'time-millis': 'Avro `time-millis`: milliseconds after midnight.',
  'time-micros': 'Avro `time-micros`: microseconds after midnight.',
  'timestamp-millis': 'Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).',
  'timestamp-micros': 'Avro `timestamp-micros`: microseconds since 1970-01-01T00:00:00Z.',
  'local-timestamp-millis': 'Avro `local-timestamp-millis`: milliseconds since 1970-01-01T00:00:00 local time.',
  'local-timestamp-micros': 'Avro `local-timestamp-micros`: microseconds since 1970-01-01T00:00:00 local time.',
  uuid: 'Avro `uuid`: an RFC 4122 UUID.',
};

/** A schema the generator cannot turn into TypeScript. */
export class AvroTypeScriptException extends Error {
  override readonly name = 'AvroTypeScriptException';
}

interface Declaration {
  readonly fullName: string;
  /** The Avro definition without docs: two definitions with the same key share one declaration. */
  readonly key: string;
  readonly source: string;
}

interface Scope {
  readonly eventPascal: string;
  readonly defaultPrefix: string;
  /** Avro full name -> TypeScript name, for this schema document. */
  readonly names: Map<string, string>;
}

interface Converted {
  readonly ts: string;
  /** Notes for the doc comment of the field holding this type (logical types). */
  readonly notes: readonly string[];
}

/**
 * Collects the declarations of several event schemas. Named types with the same Avro full name and
 * the same definition (docs aside) are declared once, as `<Namespace segment><Name>` (e.g.
 * `MomReportingOfficer`); a differing redefinition is declared per event instead.
 */
export class AvroTypeScriptEmitter {
  private readonly declarations = new Map<string, Declaration>();

  /** Declares the data interface of `eventType` (`<PascalType>Data`) and its named types; returns its name. */
  addEvent(eventType: string, schema: unknown): string {
    if (!isObject(schema) || schema['type'] !== 'record') throw new AvroTypeScriptException(`${eventType}: the schema is not an Avro record`);
    const eventPascal = pascalCase(eventType);
    const scope: Scope = { eventPascal, defaultPrefix: pascalCase(eventType.split('.')[0] ?? ''), names: new Map() };
    return this.declareNamed(schema, undefined, scope, `${eventPascal}Data`);
  }

  /** Every declaration, in the order met. */
  render(): string {
    return [...this.declarations.values()].map((d) => d.source).join('\n\n');
  }

  private declareNamed(schema: Json, enclosingNamespace: string | undefined, scope: Scope, forcedName?: string): string {
    const name = schema['name'];
    if (typeof name !== 'string' || name === '') throw new AvroTypeScriptException(`${scope.eventPascal}: a ${String(schema['type'])} without a name`);
    const { fullName, namespace } = qualify(name, schema['namespace'], enclosingNamespace);
    const shortName = fullName.slice(fullName.lastIndexOf('.') + 1);
    const prefix = namespace ? pascalCase(namespace.slice(namespace.lastIndexOf('.') + 1)) : scope.defaultPrefix;
    const key = `${fullName}:${JSON.stringify(withoutDocs(schema))}`;
    const candidates = forcedName ? [forcedName] : [`${prefix}${shortName}`, `${scope.eventPascal}${shortName}`];
    for (const tsName of candidates) {
      const existing = this.declarations.get(tsName);
      if (existing && existing.key !== key) continue;
      scope.names.set(fullName, tsName);
      if (!existing) {
        // Reserve the name first: a recursive record refers to itself.
        this.declarations.set(tsName, { fullName, key, source: '' });
        this.declarations.set(tsName, { fullName, key, source: this.declarationSource(tsName, fullName, namespace, schema, scope) });
      }
      return tsName;
    }
    throw new AvroTypeScriptException(`${scope.eventPascal}: cannot name Avro type ${fullName}: ${candidates.join(', ')} are taken by other definitions`);
  }

  private declarationSource(tsName: string, fullName: string, namespace: string | undefined, schema: Json, scope: Scope): string {
    const doc = typeof schema['doc'] === 'string' ? [schema['doc']] : [];
    switch (schema['type']) {
      case 'record':
      case 'error': {
        const fields = schema['fields'];
        if (!Array.isArray(fields)) throw new AvroTypeScriptException(`${fullName}: a record without a fields array`);
        const members = fields.map((f: unknown) => this.fieldSource(f, namespace, scope, fullName));
        return `${jsDoc([...doc, `Avro record \`${fullName}\`.`], '')}export interface ${tsName} {\n${members.join('\n')}\n}`;
      }
      case 'enum': {
        const symbols = schema['symbols'];
        if (!Array.isArray(symbols) || symbols.length === 0) throw new AvroTypeScriptException(`${fullName}: an enum without symbols`);
        const fallback = typeof schema['default'] === 'string' ? ` A reader that does not know a newer symbol reads \`${schema['default']}\`.` : '';
        const union = symbols.map((s) => `'${String(s)}'`).join(' | ');
        return `${jsDoc([...doc, `Avro enum \`${fullName}\`.${fallback}`], '')}export type ${tsName} = ${union};`;
      }
      case 'fixed':
        return `${jsDoc([...doc, `Avro fixed \`${fullName}\` of ${String(schema['size'])} bytes.`], '')}export type ${tsName} = Uint8Array;`;
      default:
        throw new AvroTypeScriptException(`${fullName}: '${String(schema['type'])}' is not a named Avro type`);
    }
  }

  private fieldSource(field: unknown, namespace: string | undefined, scope: Scope, record: string): string {
    if (!isObject(field) || typeof field['name'] !== 'string') throw new AvroTypeScriptException(`${record}: a field without a name`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field['name'])) throw new AvroTypeScriptException(`${record}: '${field['name']}' is not a valid Avro field name`);
    const { ts, notes } = this.typeOf(field['type'], namespace, scope);
    const lines = [
      ...(typeof field['doc'] === 'string' ? [field['doc']] : []),
      ...notes,
      ...(field['rabt.sensitive'] === true ? ['Personal data (`rabt.sensitive`): masked in logs and operator views.'] : []),
      ...('default' in field ? [`Default: \`${JSON.stringify(field['default'])}\`.`] : []),
    ];
    return `${jsDoc(lines, '  ')}  ${field['name']}: ${ts};`;
  }

  private typeOf(type: unknown, namespace: string | undefined, scope: Scope): Converted {
    if (typeof type === 'string') {
      const primitive = PRIMITIVES[type];
      if (primitive) return { ts: primitive, notes: [] };
      const fullName = type.includes('.') || !namespace ? type : `${namespace}.${type}`;
      const named = scope.names.get(fullName) ?? scope.names.get(type);
      if (!named) throw new AvroTypeScriptException(`${scope.eventPascal}: unknown Avro type '${type}'`);
      return { ts: named, notes: [] };
    }
    if (Array.isArray(type)) {
      const branches = type.map((branch: unknown) => this.typeOf(branch, namespace, scope));
      const nonNull = branches.filter((b) => b.ts !== 'null');
      const nullable = nonNull.length < branches.length;
      const ts = [...nonNull.map((b) => b.ts), ...(nullable ? ['null'] : [])].join(' | ');
      return { ts: ts || 'never', notes: branches.flatMap((b) => b.notes) };
    }
    if (!isObject(type)) throw new AvroTypeScriptException(`${scope.eventPascal}: unsupported Avro type ${JSON.stringify(type)}`);
    if (typeof type['logicalType'] === 'string') {
      const { logicalType, ...underlying } = type;
      const inner = this.typeOf(underlying, namespace, scope);
      return { ts: inner.ts, notes: [...inner.notes, logicalNote(logicalType as string, type)] };
    }
    switch (type['type']) {
      case 'record':
      case 'error':
      case 'enum':
      case 'fixed':
        return { ts: this.declareNamed(type, namespace, scope), notes: [] };
      case 'array': {
        const items = this.typeOf(type['items'], namespace, scope);
        return { ts: `${items.ts.includes(' ') ? `(${items.ts})` : items.ts}[]`, notes: items.notes };
      }
      case 'map': {
        const values = this.typeOf(type['values'], namespace, scope);
        return { ts: `Record<string, ${values.ts}>`, notes: values.notes };
      }
      default:
        return this.typeOf(type['type'], namespace, scope);
    }
  }
}

function logicalNote(logicalType: string, type: Json): string {
  if (logicalType === 'decimal') return `Avro \`decimal(${String(type['precision'])}, ${String(type['scale'] ?? 0)})\`: the unscaled value, two's-complement big-endian.`;
  return LOGICAL_NOTES[logicalType] ?? `Avro logical type \`${logicalType}\`.`;
}

function qualify(name: string, ownNamespace: unknown, enclosing: string | undefined): { fullName: string; namespace: string | undefined } {
  if (name.includes('.')) return { fullName: name, namespace: name.slice(0, name.lastIndexOf('.')) };
  const namespace = typeof ownNamespace === 'string' && ownNamespace !== '' ? ownNamespace : enclosing;
  return { fullName: namespace ? `${namespace}.${name}` : name, namespace };
}

function withoutDocs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDocs);
  if (!isObject(node)) return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'doc').map(([k, v]) => [k, withoutDocs(v)]));
}

/** A JSDoc block (empty string for no lines); `*\/` inside docs is escaped. */
export function jsDoc(lines: readonly string[], indent: string): string {
  const all = lines.flatMap((l) => l.split('\n')).map((l) => l.replaceAll('*/', '*\\/').trimEnd());
  if (all.length === 0) return '';
  if (all.length === 1) return `${indent}/** ${all[0]} */\n`;
  return `${indent}/**\n${all.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)).join('\n')}\n${indent} */\n`;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
