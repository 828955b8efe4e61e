// Masks the fields an event's Avro schema marks `"rabt.sensitive": true` in a structured
// CloudEvent (the dead letter's payload), for viewers. Pure: schema + event in, masked copy and
// the masked paths out.
import type { AvroRecordSchema } from '@rabt/contracts';

export const MASK = '••••';

export interface Masked {
  readonly payload: Record<string, unknown>;
  /** Paths of the masked values, e.g. `data.workerName`, `data.dependants[0].civilNumber`. */
  readonly masked: string[];
}

type Named = Map<string, unknown>;

/** Masks `event.data` by `schema`; the envelope's attributes are never sensitive. */
export function maskSensitive(event: Record<string, unknown>, schema: AvroRecordSchema | undefined): Masked {
  const masked: string[] = [];
  if (!schema || event['data'] === undefined) return { payload: event, masked };
  const named: Named = new Map();
  collectNames(schema, schema.namespace, named);
  return { payload: { ...event, data: maskValue(schema, event['data'], 'data', masked, named, schema.namespace) }, masked };
}

function maskValue(type: unknown, value: unknown, path: string, masked: string[], named: Named, namespace: string | undefined): unknown {
  if (value === null || value === undefined) return value;
  if (typeof type === 'string') {
    const ref = named.get(type) ?? (namespace ? named.get(`${namespace}.${type}`) : undefined);
    return ref ? maskValue(ref, value, path, masked, named, namespace) : value;
  }
  if (Array.isArray(type)) {
    // A union: mask by the first branch the value's shape fits (records and collections only).
    for (const branch of type) {
      const t = resolve(branch, named, namespace);
      if (isRecord(t) && isObject(value)) return maskValue(t, value, path, masked, named, namespace);
      if (isType(t, 'array') && Array.isArray(value)) return maskValue(t, value, path, masked, named, namespace);
      if (isType(t, 'map') && isObject(value)) return maskValue(t, value, path, masked, named, namespace);
    }
    return value;
  }
  if (isRecord(type) && isObject(value)) {
    const ns = (type as { namespace?: string }).namespace ?? namespace;
    const out: Record<string, unknown> = { ...value };
    for (const field of (type as AvroRecordSchema).fields) {
      if (!(field.name in value)) continue;
      const fieldPath = `${path}.${field.name}`;
      if (field['rabt.sensitive'] === true && value[field.name] !== null) {
        out[field.name] = MASK;
        masked.push(fieldPath);
      } else {
        out[field.name] = maskValue(field.type, value[field.name], fieldPath, masked, named, ns);
      }
    }
    return out;
  }
  if (isType(type, 'array') && Array.isArray(value)) return value.map((v, i) => maskValue((type as { items: unknown }).items, v, `${path}[${i}]`, masked, named, namespace));
  if (isType(type, 'map') && isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue((type as { values: unknown }).values, v, `${path}.${k}`, masked, named, namespace)]));
  }
  return value;
}

function collectNames(type: unknown, namespace: string | undefined, named: Named): void {
  if (Array.isArray(type)) return type.forEach((t) => collectNames(t, namespace, named));
  if (!type || typeof type !== 'object') return;
  const t = type as { type?: unknown; name?: string; namespace?: string; fields?: { type: unknown }[]; items?: unknown; values?: unknown };
  if ((t.type === 'record' || t.type === 'enum' || t.type === 'fixed') && t.name) {
    const ns = t.namespace ?? namespace;
    named.set(t.name.includes('.') || !ns ? t.name : `${ns}.${t.name}`, type);
    named.set(t.name, type);
    for (const f of t.fields ?? []) collectNames(f.type, ns, named);
    return;
  }
  if (t.type === 'array') collectNames(t.items, namespace, named);
  if (t.type === 'map') collectNames(t.values, namespace, named);
}

const resolve = (type: unknown, named: Named, namespace: string | undefined): unknown =>
  typeof type === 'string' ? (named.get(type) ?? (namespace ? named.get(`${namespace}.${type}`) : undefined) ?? type) : type;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isType = (t: unknown, name: string): boolean => isObject(t) && t['type'] === name;
const isRecord = (t: unknown): boolean => isType(t, 'record');
