import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { findCatalogueEntry } from '@rabt/contracts';
import { AgencyStatusCache, SubscriptionEntity } from '@rabt/persistence';
import { compileFilter, formatCost, mayReceive, projectionFor, type CompiledFilter, type Projection } from '@rabt/routing';
import { RouterConfig } from '../config/router.config';

/** A subscription ready to route: its filter compiled and its projection derived, once. */
export interface RoutableSubscription {
  readonly id: string;
  readonly agency: string;
  readonly eventType: string;
  readonly filter?: CompiledFilter;
  readonly projection?: Projection;
  /** Registry subject of the projected schema (only with a projection). */
  readonly projectedSubject?: string;
}

/** How long a grant or an agency's status is trusted: a revoked grant or a suspension applies within this. */
const GRANT_CACHE_MS = 5_000;

/**
 * Active subscriptions by event type, re-read from Postgres every ROUTER_SUBSCRIPTION_REFRESH_MS
 * (and compiled once per version of each row). Grants and the subscriber agency's status are
 * re-checked at routing time too: a revoked subscribe grant or a suspended agency stops delivery
 * even while the subscription row still exists.
 */
@Injectable()
export class SubscriptionsCache {
  private readonly log = new Logger('subscriptions');
  private byType = new Map<string, RoutableSubscription[]>();
  private compiled = new Map<string, { version: number; routable: RoutableSubscription }>();
  private loadedAt = 0;
  private loading: Promise<void> | undefined;
  private readonly grants = new Map<string, { allowed: boolean; until: number }>();
  private readonly agencies: AgencyStatusCache;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: RouterConfig,
  ) {
    this.agencies = new AgencyStatusCache(dataSource.manager, GRANT_CACHE_MS);
  }

  /** Subscriptions to `type` (fresh within the refresh interval). */
  async forType(type: string): Promise<readonly RoutableSubscription[]> {
    if (Date.now() - this.loadedAt > this.config.subscriptionRefreshMs) await this.reload();
    return this.byType.get(type) ?? [];
  }

  /** Whether the subscriber agency is active, not suspended (cached a few seconds). */
  isAgencyActive(agency: string): Promise<boolean> {
    return this.agencies.isActive(agency);
  }

  /** The type's owner, or an agency holding a subscribe grant (cached a few seconds). */
  async isGranted(agency: string, type: string): Promise<boolean> {
    const key = `${agency}\u0000${type}`;
    const cached = this.grants.get(key);
    if (cached && cached.until > Date.now()) return cached.allowed;
    const entry = findCatalogueEntry(type);
    const allowed = entry ? await mayReceive({ manager: this.dataSource.manager }, agency, entry) : false;
    this.grants.set(key, { allowed, until: Date.now() + GRANT_CACHE_MS });
    return allowed;
  }

  reload(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<void> {
    const rows = await this.dataSource.manager.find(SubscriptionEntity, { where: { state: 'active' }, order: { createdAt: 'ASC' } });
    const byType = new Map<string, RoutableSubscription[]>();
    const compiled = new Map<string, { version: number; routable: RoutableSubscription }>();
    for (const row of rows) {
      const version = row.updatedAt.getTime();
      let routable = this.compiled.get(row.id)?.version === version ? this.compiled.get(row.id)!.routable : undefined;
      if (!routable) {
        try {
          routable = this.compile(row);
        } catch (e) {
          this.log.error({ err: e, subscription: row.id }, 'subscription cannot be compiled; skipped');
          continue;
        }
      }
      compiled.set(row.id, { version, routable });
      byType.set(row.eventType, [...(byType.get(row.eventType) ?? []), routable]);
    }
    this.byType = byType;
    this.compiled = compiled;
    this.loadedAt = Date.now();
  }

  /**
   * A stored filter was checked when it was created, perhaps under other limits or none: it is
   * compiled as it is, without a cost refusal, and every evaluation of it is metered instead
   * (EventRouter). One whose worst case exceeds the run-time budget is logged once here.
   */
  private compileStoredFilter(row: SubscriptionEntity): CompiledFilter {
    const filter = compileFilter(row.filter!, undefined, { cost: false });
    if (filter.estimate.cost > this.config.filterRunLimits.steps) {
      this.log.warn(
        { subscription: row.id, agency: row.agencyCode, estimatedCost: formatCost(filter.estimate.cost), stepBudget: this.config.filterRunLimits.steps },
        'filter may exceed its run-time budget: evaluations over it are stopped and count as no match',
      );
    }
    return filter;
  }

  private compile(row: SubscriptionEntity): RoutableSubscription {
    const entry = findCatalogueEntry(row.eventType);
    if (!entry) throw new Error(`event type ${row.eventType} is no longer in the catalogue`);
    const projection = row.projection ? projectionFor(entry, row.projection) : undefined;
    const projectionHash = projection ? createHash('sha256').update(projection.fields.join(',')).digest('hex').slice(0, 12) : undefined;
    return {
      id: row.id,
      agency: row.agencyCode,
      eventType: row.eventType,
      ...(row.filter ? { filter: this.compileStoredFilter(row) } : {}),
      ...(projection ? { projection, projectedSubject: `rabt.inbox.${row.agencyCode}.${row.eventType}.${projectionHash}-value` } : {}),
    };
  }
}
