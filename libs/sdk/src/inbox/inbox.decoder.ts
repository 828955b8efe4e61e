// Pull mode: an agency consumes its inbox topic `rabt.inbox.<agency>` with its own Kafka client
// and decodes each record here. CloudEvents Kafka binding, binary mode: attributes in `ce_*`
// headers, the value Avro in the Confluent wire format (magic byte 0, 4-byte big-endian schema
// id, Avro body). Browser-safe (Uint8Array, DataView, TextDecoder); the Avro decoding itself is
// behind SchemaSource (RegistrySchemaSource in `@rabt/sdk/node`).
import type { EventData, EventType } from '@rabt/contracts';
import type { CloudEventAttributes } from '../cloudevent.types';

/** Decodes one Avro body (the bytes after the 5-byte Confluent header). */
export interface AvroDecoder {
  decode(body: Uint8Array): unknown;
}

/** Where writer schemas come from, by their registry id. */
export interface SchemaSource {
  schemaById(id: number): Promise<AvroDecoder>;
}

type HeaderValue = string | Uint8Array;

/** A consumed Kafka record; kafkajs' `KafkaMessage` fits as it is. */
export interface InboxRecordInput {
  readonly headers?: Readonly<Record<string, HeaderValue | readonly HeaderValue[] | undefined>>;
  readonly value: Uint8Array | null;
  readonly key?: Uint8Array | string | null;
}

/** A decoded inbox record of one type `T`. */
export interface InboxEventOf<T extends EventType> {
  /** `attributes.type`, repeated at the top so that checking it narrows `data`. */
  readonly type: T;
  readonly attributes: Omit<CloudEventAttributes, 'type'> & { readonly type: T };
  /** The Avro data, decoded with the writer schema. With a field projection, only the projected fields. */
  readonly data: EventData<T>;
  /** The Kafka key (the type's partition key, e.g. the worker's civil number). */
  readonly key: string | null;
  /** Registry id of the writer schema. */
  readonly schemaId: number;
  /** Every header as text, including any extension this SDK does not type. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A decoded inbox record; checking `type` narrows `data`. */
export type InboxEvent = { readonly [K in EventType]: InboxEventOf<K> }[EventType];

/** Why a record cannot be decoded. Permanent: the same record will never decode (dead-letter it). */
export enum InboxDecodeReason {
  NOT_A_CLOUDEVENT = 'NOT_A_CLOUDEVENT',
  NOT_CONFLUENT_FRAMED = 'NOT_CONFLUENT_FRAMED',
  UNDECODABLE = 'UNDECODABLE',
}

/**
 * A record that will never decode. Errors of the SchemaSource (registry unreachable) are not
 * wrapped: they are passing faults, so do not commit the offset; retry the record.
 */
export class InboxDecodeError extends Error {
  override readonly name = 'InboxDecodeError';

  constructor(
    readonly reason: InboxDecodeReason,
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}

const MAGIC_BYTE = 0;
const HEADER_BYTES = 5;
const ATTRIBUTE_PREFIX = 'ce_';
const utf8 = new TextDecoder('utf-8');

/** The schema id and Avro body of a Confluent-framed value. */
export function readConfluentFrame(value: Uint8Array): { schemaId: number; body: Uint8Array } {
  if (value.length < HEADER_BYTES) throw new InboxDecodeError(InboxDecodeReason.NOT_CONFLUENT_FRAMED, `value has ${value.length} bytes, fewer than the 5-byte header`);
  if (value[0] !== MAGIC_BYTE) throw new InboxDecodeError(InboxDecodeReason.NOT_CONFLUENT_FRAMED, `magic byte is ${value[0]}, not 0`);
  const schemaId = new DataView(value.buffer, value.byteOffset, value.byteLength).getUint32(1, false);
  return { schemaId, body: value.subarray(HEADER_BYTES) };
}

/** The CloudEvents attributes of a binary-mode Kafka record (`ce_*` headers, `content-type`). */
export function readCloudEventHeaders(headers: InboxRecordInput['headers']): { attributes: CloudEventAttributes; headers: Record<string, string> } {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const last = isList(value) ? value[value.length - 1] : value; // a repeated header: the last one wins
    if (last !== undefined) text[name] = typeof last === 'string' ? last : utf8.decode(last);
  }
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(text)) {
    if (name.startsWith(ATTRIBUTE_PREFIX)) attributes[name.slice(ATTRIBUTE_PREFIX.length)] = value;
  }
  if (text['content-type'] !== undefined && attributes['datacontenttype'] === undefined) attributes['datacontenttype'] = text['content-type'];
  if (attributes['specversion'] !== '1.0') throw new InboxDecodeError(InboxDecodeReason.NOT_A_CLOUDEVENT, `ce_specversion is ${JSON.stringify(attributes['specversion'] ?? null)}, not "1.0"`);
  const missing = ['id', 'source', 'type'].filter((a) => !attributes[a]);
  if (missing.length) throw new InboxDecodeError(InboxDecodeReason.NOT_A_CLOUDEVENT, `missing ${missing.map((a) => ATTRIBUTE_PREFIX + a).join(', ')}`);
  return { attributes: attributes as unknown as CloudEventAttributes, headers: text };
}

/** Decodes one inbox record: attributes from the headers, data with the writer schema from `schemas`. */
export async function decodeInboxRecord(record: InboxRecordInput, schemas: SchemaSource): Promise<InboxEvent> {
  const { attributes, headers } = readCloudEventHeaders(record.headers);
  if (!record.value) throw new InboxDecodeError(InboxDecodeReason.NOT_CONFLUENT_FRAMED, `record ${attributes.id} has no value`);
  const { schemaId, body } = readConfluentFrame(record.value);
  const decoder = await schemas.schemaById(schemaId);
  let data: unknown;
  try {
    data = decoder.decode(body);
  } catch (e) {
    throw new InboxDecodeError(InboxDecodeReason.UNDECODABLE, `record ${attributes.id} does not decode with schema ${schemaId}: ${(e as Error).message}`);
  }
  const key = record.key === undefined || record.key === null ? null : typeof record.key === 'string' ? record.key : utf8.decode(record.key);
  return { type: attributes.type, attributes, data, key, schemaId, headers } as InboxEvent;
}

function isList(value: HeaderValue | readonly HeaderValue[]): value is readonly HeaderValue[] {
  return Array.isArray(value);
}
