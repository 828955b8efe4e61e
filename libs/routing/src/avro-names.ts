// Named types (records, enums, fixed) of an Avro schema as written in an .avsc file: what each
// name stands for, so that a field whose type is a name can be followed (filters) or its
// definition inlined where a projection dropped the field that first defined it.

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAMED = new Set(['record', 'error', 'enum', 'fixed']);

export type AvroSchemaNode = string | readonly unknown[] | { readonly type: unknown; readonly [key: string]: unknown };

export const isPrimitiveName = (name: string): boolean => PRIMITIVES.has(name);

const isObject = (node: unknown): node is { readonly type: unknown; readonly [key: string]: unknown } => typeof node === 'object' && node !== null && !Array.isArray(node);

/** True for a record, enum or fixed definition (an object with a name). */
export const isNamedDefinition = (node: unknown): node is { readonly type: string; readonly name: string; readonly namespace?: string } =>
  isObject(node) && typeof node['type'] === 'string' && NAMED.has(node['type']) && typeof node['name'] === 'string';

/** The full name of `name` written inside `namespace` (a dotted name is already full). */
export function fullName(name: string, namespace: string | undefined): string {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}

/** The namespace a definition's own children are resolved in. */
export function namespaceOf(def: { readonly name: string; readonly namespace?: string }, enclosing: string | undefined): string | undefined {
  if (def.name.includes('.')) return def.name.slice(0, def.name.lastIndexOf('.'));
  return def.namespace ?? enclosing;
}

export interface NamedDefinition {
  readonly definition: { readonly type: string; readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  /** The namespace in which the definition's name (and its children) resolve. */
  readonly namespace: string | undefined;
}

/** Every named type defined anywhere in `node`, by full name. */
export function namedDefinitions(node: unknown, namespace: string | undefined = undefined, into = new Map<string, NamedDefinition>()): Map<string, NamedDefinition> {
  if (Array.isArray(node)) {
    for (const branch of node) namedDefinitions(branch, namespace, into);
  } else if (isNamedDefinition(node)) {
    const ns = namespaceOf(node, namespace);
    into.set(fullName(node.name, ns), { definition: node, namespace: ns });
    for (const field of (node as { fields?: readonly { type: unknown }[] }).fields ?? []) namedDefinitions(field.type, ns, into);
  } else if (isObject(node)) {
    if (node['type'] === 'array') namedDefinitions(node['items'], namespace, into);
    else if (node['type'] === 'map') namedDefinitions(node['values'], namespace, into);
    else if (typeof node['type'] === 'object') namedDefinitions(node['type'], namespace, into);
  }
  return into;
}

/** What a type reference names: the definition behind a name, else the node itself. */
export function dereference(node: unknown, namespace: string | undefined, names: ReadonlyMap<string, NamedDefinition>): { node: unknown; namespace: string | undefined } {
  if (typeof node === 'string' && !isPrimitiveName(node)) {
    const found = names.get(fullName(node, namespace)) ?? names.get(node);
    if (found) return { node: found.definition, namespace: found.namespace };
  }
  if (isObject(node) && typeof node['type'] === 'object') return dereference(node['type'], namespace, names);
  if (isObject(node) && typeof node['type'] === 'string' && !NAMED.has(node['type']) && node['type'] !== 'array' && node['type'] !== 'map') {
    return dereference(node['type'], namespace, names); // {"type": "string", "logicalType": …} and {"type": "Name"}
  }
  return { node, namespace };
}
