// `rabt subscriptions add|list|remove|rotate-secret|enable`: who receives which events, where.
import type { CreatedSubscriptionView, SubscriptionView } from '@rabt/routing';
import { json, table, when } from '../agencies/text.format';
import { ExitCode, type CliOutput } from '../cli/cli.exception';
import type { SubscriptionStore } from './subscription-store';

export const SECRET_WARNING = 'This webhook signing secret is shown only now: Rabt stores it encrypted and cannot show it again. Put it in the agency\'s secret store.';
const DEV_KEY_WARNING = 'RABT_SECRET_KEY is the development default: signing secrets sealed with it are not protected at rest. Set the production key before creating real subscriptions.';

interface AddOptions {
  readonly agency: string;
  readonly eventType: string;
  readonly filter?: string | undefined;
  readonly fields?: readonly string[] | undefined;
  readonly webhook?: string | undefined;
  readonly inbox: boolean;
  readonly json: boolean;
}

/** Where a subscription delivers, in words. */
export function destination(s: SubscriptionView): string {
  return [s.webhook ? `webhook ${s.webhook.url}` : undefined, s.inboxTopic ? `inbox ${s.inboxTopic}` : undefined].filter(Boolean).join(' + ');
}

export async function runSubscriptionsAdd(store: SubscriptionStore, o: AddOptions, output: CliOutput): Promise<ExitCode> {
  const created: CreatedSubscriptionView = await store.add({
    agency: o.agency,
    eventType: o.eventType,
    ...(o.filter !== undefined ? { filter: o.filter } : {}),
    ...(o.fields !== undefined ? { projection: o.fields } : {}),
    ...(o.webhook !== undefined ? { webhook: { url: o.webhook } } : {}),
    ...(o.inbox ? { inbox: true } : {}),
  });
  if (store.developmentKey && created.webhookSecret) output.err(`! ${DEV_KEY_WARNING}`);
  if (o.json) {
    output.out(json(created.webhookSecret ? { ...created, warning: SECRET_WARNING } : created));
    return ExitCode.OK;
  }
  output.out(`✓ subscription ${created.id}: ${created.agency} receives ${created.eventType} by ${destination(created)}`);
  if (created.filter !== null) output.out(`  filter: ${created.filter}`);
  if (created.projection !== null) output.out(`  fields: ${created.projection.join(', ')}`);
  if (created.webhookSecret) {
    output.out('  webhook signing secret:');
    output.out(created.webhookSecret);
    output.err(`! ${SECRET_WARNING}`);
  }
  return ExitCode.OK;
}

export async function runSubscriptionsList(store: SubscriptionStore, o: { agency?: string | undefined; eventType?: string | undefined; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const subscriptions = await store.list({ ...(o.agency !== undefined ? { agency: o.agency } : {}), ...(o.eventType !== undefined ? { eventType: o.eventType } : {}) });
  if (o.json) {
    output.out(json({ subscriptions }));
    return ExitCode.OK;
  }
  if (subscriptions.length === 0) {
    output.out('no subscriptions match: add one with rabt subscriptions add <agency> <eventType> --webhook <url> | --inbox');
    return ExitCode.OK;
  }
  const rows = subscriptions.map((s) => [s.id, s.agency, s.state, s.eventType, destination(s), s.projection?.join(',') ?? 'all', s.filter ?? '-']);
  for (const line of table(['ID', 'AGENCY', 'STATE', 'EVENT TYPE', 'DELIVERS TO', 'FIELDS', 'FILTER'], rows)) output.out(line);
  return ExitCode.OK;
}

export async function runSubscriptionsRemove(store: SubscriptionStore, o: { id: string; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const removed = await store.remove(o.id);
  if (o.json) output.out(json({ removed }));
  else output.out(`✓ subscription ${removed.id} removed: ${removed.agency} no longer receives ${removed.eventType} by ${destination(removed)}`);
  return ExitCode.OK;
}

export async function runSubscriptionsRotateSecret(store: SubscriptionStore, o: { id: string; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const rotated = await store.rotateSecret(o.id);
  if (store.developmentKey) output.err(`! ${DEV_KEY_WARNING}`);
  if (o.json) {
    output.out(json({ ...rotated, warning: SECRET_WARNING }));
    return ExitCode.OK;
  }
  const until = rotated.webhook?.previousSecretExpiresAt;
  output.out(`✓ new webhook signing secret for subscription ${rotated.id} (${rotated.agency}); ${until ? `the previous one stays valid until ${when(until)}` : 'the previous one is no longer valid'}:`);
  output.out(rotated.webhookSecret);
  output.err(`! ${SECRET_WARNING}`);
  return ExitCode.OK;
}

export async function runSubscriptionsEnable(store: SubscriptionStore, o: { id: string; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const enabled = await store.enable(o.id);
  if (o.json) output.out(json(enabled));
  else output.out(`✓ subscription ${enabled.id} is active: ${enabled.agency} receives ${enabled.eventType} by ${destination(enabled)}`);
  return ExitCode.OK;
}
