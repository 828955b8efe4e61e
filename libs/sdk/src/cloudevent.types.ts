// CloudEvents 1.0 as Rabt carries them, typed by the generated catalogue. Type-only and browser-safe.
import type { EventData, EventType, RabtEventAttributes } from '@rabt/contracts';

/** The CloudEvents attributes of a delivered or published event (spec 1.0 plus Rabt's extensions). */
export interface CloudEventAttributes extends RabtEventAttributes {
  readonly specversion: '1.0';
}

/**
 * A structured CloudEvent of a catalogued type, as a union over the types: checking `event.type`
 * narrows `event.data` to that type's generated interface.
 *
 * The data type is the full event. A subscription with a field projection delivers only the
 * projected fields, so a receiver with a projection must treat the others as absent.
 */
export type RabtCloudEvent<T extends EventType = EventType> = {
  readonly [K in T]: Omit<CloudEventAttributes, 'type'> & { readonly type: K; readonly data: EventData<K> };
}[T];

/** The attributes a publisher may choose; `source` and `type` come from the client and the call. */
export interface PublishOptions {
  /** Default: a random UUID. Reuse the same id to publish the same event again safely (idempotency). */
  readonly id?: string;
  readonly subject?: string;
  readonly transactionid?: string;
  /** RFC 3339 string or a Date. Left out, the gateway stamps the time it received the event. */
  readonly time?: string | Date;
  /** `<registry>/schemas/ids/<id>` or `<registry>/subjects/<subject>/versions/<n>`; default: the latest. */
  readonly dataschema?: string;
}

/** One event of `publishBatch`: its type, its data (checked against the type) and its options. */
export type BatchEvent = {
  readonly [K in EventType]: PublishOptions & { readonly type: K; readonly data: EventData<K> };
}[EventType];

/** The gateway's 202 answer: where the event now durably is. */
export interface PublishAccepted {
  readonly id: string;
  readonly transactionid: string | null;
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset as a decimal string (offsets can exceed 2^53). */
  readonly offset: string;
}

/** `GET /v1/events/{id}`: an event this agency published, and where it went. */
export interface PublishedEvent {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly state: 'pending' | 'accepted';
  readonly transactionid: string | null;
  readonly receivedAt: string;
  readonly acceptedAt: string | null;
  readonly schemaId: number;
  readonly topic: string;
  readonly partition: number | null;
  readonly offset: string | null;
  readonly attributes: Readonly<Record<string, string>>;
  readonly data: unknown;
}

/** A step of a cross-agency transaction (`GET /v1/transactions/{id}`). Times are RFC 3339 strings. */
export interface TransactionStep {
  readonly name: string;
  readonly agency: string;
  /** The event type that completes the step. */
  readonly awaits: string;
  readonly state: 'waiting' | 'pending' | 'completed' | 'breached' | 'compensating' | 'compensated' | 'skipped';
  readonly becameCurrentAt: string | null;
  readonly slaDueAt: string | null;
  readonly completedAt: string | null;
  /** The event that completed it. */
  readonly eventId: string | null;
  readonly breachedAt: string | null;
}

/** One line of a transaction's timeline: what happened, when, by which agency. */
export interface TransactionTimelineEntry {
  readonly at: string;
  readonly agency: string;
  readonly type: string;
  readonly eventId: string;
  readonly what: string;
}

/** `GET /v1/transactions/{id}`: a cross-agency transaction as an agency party to it sees it. */
export interface TransactionView {
  readonly id: string;
  readonly workflow: string;
  readonly workflowVersion: number;
  readonly state: 'running' | 'completed' | 'compensating' | 'compensated';
  readonly startedAt: string;
  /** When it completed, or when its compensation finished. */
  readonly completedAt: string | null;
  readonly steps: readonly TransactionStep[];
  /** In time order: the trigger, each agency's event, each rabt.transaction.* emission. */
  readonly timeline: readonly TransactionTimelineEntry[];
}
