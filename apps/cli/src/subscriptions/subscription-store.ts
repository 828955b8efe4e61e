// Subscriptions as the `rabt subscriptions` commands see them: the plain functions of
// @rabt/routing (the same ones the gateway's API runs) over a direct database connection.
import { secretKeyFragment, type SecretKeyConfig } from '@rabt/auth';
import { databaseFragment, loadConfig } from '@rabt/config';
import { createDataSource } from '@rabt/persistence';
import {
  createSubscription,
  enableSubscription,
  listSubscriptions,
  removeSubscription,
  rotateWebhookSecret,
  subscriptionPolicyFragment,
  webhookPolicyFragment,
  type CreatedSubscriptionView,
  type NewSubscription,
  type RotatedSecretView,
  type SubscriptionContext,
  type SubscriptionFilter,
  type SubscriptionView,
} from '@rabt/routing';
import { cliActor } from '../cli/cli-actor';
import { CliException, CliExceptionCode } from '../cli/cli.exception';
import { withDatabaseSession } from '../cli/database-session';
import { CLI_NAME } from '../config/cli.config';

export interface SubscriptionStore {
  /** True while secrets are sealed with the built-in development key. */
  readonly developmentKey: boolean;
  add(input: NewSubscription): Promise<CreatedSubscriptionView>;
  list(filter: SubscriptionFilter): Promise<SubscriptionView[]>;
  remove(id: string): Promise<SubscriptionView>;
  rotateSecret(id: string): Promise<RotatedSecretView>;
  enable(id: string): Promise<SubscriptionView>;
}

export interface SubscriptionStoreSession {
  readonly store: SubscriptionStore;
  close(): Promise<void>;
}

export function subscriptionStoreOver(context: SubscriptionContext, secrets: Pick<SecretKeyConfig, 'developmentKey'>): SubscriptionStore {
  return {
    developmentKey: secrets.developmentKey,
    add: (input) => createSubscription(context, input),
    list: (filter) => listSubscriptions(context.manager, filter),
    remove: (id) => removeSubscription(context.manager, id, context.actor),
    rotateSecret: (id) => rotateWebhookSecret(context, id),
    enable: (id) => enableSubscription(context, id),
  };
}

/**
 * Connects to DATABASE_URL; seals secrets with RABT_SECRET_KEY, checks webhook URLs against
 * RABT_WEBHOOK_ALLOW_HOSTS and applies the quotas and filter budget of RABT_SUBSCRIPTIONS_* and
 * RABT_FILTER_*, like the gateway. Bad configuration is a ConfigValidationError (exit 2); a
 * database that does not answer, DATABASE_UNREACHABLE (exit 3).
 */
export async function openSubscriptionStore(env?: Record<string, string | undefined>): Promise<SubscriptionStoreSession> {
  const config = loadConfig(CLI_NAME, { database: databaseFragment(), secrets: secretKeyFragment(), webhooks: webhookPolicyFragment(), policy: subscriptionPolicyFragment() }, env);
  const { database, secrets, webhooks, policy } = config.values;
  const dataSource = createDataSource({ ...database, poolMax: 1 }, `${CLI_NAME}-cli`);
  try {
    await dataSource.initialize();
  } catch (e) {
    throw new CliException(CliExceptionCode.DATABASE_UNREACHABLE, `database ${config.printable['DATABASE_URL']} is unreachable (set DATABASE_URL): ${(e as Error).message}`);
  }
  const store = subscriptionStoreOver({ manager: dataSource.manager, actor: cliActor(), secrets: secrets.box, webhooks, policy }, secrets);
  return { store, close: () => dataSource.destroy() };
}

/** Runs `action` on an open store and always closes it; a database without the table says so. */
export async function withSubscriptionStore<T>(open: () => Promise<SubscriptionStoreSession>, action: (store: SubscriptionStore) => Promise<T>): Promise<T> {
  return withDatabaseSession(open, 'subscription table', (session) => action(session.store));
}
