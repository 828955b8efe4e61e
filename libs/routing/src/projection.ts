// Field projection (data minimisation): a subscriber may ask for only some top-level fields of an
// event type's data. Rabt then delivers those fields, always with the type's partition key, as a
// record of a projected Avro schema derived from the catalogue schema.
import type { AvroFieldSchema, AvroRecordSchema, CatalogueEntry } from '@rabt/contracts';
import { fullName, isNamedDefinition, isPrimitiveName, namedDefinitions, namespaceOf, type NamedDefinition } from './avro-names';
import { SubscriptionExceptionCode as Code, subscriptionError } from './subscription.exception';

/** Appended to the record name of a projected schema: `EmployeeLeftWorkReported` → `EmployeeLeftWorkReportedProjected`. */
export const PROJECTED_RECORD_SUFFIX = 'Projected';

export interface Projection {
  /** The fields delivered, in schema order; always includes the partition key. */
  readonly fields: readonly string[];
  /** True when the partition key was not asked for and Rabt added it. */
  readonly addedPartitionKey: boolean;
  /** The Avro record schema of projected data: same namespace, name + `Projected` (the original full name as alias), the kept fields with their docs. */
  readonly schema: AvroRecordSchema;
  /** The projected copy of `data`: only the kept fields (absent ones stay absent). */
  project(data: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

type ProjectedType = Pick<CatalogueEntry, 'type' | 'schema' | 'partitionKey'>;

/**
 * Validates a projection of `entry`'s data and derives its schema. Every name must be a top-level
 * field of the schema (INVALID_PROJECTION lists all that are not); duplicates are dropped; the
 * partition key is added when missing, so Rabt keeps the per-key order of delivered events.
 */
export function projectionFor(entry: ProjectedType, fields: readonly string[]): Projection {
  const known = entry.schema.fields.map((f) => f.name);
  const wanted = new Set(fields);
  const errors = [...wanted]
    .filter((name) => !known.includes(name))
    .map((name) => ({
      path: 'projection',
      message: name.includes('.') ? `'${name}' is not a top-level field: only whole top-level fields can be projected (e.g. '${name.split('.')[0]}')` : `'${name}' is not a field of ${entry.type}`,
    }));
  if (wanted.size === 0) errors.push({ path: 'projection', message: 'must name at least one field (leave the projection out to receive every field)' });
  if (errors.length > 0) {
    throw subscriptionError(Code.INVALID_PROJECTION, `invalid projection of ${entry.type}: ${errors.map((e) => e.message).join('; ')}. Its fields are: ${known.join(', ')}`, {
      errors,
      fields: known,
    });
  }
  const addedPartitionKey = !wanted.has(entry.partitionKey);
  wanted.add(entry.partitionKey);
  const kept = entry.schema.fields.filter((f) => wanted.has(f.name));
  const names = kept.map((f) => f.name);
  return {
    fields: names,
    addedPartitionKey,
    schema: projectedSchema(entry.schema, kept),
    project: (data) => {
      const out: Record<string, unknown> = {};
      for (const name of names) if (Object.hasOwn(data, name)) out[name] = data[name];
      return out;
    },
  };
}

function projectedSchema(schema: AvroRecordSchema, kept: readonly AvroFieldSchema[]): AvroRecordSchema {
  const namespace = namespaceOf(schema, undefined);
  const original = fullName(schema.name, namespace);
  const simpleName = schema.name.slice(schema.name.lastIndexOf('.') + 1);
  // Named types defined inside a dropped field but used by name in a kept one are inlined at
  // their first use, so the projected schema stands alone.
  const definitions = namedDefinitions(schema.fields.map((f) => f.type), namespace);
  const defined = new Set<string>([fullName(`${simpleName}${PROJECTED_RECORD_SUFFIX}`, namespace)]);
  const fields = kept.map((field) => ({ ...field, type: standalone(field.type, namespace, definitions, defined) }));
  const { name: _name, namespace: _namespace, doc, fields: _fields, aliases, ...attributes } = schema;
  return {
    ...attributes,
    type: 'record',
    name: `${simpleName}${PROJECTED_RECORD_SUFFIX}`,
    ...(namespace ? { namespace } : {}),
    // The original's full name as an alias: under Avro resolution the projected schema reads full events.
    aliases: [...(Array.isArray(aliases) ? (aliases as string[]) : []), original],
    doc: `Projection of ${original} to the fields ${kept.map((f) => f.name).join(', ')}.${doc ? ` ${doc}` : ''}`,
    fields,
  };
}

/** `node` with every name that is not yet defined (in field order) replaced by its definition. */
function standalone(node: unknown, namespace: string | undefined, definitions: ReadonlyMap<string, NamedDefinition>, defined: Set<string>): unknown {
  if (typeof node === 'string') {
    if (isPrimitiveName(node)) return node;
    const name = definitions.has(fullName(node, namespace)) ? fullName(node, namespace) : node;
    const found = definitions.get(name);
    if (!found || defined.has(name)) return node;
    // Inline with an explicit namespace, so the definition resolves as it did where it came from.
    return standalone({ ...found.definition, ...(found.namespace && !found.definition.name.includes('.') ? { namespace: found.namespace } : {}) }, found.namespace, definitions, defined);
  }
  if (Array.isArray(node)) return node.map((branch) => standalone(branch, namespace, definitions, defined));
  if (typeof node !== 'object' || node === null) return node;
  const obj = node as Record<string, unknown>;
  if (isNamedDefinition(obj)) {
    const ns = namespaceOf(obj, namespace);
    defined.add(fullName(obj.name, ns));
    const fields = (obj as { fields?: readonly AvroFieldSchema[] }).fields;
    return fields ? { ...obj, fields: fields.map((f) => ({ ...f, type: standalone(f.type, ns, definitions, defined) })) } : obj;
  }
  if (obj['type'] === 'array') return { ...obj, items: standalone(obj['items'], namespace, definitions, defined) };
  if (obj['type'] === 'map') return { ...obj, values: standalone(obj['values'], namespace, definitions, defined) };
  if (typeof obj['type'] === 'object' || typeof obj['type'] === 'string') return { ...obj, type: standalone(obj['type'], namespace, definitions, defined) };
  return obj;
}
