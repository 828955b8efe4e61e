import { configTypes, fragment } from '@rabt/config';
import { DEFAULT_FILTER_COST_LIMITS, type FilterCostLimits } from './filter-cost';

/** How many subscriptions may exist, and how costly a filter may be, at creation. */
export abstract class SubscriptionPolicyConfig {
  /** Most subscriptions one agency may hold (every state, every type). */
  abstract readonly perAgency: number;
  /** Most subscriptions to one event type (every agency): one publish fans out to at most this many. */
  abstract readonly perType: number;
  /** The filter cost budget and the data bounds its estimate assumes. */
  abstract readonly filterCost: FilterCostLimits;
}

export type SubscriptionPolicy = Pick<SubscriptionPolicyConfig, 'perAgency' | 'perType' | 'filterCost'>;

export const DEFAULT_SUBSCRIPTION_POLICY: SubscriptionPolicy = {
  perAgency: 100,
  perType: 1_000,
  filterCost: DEFAULT_FILTER_COST_LIMITS,
};

export const subscriptionPolicyFragment = () =>
  fragment({
    token: SubscriptionPolicyConfig,
    env: {
      RABT_SUBSCRIPTIONS_PER_AGENCY: configTypes.positiveInt.default(DEFAULT_SUBSCRIPTION_POLICY.perAgency),
      RABT_SUBSCRIPTIONS_PER_TYPE: configTypes.positiveInt.default(DEFAULT_SUBSCRIPTION_POLICY.perType),
      RABT_FILTER_COST_BUDGET: configTypes.positiveInt.default(DEFAULT_SUBSCRIPTION_POLICY.filterCost.budget),
      RABT_FILTER_LIST_BOUND: configTypes.positiveInt.default(DEFAULT_SUBSCRIPTION_POLICY.filterCost.listBound),
      RABT_FILTER_STRING_BOUND: configTypes.positiveInt.default(DEFAULT_SUBSCRIPTION_POLICY.filterCost.stringBound),
    },
    map: (e): SubscriptionPolicyConfig => ({
      perAgency: e.RABT_SUBSCRIPTIONS_PER_AGENCY,
      perType: e.RABT_SUBSCRIPTIONS_PER_TYPE,
      filterCost: { budget: e.RABT_FILTER_COST_BUDGET, listBound: e.RABT_FILTER_LIST_BOUND, stringBound: e.RABT_FILTER_STRING_BOUND },
    }),
  });
