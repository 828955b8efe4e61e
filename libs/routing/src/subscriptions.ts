// Subscriptions as plain functions over a TypeORM EntityManager: the gateway's API and the rabt
// CLI both call these, so every rule has one implementation. The router and the dispatcher read
// subscriptions through listSubscriptions and webhookSecretsOf, and disable them here.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { appendAuditRecords } from '@rabt/audit';
import { hasGrant, requireAgency, type SecretBox } from '@rabt/auth';
import { findCatalogueEntry, type CatalogueEntry } from '@rabt/contracts';
import { SubscriptionEntity } from '@rabt/persistence';
import { compileFilter } from './cel-filter';
import { projectionFor } from './projection';
import { SubscriptionExceptionCode as Code, subscriptionError } from './subscription.exception';
import { validateNewSubscription, validateSubscriptionFilter, validateSubscriptionId, type SubscriptionFilter } from './subscription.validation';
import { DEFAULT_SUBSCRIPTION_POLICY, type SubscriptionPolicy } from './subscription-policy.config';
import { subscriptionView, type CreatedSubscriptionView, type RotatedSecretView, type SubscriptionView } from './subscription.view';
import type { WebhookPolicyConfig } from './webhook.config';
import { newWebhookSecret, sealWebhookSecret } from './webhook-secret';
import { checkWebhookUrl, type HostResolver } from './webhook-url';

/** What the operations need besides the database. */
export interface SubscriptionContext {
  readonly manager: EntityManager;
  /** Who makes the change, for the audit log: 'agency:mom', 'cli:<os user>', 'service:dispatcher'. */
  readonly actor: string;
  /** Seals webhook signing secrets (RABT_SECRET_KEY). */
  readonly secrets: SecretBox;
  readonly webhooks: Pick<WebhookPolicyConfig, 'allowHosts' | 'previousSecretTtlMs'>;
  /** Quotas and the filter cost budget (RABT_SUBSCRIPTIONS_*, RABT_FILTER_*); default: DEFAULT_SUBSCRIPTION_POLICY. */
  readonly policy?: SubscriptionPolicy;
  /** Whether `agency` holds a subscribe grant on `eventType`; default: the agency_grant table. Services pass their cached check. */
  readonly isGranted?: (agency: string, eventType: string) => Promise<boolean>;
  /** Host name resolution for the SSRF guard (default: dns.lookup). */
  readonly resolve?: HostResolver;
  readonly now?: () => Date;
}

/** With `visibleTo`, only that agency's own subscriptions exist (others are SUBSCRIPTION_NOT_FOUND). */
export interface Visibility {
  readonly visibleTo?: string;
}

/** The catalogue entry of `eventType`; UNKNOWN_EVENT_TYPE for a type not in the catalogue. */
export function subscribableEntry(eventType: string): CatalogueEntry {
  const entry = findCatalogueEntry(eventType);
  if (!entry) throw subscriptionError(Code.UNKNOWN_EVENT_TYPE, `'${eventType}' is not an event type of the catalogue (schemas/catalogue.json)`);
  return entry;
}

/**
 * Whether `agency` may receive events of `entry`'s type: its owner always may; any other agency
 * only while it holds a `subscribe` grant. The router asks again for every event, so a revoked
 * grant stops delivery even for subscriptions that exist.
 */
export async function mayReceive(ctx: Pick<SubscriptionContext, 'manager' | 'isGranted'>, agency: string, entry: CatalogueEntry): Promise<boolean> {
  if (agency === entry.owner) return true;
  return ctx.isGranted ? ctx.isGranted(agency, entry.type) : hasGrant(ctx.manager, agency, entry.type, 'subscribe');
}

async function requireEntitled(ctx: SubscriptionContext, agency: string, entry: CatalogueEntry): Promise<void> {
  if (await mayReceive(ctx, agency, entry)) return;
  throw subscriptionError(
    Code.NOT_SUBSCRIBE_GRANTED,
    `'${agency}' holds no subscribe grant on ${entry.type}: its owner '${entry.owner}' (or an admin) must grant it first (POST /v1/grants, or rabt grants add ${agency} ${entry.type} subscribe)`,
  );
}

/**
 * Creates a subscription after checking, in this order: the shape (INVALID_SUBSCRIPTION), the
 * type (UNKNOWN_EVENT_TYPE), the agency (AGENCY_NOT_FOUND), the grant (NOT_SUBSCRIBE_GRANTED),
 * the filter (INVALID_FILTER, also for a worst-case cost over the budget), the projection
 * (INVALID_PROJECTION), the webhook URL (WEBHOOK_URL_REFUSED) and, in the inserting transaction,
 * the quotas (SUBSCRIPTION_QUOTA_EXCEEDED); a second subscription to the same destination is
 * SUBSCRIPTION_EXISTS. A webhook gets a new signing secret, returned this once and stored only sealed.
 */
export async function createSubscription(ctx: SubscriptionContext, input: unknown): Promise<CreatedSubscriptionView> {
  const policy = ctx.policy ?? DEFAULT_SUBSCRIPTION_POLICY;
  const s = validateNewSubscription(input);
  const entry = subscribableEntry(s.eventType);
  await requireAgency(ctx.manager, s.agency);
  await requireEntitled(ctx, s.agency, entry);
  if (s.filter !== null) compileFilter(s.filter, entry, { cost: policy.filterCost });
  const projection = s.projection === null ? null : projectionFor(entry, s.projection).fields;
  const webhookUrl = s.webhookUrl === null ? null : (await checkWebhookUrl(s.webhookUrl, ctx.webhooks.allowHosts, ctx.resolve)).url;
  const id = randomUUID();
  const secret = webhookUrl === null ? null : newWebhookSecret();
  try {
    await ctx.manager.transaction(async (m) => {
      await requireQuota(m, policy, s.agency, entry.type);
      await m.insert(SubscriptionEntity, {
        id,
        agencyCode: s.agency,
        eventType: entry.type,
        filter: s.filter,
        projection: projection === null ? null : [...projection],
        webhookUrl,
        webhookSecretCiphertext: secret === null ? null : sealWebhookSecret(ctx.secrets, id, secret),
        inbox: s.inbox,
        state: 'active',
      });
      await audited(m, ctx.actor, 'created', { id, agencyCode: s.agency, eventType: entry.type, webhookUrl, inbox: s.inbox, filter: s.filter, projection });
    });
  } catch (e) {
    if ((e as { driverError?: { code?: string } }).driverError?.code === '23505') await refuseDuplicate(ctx.manager, s.agency, entry.type, webhookUrl, s.inbox);
    throw e;
  }
  const row = await ctx.manager.findOneByOrFail(SubscriptionEntity, { id });
  return { ...subscriptionView(row, now(ctx)), webhookSecret: secret };
}

/**
 * Refuses a subscription past the agency's or the type's quota. Takes a transaction-scoped
 * advisory lock on the agency, then one on the type (always in that order, so two creates never
 * wait on each other in a cycle), and counts under them: concurrent creates queue, and each
 * counts the rows of those committed before it, so none passes the limit. Removals need no lock:
 * they only lower a count.
 */
async function requireQuota(m: EntityManager, policy: SubscriptionPolicy, agency: string, eventType: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7))`, [`rabt-subscription-quota:agency:${agency}`]);
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7))`, [`rabt-subscription-quota:type:${eventType}`]);
  const byAgency = await m.countBy(SubscriptionEntity, { agencyCode: agency });
  if (byAgency >= policy.perAgency) {
    throw subscriptionError(
      Code.SUBSCRIPTION_QUOTA_EXCEEDED,
      `'${agency}' already holds ${byAgency} subscriptions, the most one agency may hold (RABT_SUBSCRIPTIONS_PER_AGENCY=${policy.perAgency}): remove one first`,
      { scope: 'agency', limit: policy.perAgency, count: byAgency },
    );
  }
  const byType = await m.countBy(SubscriptionEntity, { eventType });
  if (byType >= policy.perType) {
    throw subscriptionError(
      Code.SUBSCRIPTION_QUOTA_EXCEEDED,
      `${eventType} already has ${byType} subscriptions, the most one event type may have (RABT_SUBSCRIPTIONS_PER_TYPE=${policy.perType}): remove one first`,
      { scope: 'eventType', limit: policy.perType, count: byType },
    );
  }
}

async function refuseDuplicate(manager: EntityManager, agency: string, eventType: string, webhookUrl: string | null, inbox: boolean): Promise<never> {
  const existing = (await manager.findBy(SubscriptionEntity, { agencyCode: agency, eventType })).filter((r) => (webhookUrl !== null && r.webhookUrl === webhookUrl) || (inbox && r.inbox));
  const where = existing.map((r) => `${r.id} (${r.webhookUrl === webhookUrl && webhookUrl !== null ? webhookUrl : 'the inbox'})`).join(', ');
  throw subscriptionError(Code.SUBSCRIPTION_EXISTS, `'${agency}' already subscribes to ${eventType} there: ${where}. Change or remove that subscription instead`, {
    existing: existing.map((r) => r.id),
  });
}

/** Subscriptions matching the filter, oldest first. */
export async function listSubscriptions(manager: EntityManager, filter: unknown = {}, options: Visibility = {}): Promise<SubscriptionView[]> {
  const valid: SubscriptionFilter = validateSubscriptionFilter(filter);
  if (valid.eventType !== undefined) subscribableEntry(valid.eventType);
  if (valid.agency !== undefined) await requireAgency(manager, valid.agency);
  const query = manager.createQueryBuilder(SubscriptionEntity, 's');
  if (valid.agency !== undefined) query.andWhere('s.agencyCode = :agency', { agency: valid.agency });
  if (valid.eventType !== undefined) query.andWhere('s.eventType = :eventType', { eventType: valid.eventType });
  if (valid.state !== undefined) query.andWhere('s.state = :state', { state: valid.state });
  if (options.visibleTo !== undefined) query.andWhere('s.agencyCode = :me', { me: options.visibleTo });
  const rows = await query.orderBy('s.createdAt', 'ASC').addOrderBy('s.id', 'ASC').getMany();
  const at = new Date();
  return rows.map((r) => subscriptionView(r, at));
}

/**
 * The active subscriptions to one type, as entities (with sealed secrets): what the router
 * evaluates for each event. Grants are not checked here: use mayReceive.
 */
export function activeSubscriptionsTo(manager: EntityManager, eventType: string): Promise<SubscriptionEntity[]> {
  return manager.find(SubscriptionEntity, { where: { eventType, state: 'active' }, order: { createdAt: 'ASC', id: 'ASC' } });
}

async function findVisible(manager: EntityManager, id: unknown, options: Visibility): Promise<SubscriptionEntity> {
  const key = validateSubscriptionId(id);
  const row = await manager.findOneBy(SubscriptionEntity, { id: key });
  if (!row || (options.visibleTo !== undefined && row.agencyCode !== options.visibleTo)) throw subscriptionError(Code.SUBSCRIPTION_NOT_FOUND, `no subscription ${key}`);
  return row;
}

export async function getSubscription(manager: EntityManager, id: unknown, options: Visibility = {}): Promise<SubscriptionView> {
  return subscriptionView(await findVisible(manager, id, options));
}

/**
 * Deletes a subscription for good; nothing is delivered for it any more: its waiting deliveries
 * end as gone (an attempt in flight finishes and is recorded). Returns what was removed.
 */
export async function removeSubscription(manager: EntityManager, id: unknown, actor: string, options: Visibility = {}): Promise<SubscriptionView> {
  const row = await findVisible(manager, id, options);
  await manager.transaction(async (m) => {
    const result = await m.delete(SubscriptionEntity, { id: row.id });
    if (!result.affected) throw subscriptionError(Code.SUBSCRIPTION_NOT_FOUND, `no subscription ${row.id}`);
    // A SECURITY DEFINER function (migration 1765800000001): the caller's role has no UPDATE on delivery.
    await m.query(`SELECT "rabt_end_removed_subscription_deliveries"($1)`, [row.id]);
    await audited(m, actor, 'removed', row);
  });
  return subscriptionView(row);
}

/**
 * Gives the webhook a new signing secret, returned this once. The secret it replaces stays valid
 * for `previousSecretTtlMs` (deliveries are signed with both meanwhile); one rotated out before
 * is dropped at once, so at most two secrets are ever valid. One atomic UPDATE.
 */
export async function rotateWebhookSecret(ctx: SubscriptionContext, id: unknown, options: Visibility = {}): Promise<RotatedSecretView> {
  const row = await findVisible(ctx.manager, id, options);
  if (!row.webhookUrl) throw subscriptionError(Code.NO_WEBHOOK, `subscription ${row.id} delivers to the inbox only: it has no webhook secret to rotate`);
  const secret = newWebhookSecret();
  const expiresAt = new Date(now(ctx).getTime() + ctx.webhooks.previousSecretTtlMs);
  await ctx.manager.transaction(async (m) => {
    await m
      .createQueryBuilder()
      .update(SubscriptionEntity)
      .set({
        previousWebhookSecretCiphertext: () => '"webhook_secret_ciphertext"',
        previousSecretExpiresAt: expiresAt,
        webhookSecretCiphertext: sealWebhookSecret(ctx.secrets, row.id, secret),
      })
      .where('id = :id', { id: row.id })
      .execute();
    await audited(m, ctx.actor, 'secret-rotated', row, { previousSecretExpiresAt: expiresAt.toISOString() });
  });
  const updated = await ctx.manager.findOneByOrFail(SubscriptionEntity, { id: row.id });
  return { ...subscriptionView(updated, now(ctx)), webhookSecret: secret };
}

/**
 * Activates a disabled subscription again (e.g. after its webhook answered 410 and was fixed).
 * The grant, the filter (its cost too: it may have been stored under other limits) and the
 * webhook URL are checked again, as at creation. Enabling an active one changes nothing.
 */
export async function enableSubscription(ctx: SubscriptionContext, id: unknown, options: Visibility = {}): Promise<SubscriptionView> {
  const row = await findVisible(ctx.manager, id, options);
  if (row.state === 'active') return subscriptionView(row, now(ctx));
  const entry = subscribableEntry(row.eventType);
  await requireEntitled(ctx, row.agencyCode, entry);
  if (row.filter !== null) compileFilter(row.filter, entry, { cost: (ctx.policy ?? DEFAULT_SUBSCRIPTION_POLICY).filterCost });
  if (row.webhookUrl) await checkWebhookUrl(row.webhookUrl, ctx.webhooks.allowHosts, ctx.resolve);
  await ctx.manager.transaction(async (m) => {
    await m.update(SubscriptionEntity, { id: row.id }, { state: 'active', disabledReason: null });
    await audited(m, ctx.actor, 'enabled', row);
  });
  return subscriptionView(await ctx.manager.findOneByOrFail(SubscriptionEntity, { id: row.id }), now(ctx));
}

/** Stops deliveries for a subscription, recording why (the dispatcher, on 410 Gone). */
export async function disableSubscription(manager: EntityManager, id: unknown, reason: string, actor: string): Promise<SubscriptionView> {
  const row = await findVisible(manager, id, {});
  await manager.transaction(async (m) => {
    await m.update(SubscriptionEntity, { id: row.id }, { state: 'disabled', disabledReason: reason.slice(0, 1000) });
    await audited(m, actor, 'disabled', row, {}, reason.slice(0, 1000));
  });
  return subscriptionView(await manager.findOneByOrFail(SubscriptionEntity, { id: row.id }));
}

const now = (ctx: Pick<SubscriptionContext, 'now'>): Date => (ctx.now ? ctx.now() : new Date());

/** The audit record of a change (never a secret: only where deliveries go and what is filtered). */
function audited(
  m: EntityManager,
  actor: string,
  change: 'created' | 'removed' | 'secret-rotated' | 'enabled' | 'disabled',
  s: Pick<SubscriptionEntity, 'id' | 'agencyCode' | 'eventType' | 'webhookUrl' | 'inbox'> & { filter?: string | null; projection?: readonly string[] | null },
  extra: Record<string, unknown> = {},
  reason: string | null = null,
): Promise<void> {
  const details = { change, agency: s.agencyCode, eventType: s.eventType, webhookUrl: s.webhookUrl, inbox: s.inbox, filter: s.filter ?? null, projection: s.projection ?? null, ...extra };
  return appendAuditRecords(m, [{ actor, action: 'subscription.changed', subject: `subscription:${s.id}`, reason, details }]);
}
