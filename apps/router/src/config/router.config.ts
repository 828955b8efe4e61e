import { hostname } from 'node:os';
import { z } from 'zod';
import { configTypes, databaseFragment, fragment, httpFragment, kafkaFragment, loadConfig, loggingFragment, schemaRegistryClientFragment } from '@rabt/config';
import { DEFAULT_FILTER_RUN_LIMITS, type FilterRunLimits } from '@rabt/routing';

export const ROUTER_SERVICE = 'router';

export abstract class RouterConfig {
  /** Stable per instance: the Kafka transactional id is derived from it (restart fences the old one). */
  abstract readonly instanceId: string;
  abstract readonly maxRecordsPerTransaction: number;
  /** How often active subscriptions are re-read from Postgres. */
  abstract readonly subscriptionRefreshMs: number;
  abstract readonly groupId: string;
  /** Where a consumer group without committed offsets starts: `earliest` loses nothing published before. */
  abstract readonly startFrom: 'earliest' | 'latest';
  abstract readonly sessionTimeoutMs: number;
  /** Partitions routed at once; their results commit together through the one transactional producer. */
  abstract readonly partitionsConcurrently: number;
  /** What one evaluation of one filter may use before it is stopped (and is no match). */
  abstract readonly filterRunLimits: FilterRunLimits;
  /** How long a subscription whose filter ran out of budget is set aside (receives nothing, costs nothing). */
  abstract readonly filterSetAsideMs: number;
}

const routerFragment = () =>
  fragment({
    token: RouterConfig,
    env: {
      ROUTER_INSTANCE_ID: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,100}$/, { message: 'must be 1-100 characters of A-Z a-z 0-9 . _ -' })
        .default(hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 100) || 'router'),
      ROUTER_MAX_RECORDS_PER_TRANSACTION: configTypes.positiveInt.max(10_000).default(500),
      ROUTER_SUBSCRIPTION_REFRESH_MS: configTypes.positiveInt.default(2_000),
      ROUTER_GROUP_ID: z.string().min(1).default('rabt-router'),
      ROUTER_START_FROM: z.enum(['earliest', 'latest'], { message: 'must be earliest or latest' }).default('earliest'),
      ROUTER_SESSION_TIMEOUT_MS: configTypes.positiveInt.min(6_000, { message: 'must be at least 6000 (the broker minimum)' }).default(30_000),
      ROUTER_PARTITIONS_CONCURRENTLY: configTypes.positiveInt.max(64, { message: 'must be at most 64' }).default(8),
      ROUTER_FILTER_STEP_BUDGET: configTypes.positiveInt.default(DEFAULT_FILTER_RUN_LIMITS.steps),
      ROUTER_FILTER_TIME_BUDGET_MS: configTypes.positiveInt.max(1_000, { message: 'must be at most 1000' }).default(DEFAULT_FILTER_RUN_LIMITS.timeMs),
      ROUTER_FILTER_SET_ASIDE_MS: configTypes.positiveInt.default(60_000),
    },
    map: (e): RouterConfig => ({
      instanceId: e.ROUTER_INSTANCE_ID,
      maxRecordsPerTransaction: e.ROUTER_MAX_RECORDS_PER_TRANSACTION,
      subscriptionRefreshMs: e.ROUTER_SUBSCRIPTION_REFRESH_MS,
      groupId: e.ROUTER_GROUP_ID,
      startFrom: e.ROUTER_START_FROM,
      sessionTimeoutMs: e.ROUTER_SESSION_TIMEOUT_MS,
      partitionsConcurrently: e.ROUTER_PARTITIONS_CONCURRENTLY,
      filterRunLimits: { steps: e.ROUTER_FILTER_STEP_BUDGET, timeMs: e.ROUTER_FILTER_TIME_BUDGET_MS },
      filterSetAsideMs: e.ROUTER_FILTER_SET_ASIDE_MS,
    }),
  });

export const routerConfigFragments = () => ({
  http: httpFragment('ROUTER_PORT', 8083),
  logging: loggingFragment(ROUTER_SERVICE),
  kafka: kafkaFragment(`rabt-${ROUTER_SERVICE}`),
  database: databaseFragment(),
  registry: schemaRegistryClientFragment(),
  router: routerFragment(),
});

export const loadRouterConfig = (env?: Record<string, string | undefined>) => loadConfig(ROUTER_SERVICE, routerConfigFragments(), env);
export type RouterAppConfig = ReturnType<typeof loadRouterConfig>;
