// Wires `rabt subscriptions …` to commander. Each command opens the database (DATABASE_URL),
// runs, and closes it; errors map to exit codes in run-command.ts.
import { Argument, type Command } from 'commander';
import type { CliOutput, ExitCode } from '../cli/cli.exception';
import { runCommand } from '../cli/run-command';
import { withSubscriptionStore, type SubscriptionStore, type SubscriptionStoreSession } from './subscription-store';
import { runSubscriptionsAdd, runSubscriptionsEnable, runSubscriptionsList, runSubscriptionsRemove, runSubscriptionsRotateSecret } from './subscriptions.command';

export interface SubscriptionCommandDeps {
  readonly output: CliOutput;
  readonly open: () => Promise<SubscriptionStoreSession>;
}

interface Json {
  json?: boolean;
}

const fieldList = (value: string): string[] =>
  value
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);

export function addSubscriptionCommands(program: Command, deps: SubscriptionCommandDeps): void {
  const { output } = deps;
  const run = (action: (store: SubscriptionStore) => Promise<ExitCode>) => runCommand(() => withSubscriptionStore(deps.open, action), output);
  const withJson = (command: Command) => command.option('--json', 'print the result as JSON');
  const id = () => new Argument('<id>', 'the subscription id, as listed');

  const subscriptions = program
    .command('subscriptions')
    .description('which events each agency receives, how much of them and where (direct database access through DATABASE_URL; secrets sealed with RABT_SECRET_KEY)');
  withJson(
    subscriptions
      .command('add')
      .description('subscribe an agency to an event type; it needs a subscribe grant unless it owns the type. A webhook gets a signing secret, printed once')
      .addArgument(new Argument('<agency>', 'the subscriber, e.g. rop'))
      .argument('<eventType>', 'an event type of the catalogue, e.g. mom.employee.left-work-reported')
      .option('--filter <cel>', 'CEL condition over event and data, e.g. \'data.reason == "ABSCONDED"\' (default: every event)')
      .option('--fields <a,b,c>', 'top-level data fields to receive; the partition key is always added (default: every field)', fieldList)
      .option('--webhook <url>', 'deliver to this https URL (http only for RABT_WEBHOOK_ALLOW_HOSTS)')
      .option('--inbox', 'deliver to the Kafka topic rabt.inbox.<agency>'),
  ).action((agency: string, eventType: string, o: Json & { filter?: string; fields?: string[]; webhook?: string; inbox?: boolean }) =>
    run((s) => runSubscriptionsAdd(s, { agency, eventType, filter: o.filter, fields: o.fields, webhook: o.webhook, inbox: o.inbox === true, json: o.json === true }, output)),
  );
  withJson(
    subscriptions
      .command('list')
      .description('subscriptions, optionally of one agency or one event type (never secrets)')
      .option('--agency <code>', 'only this agency’s')
      .option('--type <eventType>', 'only those to this event type'),
  ).action((o: Json & { agency?: string; type?: string }) => run((s) => runSubscriptionsList(s, { agency: o.agency, eventType: o.type, json: o.json === true }, output)));
  withJson(subscriptions.command('remove').description('delete a subscription; nothing more is delivered for it').addArgument(id())).action((subscription: string, o: Json) =>
    run((s) => runSubscriptionsRemove(s, { id: subscription, json: o.json === true }, output)),
  );
  withJson(
    subscriptions
      .command('rotate-secret')
      .description('give the webhook a new signing secret, printed once; the previous one stays valid for RABT_WEBHOOK_SECRET_OVERLAP_HOURS (24)')
      .addArgument(id()),
  ).action((subscription: string, o: Json) => run((s) => runSubscriptionsRotateSecret(s, { id: subscription, json: o.json === true }, output)));
  withJson(subscriptions.command('enable').description('activate a disabled subscription again (the grant, the filter and the URL are checked again)').addArgument(id())).action(
    (subscription: string, o: Json) => run((s) => runSubscriptionsEnable(s, { id: subscription, json: o.json === true }, output)),
  );
}
