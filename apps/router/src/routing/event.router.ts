import { Injectable, Logger } from '@nestjs/common';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { Counter } from 'prom-client';
import { SchemaRegistryClientConfig } from '@rabt/config';
import { findCatalogueEntry } from '@rabt/contracts';
import {
  AvroSerde,
  confluentFrame,
  DEAD_LETTER_TOPIC,
  fromKafkaMessage,
  keptUnlessFailed,
  SchemaRegistryUnavailableError,
  schemaIdOf,
  TopicAdmin,
  type ConsumedRecord,
  type OutgoingRecord,
} from '@rabt/kafka';
import { MetricsService } from '@rabt/observability';
import { evaluateFilter, inboxTopic, SUBSCRIPTION_HEADER } from '@rabt/routing';
import { RouterConfig } from '../config/router.config';
import { SubscriptionsCache, type RoutableSubscription } from './subscriptions.cache';


/**
 * One accepted event in, one inbox record out per subscription that is granted, active, of an
 * agency that is not suspended, and whose filter matches — with only the projected fields, re-encoded under the projected schema. The
 * partition key stays the record key, so each agency's inbox keeps per-key order.
 */
@Injectable()
export class EventRouter {
  private readonly log = new Logger('router');
  private readonly inboxTopics = new Set<string>();
  /** Registered projected schemas' ids, or their registration in flight (shared by concurrent routes). */
  private readonly projectedIds = new Map<string, Promise<number>>();
  private readonly routed: Counter<'agency' | 'type'>;
  private readonly skipped: Counter<'reason' | 'type'>;
  private readonly outOfBudget: Counter<'agency' | 'type'>;
  /** Subscriptions whose filter last ran out of budget, until when they are set aside. */
  private readonly setAside = new Map<string, number>();

  constructor(
    private readonly subscriptions: SubscriptionsCache,
    private readonly serde: AvroSerde,
    private readonly registry: SchemaRegistryClientConfig,
    private readonly topics: TopicAdmin,
    private readonly config: RouterConfig,
    metrics: MetricsService,
  ) {
    this.routed = new Counter({ name: 'rabt_routed_total', help: 'Inbox records written, by subscriber agency and type', labelNames: ['agency', 'type'], registers: [metrics.registry] });
    this.skipped = new Counter({ name: 'rabt_route_skipped_total', help: 'Subscriptions not routed to, by reason', labelNames: ['reason', 'type'], registers: [metrics.registry] });
    this.outOfBudget = new Counter({
      name: 'rabt_filter_out_of_budget_total',
      help: 'Filter evaluations stopped for exceeding their step or time budget, by subscriber agency and type',
      labelNames: ['agency', 'type'],
      registers: [metrics.registry],
    });
  }

  async route(record: ConsumedRecord): Promise<OutgoingRecord[]> {
    if (!record.headers['ce_specversion']) return [deadLetter(record, 'NOT_A_CLOUDEVENT', 'record has no CloudEvents headers')];
    const { attributes } = fromKafkaMessage({ key: record.key === null ? null : Buffer.from(record.key), value: record.value, headers: record.headers, timestamp: record.timestamp });
    if (!findCatalogueEntry(attributes.type)) return [];
    const subscriptions = await this.subscriptions.forType(attributes.type);
    if (subscriptions.length === 0) return [];

    let data: Record<string, unknown>;
    try {
      data = plain(await this.serde.decode(record.value)) as Record<string, unknown>;
    } catch (e) {
      if (e instanceof SchemaRegistryUnavailableError) throw e; // passing: retry the batch
      return [deadLetter(record, 'UNDECODABLE', (e as Error).message)];
    }

    const out: OutgoingRecord[] = [];
    for (const sub of subscriptions) {
      if (!(await this.subscriptions.isAgencyActive(sub.agency))) {
        this.skipped.inc({ reason: 'agency-suspended', type: attributes.type });
        continue;
      }
      if (!(await this.subscriptions.isGranted(sub.agency, attributes.type))) {
        this.skipped.inc({ reason: 'not-granted', type: attributes.type });
        continue;
      }
      if (sub.filter && !this.filterMatches(sub, attributes as unknown as Record<string, unknown>, data)) continue;
      out.push(await this.inboxRecord(record, sub, data));
      this.routed.inc({ agency: sub.agency, type: attributes.type });
    }
    return out;
  }

  /**
   * Evaluates the subscription's filter within the run-time budget. An evaluation that runs out
   * of budget is no match, like any filter error, and sets the subscription aside for
   * ROUTER_FILTER_SET_ASIDE_MS: meanwhile its filter is not evaluated and it receives nothing, so
   * a costly filter costs one budget per period, never every event's routing time.
   */
  private filterMatches(sub: RoutableSubscription, event: Record<string, unknown>, data: Record<string, unknown>): boolean {
    const type = String(event['type']);
    const until = this.setAside.get(sub.id);
    if (until !== undefined) {
      if (Date.now() < until) {
        this.skipped.inc({ reason: 'filter-set-aside', type });
        return false;
      }
      this.setAside.delete(sub.id);
    }
    const verdict = evaluateFilter(sub.filter!, { event, data }, this.config.filterRunLimits);
    if (verdict.matches) return true;
    if (verdict.outOfBudget) {
      this.setAside.set(sub.id, Date.now() + this.config.filterSetAsideMs);
      this.outOfBudget.inc({ agency: sub.agency, type });
      this.skipped.inc({ reason: 'filter-out-of-budget', type });
      this.log.warn(
        { subscription: sub.id, agency: sub.agency, type, error: verdict.error, setAsideMs: this.config.filterSetAsideMs },
        'filter stopped at its run-time budget: no match; the subscription is set aside',
      );
      return false;
    }
    if (verdict.error) this.log.debug({ subscription: sub.id, error: verdict.error }, 'filter error: no match');
    this.skipped.inc({ reason: 'filtered', type });
    return false;
  }

  private async inboxRecord(record: ConsumedRecord, sub: RoutableSubscription, data: Record<string, unknown>): Promise<OutgoingRecord> {
    const topic = inboxTopic(sub.agency);
    await this.ensureTopic(topic);
    let value = record.value;
    let schemaId = schemaIdOf(record.value);
    if (sub.projection && sub.projectedSubject) {
      schemaId = await this.projectedSchemaId(sub);
      value = confluentFrame(schemaId, (await this.serde.type(schemaId)).toBuffer(sub.projection.project(data)));
    }
    return {
      topic,
      key: record.key,
      value,
      headers: { ...record.headers, ce_dataschema: `${this.registry.url}/schemas/ids/${schemaId}`, [SUBSCRIPTION_HEADER]: sub.id },
    };
  }

  private projectedSchemaId(sub: RoutableSubscription): Promise<number> {
    const key = `${sub.projectedSubject}\u0000${sub.projection!.fields.join(',')}`;
    return keptUnlessFailed(this.projectedIds, key, async () => {
      try {
        return (await this.serde.registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(sub.projection!.schema) }, { subject: sub.projectedSubject! })).id;
      } catch (e) {
        throw new SchemaRegistryUnavailableError(`registering the projected schema ${sub.projectedSubject}: ${(e as Error).message}`);
      }
    });
  }

  private async ensureTopic(topic: string): Promise<void> {
    if (this.inboxTopics.has(topic)) return;
    await this.topics.ensureTopics([{ name: topic }]);
    this.inboxTopics.add(topic);
  }
}

/** avsc decodes records into instances of generated classes; filters and projections want plain JSON. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function deadLetter(record: ConsumedRecord, code: string, message: string): OutgoingRecord {
  return {
    topic: DEAD_LETTER_TOPIC,
    key: record.key,
    value: record.value,
    headers: { ...record.headers, rabt_dlq_topic: record.topic, rabt_dlq_partition: String(record.partition), rabt_dlq_offset: record.offset, rabt_dlq_group: 'rabt-router', rabt_dlq_error_code: code, rabt_dlq_error: message },
  };
}
