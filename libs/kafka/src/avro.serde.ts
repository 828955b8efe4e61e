import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type * as avro from 'avsc';
import type { SchemaRegistryClientConfig } from '@rabt/config';

/** One failing place in a payload: the field path and what the schema expected there. */
export interface AvroValidationError {
  readonly path: string;
  readonly expected: string;
  readonly got: string;
}

export class SchemaRegistryUnavailableError extends Error {
  override readonly name = 'SchemaRegistryUnavailableError';
}

export class SchemaNotFoundError extends Error {
  override readonly name = 'SchemaNotFoundError';
}

const MAGIC_BYTE = 0;

/** Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro binary body. */
export function confluentFrame(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}

export function schemaIdOf(frame: Buffer): number {
  if (frame.length < 5 || frame.readUInt8(0) !== MAGIC_BYTE) throw new Error('not in the Confluent wire format (magic byte 0 expected)');
  return frame.readUInt32BE(1);
}

/**
 * Avro with a Confluent-compatible registry, through @kafkajs/confluent-schema-registry (which
 * caches schemas by id). Adds what Rabt needs on top: a cached "latest id per subject", and
 * validation that reports every failing field path instead of the first.
 */
export class AvroSerde {
  readonly registry: SchemaRegistry;
  /** Per subject: the latest id, or the lookup in flight (its `until` is open while it is). */
  private readonly latest = new Map<string, { id: Promise<number>; until: number }>();
  private readonly versionsOf = new Map<number, Promise<Set<string>>>();

  constructor(private readonly config: SchemaRegistryClientConfig) {
    this.registry = new SchemaRegistry({
      host: config.url,
      ...(config.username ? { auth: { username: config.username, password: config.password ?? '' } } : {}),
      clientId: 'rabt',
    });
  }

  /**
   * The subject's latest schema id, reused for `latestCacheMs`. Callers that miss the cache at the
   * same time share one lookup: without that, a gateway publishing a batch of 100 events sent 100
   * identical requests to the registry each time the cached id expired (802 in one benchmark run).
   * A failed lookup is not kept, so the next caller asks again.
   */
  latestId(subject: string): Promise<number> {
    const cached = this.latest.get(subject);
    if (cached && cached.until > Date.now()) return cached.id;
    const entry = { id: this.call(() => this.registry.getLatestSchemaId(subject), `subject ${subject}`), until: Number.POSITIVE_INFINITY };
    this.latest.set(subject, entry);
    entry.id.then(
      () => (entry.until = Date.now() + this.config.latestCacheMs),
      () => this.latest.get(subject) === entry && this.latest.delete(subject),
    );
    return entry.id;
  }

  /** Whether schema `id` is (or was) a version of `subject`. Kept for good once known; concurrent lookups are shared. */
  async isVersionOf(id: number, subject: string): Promise<boolean> {
    const subjects = await keptUnlessFailed(this.versionsOf, id, async () => {
      const res = await this.call(() => this.fetchJson(`/schemas/ids/${id}/versions`), `schema ${id}`);
      return new Set((res as { subject: string }[]).map((v) => v.subject));
    });
    return subjects.has(subject);
  }

  /** The id of `subject` version `version`. */
  async idOfVersion(subject: string, version: number): Promise<number> {
    const res = await this.call(() => this.fetchJson(`/subjects/${encodeURIComponent(subject)}/versions/${version}`), `${subject} version ${version}`);
    return (res as { id: number }).id;
  }

  async type(id: number): Promise<avro.Type> {
    return (await this.call(() => this.registry.getSchema(id), `schema ${id}`)) as unknown as avro.Type;
  }

  /** Every path where `data` breaks schema `id` (unknown fields included); empty when valid. */
  async validate(id: number, data: unknown): Promise<AvroValidationError[]> {
    const type = await this.type(id);
    const errors: AvroValidationError[] = undeclaredFields(type, data);
    type.isValid(data, {
      errorHook: (path: string[], value: unknown, t: avro.Type) => {
        errors.push({ path: path.length ? path.join('.') : '(root)', expected: describe(t), got: value === undefined ? 'nothing' : boundedPreview(value) });
      },
    });
    return errors;
  }

  /** Encodes valid data in the Confluent wire format (validate first: this throws on invalid data). */
  async encode(id: number, data: unknown): Promise<Buffer> {
    return confluentFrame(id, (await this.type(id)).toBuffer(data));
  }

  async decode(frame: Buffer): Promise<unknown> {
    return this.call(() => this.registry.decode(frame), `schema ${schemaIdOf(frame)}`);
  }

  private async fetchJson(path: string): Promise<unknown> {
    const headers: Record<string, string> = { Accept: 'application/vnd.schemaregistry.v1+json' };
    if (this.config.username) headers['Authorization'] = `Basic ${Buffer.from(`${this.config.username}:${this.config.password ?? ''}`).toString('base64')}`;
    const res = await fetch(this.config.url + path, { headers, signal: AbortSignal.timeout(5000) });
    const body = (await res.json().catch(() => ({}))) as { error_code?: number; message?: string };
    if (!res.ok) throw Object.assign(new Error(body.message ?? `HTTP ${res.status}`), { status: res.status, errorCode: body.error_code });
    return body;
  }

  /** Registry 404s mean "no such schema"; anything else (refused, 5xx, timeout) means unavailable. */
  private async call<T>(fn: () => Promise<T>, what: string): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const err = e as { status?: number; message?: string };
      if (err.status === 404 || /not found/i.test(err.message ?? '')) throw new SchemaNotFoundError(`${what} not found in the schema registry`);
      throw new SchemaRegistryUnavailableError(`schema registry unavailable (${what}): ${err.message ?? String(e)}`);
    }
  }
}

/**
 * `cache`'s value for `key`, loading it once: callers that come while it loads share that load.
 * Kept for good once loaded; a failed load is dropped, so the next caller loads again.
 */
export function keptUnlessFailed<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  const known = cache.get(key);
  if (known) return known;
  const loading = load();
  cache.set(key, loading);
  loading.catch(() => cache.get(key) === loading && cache.delete(key));
  return loading;
}

const PREVIEW_CHARS = 80;

/**
 * The first `maxChars` characters of `value` as JSON, for error messages. It walks the value
 * with an explicit stack and stops once it has that many, so a value of any size or nesting
 * depth costs O(maxChars) time and constant call stack (JSON.stringify of the whole value
 * would overflow the stack on deep nesting and take time on big values).
 */
export function boundedPreview(value: unknown, maxChars = PREVIEW_CHARS): string {
  let out = '';
  // Each item is either a value still to write or a piece of punctuation.
  const todo: unknown[] = [value];
  while (todo.length && out.length < maxChars) {
    const next = todo.pop();
    if (next instanceof Punctuation) {
      out += next.text;
      continue;
    }
    if (next === null || typeof next !== 'object') {
      out += typeof next === 'string' ? JSON.stringify(next.slice(0, maxChars)) : (JSON.stringify(next) ?? 'null');
      continue;
    }
    const room = maxChars - out.length;
    const parts: unknown[] = [];
    if (Array.isArray(next)) {
      out += '[';
      for (let i = 0; i < next.length && i < room; i++) parts.push(...(i ? [lit(',')] : []), next[i]);
      parts.push(lit(next.length > room ? ',…]' : ']'));
    } else {
      out += '{';
      let i = 0;
      for (const key in next) {
        if (!Object.prototype.hasOwnProperty.call(next, key)) continue;
        if (i >= room) {
          parts.push(lit(',…'));
          break;
        }
        parts.push(lit(`${i ? ',' : ''}${JSON.stringify(key.slice(0, maxChars))}:`), (next as Record<string, unknown>)[key]);
        i++;
      }
      parts.push(lit('}'));
    }
    for (let i = parts.length - 1; i >= 0; i--) todo.push(parts[i]);
  }
  return out.slice(0, maxChars);
}

class Punctuation {
  constructor(readonly text: string) {}
}
const lit = (text: string) => new Punctuation(text);

function describe(t: avro.Type): string {
  const name = t.name ?? t.typeName;
  if (t.typeName === 'enum') return `one of ${(t as avro.types.EnumType).symbols.join(', ')}`;
  if (t.typeName === 'union:unwrapped' || t.typeName === 'union:wrapped') return (t as unknown as { types: avro.Type[] }).types.map(describe).join(' or ');
  if (t.typeName === 'record') return `a ${name} object`;
  if (t.typeName === 'array') return 'an array';
  if (t.typeName === 'map') return 'an object (map)';
  return String(name);
}

/**
 * Fields the schema does not declare, with their paths. avsc's `noUndeclaredFields` reports
 * only that a record is invalid, not which field is extra, so this walks the value alongside
 * the schema (records, nested records, arrays, maps and unwrapped unions).
 */
export function undeclaredFields(type: avro.Type, value: unknown, path: string[] = []): AvroValidationError[] {
  if (value === null || typeof value !== 'object') return [];
  switch (type.typeName) {
    case 'record':
    case 'error': {
      const record = type as avro.types.RecordType;
      const names = new Set(record.fields.map((f) => f.name));
      const out: AvroValidationError[] = [];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const field = record.fields.find((f) => f.name === k);
        if (!names.has(k)) out.push({ path: [...path, k].join('.'), expected: `no such field in ${record.name ?? 'record'}`, got: v === undefined ? 'undefined' : boundedPreview(v) });
        else if (field) out.push(...undeclaredFields(field.type, v, [...path, k]));
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.flatMap((v, i) => undeclaredFields((type as avro.types.ArrayType).itemsType, v, [...path, String(i)])) : [];
    case 'map':
      return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => undeclaredFields((type as avro.types.MapType).valuesType, v, [...path, k]));
    case 'union:unwrapped': {
      const branch = (type as unknown as { types: avro.Type[] }).types.find((t) => t.typeName === 'record');
      return branch ? undeclaredFields(branch, value, path) : [];
    }
    default:
      return [];
  }
}
