import { CloudEvent, Kafka as CloudEventsKafka, type CloudEventV1 } from 'cloudevents';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { RabtEventAttributes } from '@rabt/contracts';

export type { RabtEventAttributes } from '@rabt/contracts';

export const AVRO_CONTENT_TYPE = 'application/avro';

export interface OutgoingKafkaMessage {
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
  readonly timestamp?: string;
}

/**
 * CloudEvents Kafka protocol binding, binary content mode: attributes travel as `ce_*` headers,
 * `content-type` carries datacontenttype, the value is the event data untouched (for Rabt, Avro in
 * the Confluent wire format) and the key is the `partitionkey` extension.
 */
export function toKafkaMessage(attributes: RabtEventAttributes, value: Buffer): OutgoingKafkaMessage {
  const event = new CloudEvent<Buffer>({
    specversion: '1.0',
    datacontenttype: AVRO_CONTENT_TYPE,
    ...withoutUndefined(attributes),
    data: value,
  });
  const message = CloudEventsKafka.binary(event);
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(message.headers)) {
    if (v !== undefined && v !== null) headers[name] = String(v);
  }
  return { key: message.key ? String(message.key) : null, value, headers, timestamp: String(Date.parse(event.time ?? new Date().toISOString())) };
}

export interface IncomingCloudEvent {
  readonly attributes: RabtEventAttributes & { readonly specversion: string; readonly time: string };
  readonly data: Buffer;
}

export class CloudEventsBindingError extends Error {
  override readonly name = 'CloudEventsBindingError';
}

/** Reads a binary-mode CloudEvent from a consumed Kafka message; throws if it is not one. */
export function fromKafkaMessage(message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'timestamp'>): IncomingCloudEvent {
  const headers = headersToStrings(message.headers);
  if (!headers['ce_specversion']) throw new CloudEventsBindingError('not a CloudEvent: ce_specversion header missing');
  let event: CloudEventV1<unknown>;
  try {
    const kafkaMessage = {
      key: message.key ? message.key.toString('utf8') : '',
      value: message.value ?? Buffer.alloc(0),
      headers,
      body: message.value ?? Buffer.alloc(0),
      timestamp: message.timestamp,
    };
    event = CloudEventsKafka.toEvent(kafkaMessage as Parameters<typeof CloudEventsKafka.toEvent>[0]) as CloudEventV1<unknown>;
  } catch (e) {
    throw new CloudEventsBindingError(`invalid CloudEvent headers: ${(e as Error).message}`);
  }
  const attrs = Object.fromEntries(Object.entries(event).filter(([k]) => k !== 'data' && k !== 'data_base64')) as unknown as IncomingCloudEvent['attributes'];
  return { attributes: attrs, data: message.value ?? Buffer.alloc(0) };
}

export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const one = Array.isArray(v) ? v[v.length - 1] : v;
    if (one !== undefined) out[name] = Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
  }
  return out;
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
