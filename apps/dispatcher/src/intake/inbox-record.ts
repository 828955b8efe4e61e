// From an inbox record (CloudEvents Kafka binary mode, Avro data) to the delivery row: the
// structured CloudEvent that will be POSTed, and its webhook-id.
import { createHash } from 'node:crypto';
import type { ConsumedRecord, RabtEventAttributes } from '@rabt/kafka';

/**
 * The webhook-id of (subscription, event): `msg_` + 32 base64url characters of a SHA-256 (192
 * bits). The same inbox record read twice — a duplicate, a replayed partition, a rebalance —
 * always gives the same id, and so the same delivery row.
 */
export function deliveryId(subscriptionId: string, source: string, eventId: string): string {
  return `msg_${createHash('sha256').update(`${subscriptionId}\n${source}\n${eventId}`).digest('base64url').slice(0, 32)}`;
}

/** A structured-mode CloudEvent (JSON), as delivered. */
export type StructuredCloudEvent = Record<string, unknown> & { readonly specversion: '1.0'; readonly id: string; readonly source: string; readonly type: string; readonly data: unknown };

/** The attributes the webhook carries, in this order, then `data`. */
const ATTRIBUTE_ORDER = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'transactionid', 'traceparent', 'partitionkey'] as const;

export function structuredEvent(attributes: RabtEventAttributes & { readonly time?: string }, data: unknown): StructuredCloudEvent {
  const event: Record<string, unknown> = { specversion: '1.0', id: attributes.id, source: attributes.source, type: attributes.type };
  if (attributes.subject) event['subject'] = attributes.subject;
  if (attributes.time) event['time'] = attributes.time;
  event['datacontenttype'] = 'application/json';
  for (const name of ['dataschema', 'transactionid', 'traceparent', 'partitionkey'] as const) {
    const value = attributes[name];
    if (value) event[name] = value;
  }
  event['data'] = data;
  return event as StructuredCloudEvent;
}

/**
 * The body of a webhook: the event as JSON with its attributes first, in a fixed order (Postgres
 * jsonb keeps keys in its own order), data last. Exactly these bytes are signed.
 */
export function webhookBody(event: Readonly<Record<string, unknown>>): string {
  const ordered: Record<string, unknown> = {};
  for (const name of ATTRIBUTE_ORDER) if (event[name] !== undefined) ordered[name] = event[name];
  for (const [name, value] of Object.entries(event)) if (!(name in ordered) && name !== 'data') ordered[name] = value;
  if ('data' in event) ordered['data'] = event['data'];
  return JSON.stringify(ordered);
}

/** What the intake writes for one inbox record. */
export interface NewDelivery {
  readonly id: string;
  readonly subscriptionId: string;
  readonly agencyCode: string;
  readonly eventSource: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly transactionId: string | null;
  readonly orderingKey: string | null;
  readonly payload: StructuredCloudEvent;
  readonly inboxTopic: string;
  readonly inboxPartition: number;
  readonly inboxOffset: string;
}

export function newDelivery(record: ConsumedRecord, subscription: { readonly id: string; readonly agencyCode: string }, attributes: RabtEventAttributes, data: unknown): NewDelivery {
  return {
    id: deliveryId(subscription.id, attributes.source, attributes.id),
    subscriptionId: subscription.id,
    agencyCode: subscription.agencyCode,
    eventSource: attributes.source,
    eventId: attributes.id,
    eventType: attributes.type,
    transactionId: attributes.transactionid ?? null,
    orderingKey: record.key,
    payload: structuredEvent(attributes, data),
    inboxTopic: record.topic,
    inboxPartition: record.partition,
    inboxOffset: record.offset,
  };
}
