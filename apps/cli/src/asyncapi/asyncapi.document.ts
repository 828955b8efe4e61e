// The AsyncAPI 3.0.0 document of Rabt's topics, generated from the catalogue. Pure logic.
import { pascalCase, type LoadedCatalogueEntry } from '@rabt/contracts/codegen';

export const ASYNCAPI_FILE = 'docs/asyncapi.json';
export const AVRO_SCHEMA_FORMAT = 'application/vnd.apache.avro;version=1.9.0';
export const KAFKA_BINDING_VERSION = '0.5.0';
const HEADERS_SCHEMA = 'CloudEventsKafkaHeaders';
const CONTENT_TYPE = 'application/avro';

type Json = Record<string, unknown>;
export interface Ref {
  readonly $ref: string;
}

export interface AsyncApiMessage {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  readonly description: string;
  readonly contentType: string;
  readonly headers: Json;
  readonly payload: { readonly schemaFormat: string; readonly schema: unknown };
  readonly correlationId: Json;
  readonly bindings: { readonly kafka: Json };
}

export interface AsyncApiChannel {
  readonly address: string;
  readonly title: string;
  readonly summary: string;
  readonly description: string;
  readonly messages: Readonly<Record<string, AsyncApiMessage>>;
  readonly tags: readonly Json[];
  readonly bindings: { readonly kafka: Json };
}

export interface AsyncApiOperation {
  readonly action: 'send' | 'receive';
  readonly title: string;
  readonly summary: string;
  readonly channel: Ref;
  readonly messages: readonly Ref[];
  readonly tags: readonly Json[];
}

export interface AsyncApiDocument {
  readonly asyncapi: '3.0.0';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly defaultContentType: string;
  readonly servers: Readonly<Record<string, Json>>;
  readonly channels: Readonly<Record<string, AsyncApiChannel>>;
  readonly operations: Readonly<Record<string, AsyncApiOperation>>;
  readonly components: { readonly schemas: Readonly<Record<string, Json>> };
}

const DESCRIPTION = [
  'Rabt (ربط) is the event bus between the back-office systems of Omani government agencies. One topic per CloudEvents type, named as the type; the schema registry subject of a topic is `<topic>-value`.',
  "Records follow the CloudEvents Kafka protocol binding in binary mode: attributes in `ce_*` headers, the value Avro in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro body), the key the type's partition key.",
  'Generated from schemas/ by `rabt asyncapi`; do not edit.',
].join('\n\n');

/** The document for `entries`, versioned as the workspace. Deterministic: same input, same bytes. */
export function buildAsyncApiDocument(entries: readonly LoadedCatalogueEntry[], version: string): AsyncApiDocument {
  const channels: Record<string, AsyncApiChannel> = {};
  const operations: Record<string, AsyncApiOperation> = {};
  for (const entry of entries) {
    const channelId = entry.topic;
    const messageId = pascalCase(entry.type);
    const ownerTag = { name: entry.owner, description: `Owner: the agency that publishes ${entry.type}` };
    channels[channelId] = {
      address: entry.topic,
      title: entry.type,
      summary: entry.description.en,
      description: `${entry.description.en}\n\n${entry.description.ar}`,
      messages: { [messageId]: message(entry, messageId) },
      tags: [ownerTag],
      bindings: {
        kafka: {
          topic: entry.topic,
          partitions: entry.partitions,
          replicas: 1,
          topicConfiguration: { 'retention.ms': entry.retentionMs },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
    const channel = { $ref: `#/channels/${pointerSegment(channelId)}` };
    const messages = [{ $ref: `#/channels/${pointerSegment(channelId)}/messages/${pointerSegment(messageId)}` }];
    operations[`${entry.type}.publish`] = {
      action: 'send',
      title: `Publish ${entry.type}`,
      summary: `${entry.owner} publishes ${entry.type} (through the gateway or straight to the topic).`,
      channel,
      messages,
      tags: [ownerTag],
    };
    operations[`${entry.type}.receive`] = {
      action: 'receive',
      title: `Receive ${entry.type}`,
      summary: `Rabt's router and the agencies subscribed to ${entry.type} receive it.`,
      channel,
      messages,
      tags: [ownerTag],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: { title: 'Rabt', version, description: DESCRIPTION },
    defaultContentType: CONTENT_TYPE,
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The local single-node Kafka of `npm run stack:up`.',
        bindings: { kafka: { schemaRegistryUrl: 'http://127.0.0.1:8081', schemaRegistryVendor: 'confluent', bindingVersion: KAFKA_BINDING_VERSION } },
      },
    },
    channels,
    operations,
    components: { schemas: { [HEADERS_SCHEMA]: cloudEventsHeaders() } },
  };
}

function message(entry: LoadedCatalogueEntry, name: string): AsyncApiMessage {
  return {
    name,
    title: entry.type,
    summary: entry.description.en,
    description: `${entry.description.en}\n\n${entry.description.ar}`,
    contentType: CONTENT_TYPE,
    headers: {
      allOf: [
        { $ref: `#/components/schemas/${HEADERS_SCHEMA}` },
        { type: 'object', properties: { ce_type: { const: entry.type }, ce_source: { const: `urn:rabt:agency:${entry.owner}` } } },
      ],
    },
    payload: { schemaFormat: AVRO_SCHEMA_FORMAT, schema: entry.schemaJson },
    correlationId: { description: 'The cross-agency transaction the event belongs to.', location: '$message.header#/ce_transactionid' },
    bindings: {
      kafka: {
        key: { type: 'string', description: `The partition key: the payload field ${entry.partitionKey}, so events for one ${entry.partitionKey} stay in order.` },
        schemaIdLocation: 'payload',
        schemaIdPayloadEncoding: 'confluent',
        schemaLookupStrategy: 'TopicNameStrategy',
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

function cloudEventsHeaders(): Json {
  const text = (description: string, extra: Json = {}) => ({ type: 'string', description, ...extra });
  return {
    type: 'object',
    description: 'CloudEvents 1.0 attributes as Kafka headers (Kafka protocol binding, binary content mode).',
    required: ['ce_id', 'ce_source', 'ce_type', 'ce_specversion', 'content-type'],
    properties: {
      ce_id: text('CloudEvents `id`: unique for its source; receivers deduplicate on source and id.'),
      ce_source: text('CloudEvents `source`: the publishing agency, `urn:rabt:agency:<code>`.', { pattern: '^urn:rabt:agency:[a-z][a-z0-9]*$' }),
      ce_type: text('CloudEvents `type`, equal to the topic.'),
      ce_specversion: text('CloudEvents version.', { const: '1.0' }),
      ce_time: text('CloudEvents `time`: when the fact happened (RFC 3339).', { format: 'date-time' }),
      ce_subject: text('CloudEvents `subject`: what the event is about within the source, e.g. a report id.'),
      ce_dataschema: text('CloudEvents `dataschema`: the registered schema the value is written with.'),
      ce_transactionid: text('Extension `transactionid`: the cross-agency transaction the event belongs to.'),
      ce_traceparent: text('Extension `traceparent`: W3C trace context.'),
      'content-type': text('CloudEvents `datacontenttype`: Avro in the Confluent wire format.', { const: CONTENT_TYPE }),
    },
  };
}

/** Escapes a JSON Pointer segment (RFC 6901). */
export function pointerSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The document as written to docs/asyncapi.json. */
export function renderAsyncApi(document: AsyncApiDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
