import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AgencyStatusCache, SubscriptionEntity } from '@rabt/persistence';
import { DispatcherConfig } from '../config/dispatcher.config';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The endpoint a webhook URL belongs to: its origin (scheme, host, port). */
export function endpointOf(url: string): string {
  return new URL(url).origin;
}

/**
 * Subscriptions by id, reused for DISPATCHER_SUBSCRIPTION_CACHE_MS. A removed subscription is
 * remembered as removed (ids are never reused). Also knows which subscriptions deliver to which
 * endpoint, so the worker claims no more of a subscription's deliveries than its endpoint takes.
 */
@Injectable()
export class SubscriptionsCache {
  private readonly rows = new Map<string, { row: SubscriptionEntity | null; endpoint: string | null; until: number }>();
  private readonly agencies: AgencyStatusCache;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: DispatcherConfig,
  ) {
    this.agencies = new AgencyStatusCache(dataSource.manager, config.subscriptionCacheMs);
  }

  /** Whether the subscriber agency is active, not suspended (reused as long as a subscription). */
  isAgencyActive(agency: string): Promise<boolean> {
    return this.agencies.isActive(agency);
  }

  static isId(id: string): boolean {
    return UUID.test(id);
  }

  /** The subscription, or null when it does not exist (any more). `fresh` reads Postgres again. */
  async get(id: string, options: { fresh?: boolean } = {}): Promise<SubscriptionEntity | null> {
    const cached = this.rows.get(id);
    if (cached && (cached.row === null || (!options.fresh && cached.until > Date.now()))) return cached.row;
    const row = await this.dataSource.manager.findOneBy(SubscriptionEntity, { id });
    this.rows.set(id, { row, endpoint: row?.webhookUrl ? endpointOf(row.webhookUrl) : null, until: Date.now() + this.config.subscriptionCacheMs });
    return row;
  }

  invalidate(id: string): void {
    this.rows.delete(id);
  }

  /** For each known subscription whose webhook is at one of the endpoints: that endpoint's capacity. */
  capacitiesOf(endpoints: ReadonlyMap<string, number>): Map<string, number> {
    const capacities = new Map<string, number>();
    if (endpoints.size === 0) return capacities;
    for (const [id, { endpoint }] of this.rows) {
      const capacity = endpoint === null ? undefined : endpoints.get(endpoint);
      if (capacity !== undefined) capacities.set(id, capacity);
    }
    return capacities;
  }
}
