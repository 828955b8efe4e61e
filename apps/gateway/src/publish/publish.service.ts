import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { GrantsService, type Principal } from '@rabt/auth';
import { SchemaRegistryClientConfig } from '@rabt/config';
import { findCatalogueEntry, type CatalogueEntry } from '@rabt/contracts';
import { AvroSerde, SchemaNotFoundError, SchemaRegistryUnavailableError, type RabtEventAttributes } from '@rabt/kafka';
import type { AcceptedEventEntity } from '@rabt/persistence';
import { AcceptedEventsRepository } from './accepted-events.repository';
import type { IncomingEvent } from './cloudevent.parser';
import { GatewayExceptionCode, gatewayError } from './gateway.exception';
import { PublishBatcher } from './publish.batcher';
import { PublishMetrics } from './publish.metrics';

/** The 202 answer: where the event now durably is. */
export interface AcceptedAnswer {
  readonly id: string;
  readonly transactionid: string | null;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export const agencyUrn = (agency: string) => `urn:rabt:agency:${agency}`;

const DATASCHEMA_ID = /\/schemas\/ids\/(\d{1,10})$/;
const DATASCHEMA_VERSION = /\/subjects\/([^/]+)\/versions\/(\d{1,10})$/;

/**
 * The publish rules, in order: the type exists, the source is the caller, the caller may
 * publish the type, the data matches the registered schema; then the event is encoded to Avro
 * and handed to the batcher, which answers only after the broker acknowledged.
 */
@Injectable()
export class PublishService {
  constructor(
    private readonly grants: GrantsService,
    private readonly serde: AvroSerde,
    private readonly registry: SchemaRegistryClientConfig,
    private readonly batcher: PublishBatcher,
    private readonly events: AcceptedEventsRepository,
    private readonly metrics: PublishMetrics,
  ) {}

  async publish(caller: Principal, event: IncomingEvent, traceparent: string | undefined): Promise<AcceptedAnswer> {
    const entry = findCatalogueEntry(event.type);
    if (!entry) throw gatewayError(GatewayExceptionCode.UNKNOWN_EVENT_TYPE, `'${event.type}' is not an event type of the catalogue`);
    if (event.source !== agencyUrn(caller.agency)) {
      throw gatewayError(GatewayExceptionCode.SOURCE_SPOOFED, `agency '${caller.agency}' may only publish with source ${agencyUrn(caller.agency)} (got ${event.source})`);
    }
    if (!(await this.grants.isGranted(caller.agency, entry.type, 'publish', entry.owner))) {
      throw gatewayError(GatewayExceptionCode.NOT_GRANTED, `agency '${caller.agency}' has no grant to publish ${entry.type} (owned by ${entry.owner})`);
    }
    const schemaId = await this.schemaIdFor(entry, event.dataschema);
    const errors = await this.registryCall(() => this.serde.validate(schemaId, event.data));
    if (errors.length) {
      throw gatewayError(
        GatewayExceptionCode.SCHEMA_VALIDATION_FAILED,
        `data does not match schema ${schemaId} of ${entry.subject}: ${errors.map((e) => `${e.path} (expected ${e.expected})`).join('; ')}`,
        { errors, schemaId },
      );
    }
    const value = await this.registryCall(() => this.serde.encode(schemaId, event.data));
    const transactionid = event.transactionid ?? (entry.workflowTrigger ? randomUUID() : undefined);
    const kafkaAttributes: RabtEventAttributes = {
      id: event.id,
      source: event.source,
      type: event.type,
      time: event.time ?? new Date().toISOString(),
      dataschema: `${this.registry.url}/schemas/ids/${schemaId}`,
      partitionkey: String((event.data as Record<string, unknown>)[entry.partitionKey]),
      ...(event.subject !== undefined ? { subject: event.subject } : {}),
      ...(transactionid ? { transactionid } : {}),
      ...(traceparent ? { traceparent } : {}),
    };
    const outcome = await this.batcher.submit({
      source: caller.agency,
      eventId: event.id,
      contentHash: contentHash(event),
      type: entry.type,
      transactionId: transactionid ?? null,
      topic: entry.topic,
      schemaId,
      attributes: kafkaAttributes as unknown as Record<string, string>,
      data: event.data,
      value,
      kafkaAttributes,
    });
    if (outcome.kind === 'accepted') {
      this.metrics.published.inc({ agency: caller.agency, type: entry.type });
      return { id: event.id, transactionid: transactionid ?? null, topic: entry.topic, partition: outcome.partition, offset: outcome.offset };
    }
    return this.answerFor(outcome.row, event);
  }

  async find(caller: Principal, id: string): Promise<AcceptedEventEntity> {
    const row = await this.events.find(caller.agency, id);
    if (!row) throw gatewayError(GatewayExceptionCode.EVENT_NOT_FOUND, `agency '${caller.agency}' published no event with id ${id}`);
    return row;
  }

  /** The same id again: the original answer if the content is the same, else a conflict. */
  private answerFor(row: AcceptedEventEntity, event: IncomingEvent): AcceptedAnswer {
    if (row.contentHash !== contentHash(event)) {
      throw gatewayError(GatewayExceptionCode.IDEMPOTENCY_CONFLICT, `event id ${event.id} was already used by ${event.source} for different content`);
    }
    if (row.state !== 'accepted' || row.partition === null || row.offset === null) {
      throw gatewayError(GatewayExceptionCode.IDEMPOTENCY_IN_PROGRESS, `event ${event.id} is being published right now; retry shortly`);
    }
    return { id: row.eventId, transactionid: row.transactionId, topic: row.topic, partition: row.partition, offset: String(row.offset) };
  }

  private async schemaIdFor(entry: CatalogueEntry, dataschema: string | undefined): Promise<number> {
    if (dataschema === undefined) return this.registryCall(() => this.serde.latestId(entry.subject), entry);
    const byId = DATASCHEMA_ID.exec(dataschema);
    const byVersion = DATASCHEMA_VERSION.exec(dataschema);
    let id: number | undefined;
    if (byId) {
      id = Number(byId[1]);
      if (!(await this.registryCall(() => this.serde.isVersionOf(id!, entry.subject).catch((e: unknown) => (e instanceof SchemaNotFoundError ? false : Promise.reject(e)))))) id = undefined;
    } else if (byVersion && decodeURIComponent(byVersion[1]!) === entry.subject) {
      id = await this.registryCall(() => this.serde.idOfVersion(entry.subject, Number(byVersion[2])).catch((e: unknown) => (e instanceof SchemaNotFoundError ? undefined : Promise.reject(e))));
    }
    if (id === undefined) {
      throw gatewayError(
        GatewayExceptionCode.UNKNOWN_SCHEMA_VERSION,
        `dataschema ${dataschema} is not a schema of ${entry.subject}; use <registry>/schemas/ids/<id> or <registry>/subjects/${entry.subject}/versions/<n>, or omit it for the latest`,
      );
    }
    return id;
  }

  private async registryCall<T>(fn: () => Promise<T>, entry?: CatalogueEntry): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof SchemaNotFoundError && entry) {
        throw gatewayError(GatewayExceptionCode.REGISTRY_UNAVAILABLE, `no schema is registered for ${entry.subject}; an integrator must push it (rabt schemas push)`);
      }
      if (e instanceof SchemaRegistryUnavailableError || e instanceof SchemaNotFoundError) throw gatewayError(GatewayExceptionCode.REGISTRY_UNAVAILABLE, e.message);
      throw e;
    }
  }
}

/** What "the same event" means for idempotency: what the publisher chose, not what we added. */
export function contentHash(event: IncomingEvent): string {
  const significant = [event.type, event.subject ?? null, event.dataschema ?? null, event.transactionid ?? null, event.time ?? null, event.data];
  return createHash('sha256').update(stableStringify(significant)).digest('hex');
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`)
    .join(',')}}`;
}
