// Wires `rabt operators …`, `rabt login|logout`, `rabt dlq …` and `rabt tx show` to commander.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEAD_LETTER_ERROR_CODES, DEAD_LETTER_STATES, OPERATOR_ROLES, type DeadLetterFilter } from '@rabt/ops-contracts';
import { CliException, CliExceptionCode, ExitCode, type CliOutput } from '../cli/cli.exception';
import { runCommand } from '../cli/run-command';
import { loadOpsCliConfig } from '../config/cli.config';
import { runOperatorsAction, runOperatorsCreate, runOperatorsList, runOperatorsUnlock, withOperatorStore, type OperatorAction, type OperatorStore } from '../operators/operators.command';
import { opsClient } from './ops.client';
import { runDlqAction, runDlqList, runDlqReplayAll, runDlqShow, runLogin, runTxShow, type OpsSession } from './ops.commands';
import { forgetSession, loadSession, saveSession } from './session.store';

export interface OpsCommandDeps {
  readonly output: CliOutput;
  readonly openOperators: () => Promise<OperatorStore>;
  readonly readPassword: (prompt: string) => Promise<string>;
}

interface Common {
  json?: boolean;
  ops?: string;
}

const positiveInt = (v: string) => {
  if (!/^\d{1,6}$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('a whole number from 1.');
  return Number(v);
};

function session(o: Common): OpsSession {
  const config = loadOpsCliConfig({ ops: o.ops });
  const stored = loadSession(config.sessionFile, config.opsUrl);
  if (!stored) throw new CliException(CliExceptionCode.NOT_SIGNED_IN, `not signed in to ${config.opsUrl}: run rabt login`);
  return { opsUrl: config.opsUrl, client: opsClient(config.opsUrl, stored.token) };
}

const filterOptions = (c: Command) =>
  c
    .option('--agency <code>', 'subscriber or publisher agency')
    .option('--type <type>', 'event type')
    .addOption(new Option('--error-code <code>', 'why it was dead-lettered').choices([...DEAD_LETTER_ERROR_CODES]))
    .option('--from <iso>', 'dead-lettered at or after (ISO 8601)')
    .option('--to <iso>', 'dead-lettered before (ISO 8601)')
    .option('--transaction-id <id>', 'of this cross-agency transaction');

const filterOf = (o: DeadLetterFilter): DeadLetterFilter => ({
  ...(o.agency ? { agency: o.agency } : {}),
  ...(o.type ? { type: o.type } : {}),
  ...(o.errorCode ? { errorCode: o.errorCode } : {}),
  ...(o.from ? { from: o.from } : {}),
  ...(o.to ? { to: o.to } : {}),
  ...(o.transactionId ? { transactionId: o.transactionId } : {}),
});

export function addOpsCommands(program: Command, deps: OpsCommandDeps): void {
  const { output } = deps;
  const withJson = (c: Command) => c.option('--json', 'print the result as JSON');
  const withOps = (c: Command) => withJson(c).option('--ops <url>', 'ops service URL (default: RABT_OPS_URL, else http://127.0.0.1:8082)');
  const db = (action: (store: OperatorStore) => Promise<ExitCode>) => runCommand(() => withOperatorStore(deps.openOperators, action), output);

  const operators = program.command('operators').description('operator accounts of the ops service (direct database access through DATABASE_URL)');
  withJson(
    operators
      .command('create')
      .description('create an account; the password is read from standard input (at least 12 characters)')
      .requiredOption('--username <name>', 'a-z 0-9 . _ -')
      .addOption(new Option('--role <role>', 'what it may do').choices([...OPERATOR_ROLES]).makeOptionMandatory())
      .option('--agency <code>', 'bind it to an agency: it sees only that agency’s traffic')
      .option('--display-name <name>', 'shown in the console')
      .option('--password-stdin', 'read the password from standard input (the default when it is not a terminal)')
      .option('--reason <text>', 'recorded in the audit trail', 'created with rabt operators create'),
  ).action((o: { username: string; role: string; agency?: string; displayName?: string; reason: string; json?: boolean }) =>
    db(async (store) => {
      const password = await deps.readPassword(`password for ${o.username}: `);
      return runOperatorsCreate(store, { username: o.username, role: o.role, password, reason: o.reason, json: o.json === true, ...(o.agency ? { agency: o.agency } : {}), ...(o.displayName ? { displayName: o.displayName } : {}) }, output);
    }),
  );
  withJson(operators.command('list').description('every account, with its role, agency and lock')).action((o: { json?: boolean }) => db((store) => runOperatorsList(store, { json: o.json === true }, output)));
  withJson(operators.command('unlock').description('unlock an account locked after wrong passwords').argument('<username>').requiredOption('--reason <text>', 'why (audited)')).action(
    (username: string, o: { reason: string; json?: boolean }) => db((store) => runOperatorsUnlock(store, { username, reason: o.reason, json: o.json === true }, output)),
  );
  const actions: [OperatorAction, string][] = [
    ['disable', 'disable an account and end its sessions at once'],
    ['enable', 'enable a disabled account'],
    ['revoke-sessions', 'end every session of an account at once (it may sign in again)'],
  ];
  for (const [action, description] of actions) {
    withJson(operators.command(action).description(description).argument('<username>').requiredOption('--reason <text>', 'why (audited)')).action((username: string, o: { reason: string; json?: boolean }) =>
      db((store) => runOperatorsAction(store, { action, username, reason: o.reason, json: o.json === true }, output)),
    );
  }

  withOps(program.command('login').description('sign in to the ops service; the session token is kept in ~/.config/rabt (mode 0600)'))
    .requiredOption('--username <name>', 'account name')
    .option('--password-stdin', 'read the password from standard input (the default when it is not a terminal)')
    .action((o: Common & { username: string }) =>
      runCommand(async () => {
        const config = loadOpsCliConfig({ ops: o.ops });
        const password = await deps.readPassword(`password of ${o.username}: `);
        return runLogin(opsClient(config.opsUrl, undefined), { opsUrl: config.opsUrl, username: o.username, password, json: o.json === true }, (s) => saveSession(config.sessionFile, s), output);
      }, output),
    );
  withOps(program.command('logout').description('end the session and forget its token')).action((o: Common) =>
    runCommand(async () => {
      const config = loadOpsCliConfig({ ops: o.ops });
      const stored = loadSession(config.sessionFile, config.opsUrl);
      if (stored) await opsClient(config.opsUrl, stored.token).call('DELETE', '/v1/session').catch(() => undefined);
      forgetSession(config.sessionFile);
      output.out('✓ signed out');
      return ExitCode.OK;
    }, output),
  );

  const dlq = program.command('dlq').description('dead letters: list, show, replay (one or --all), discard (through the ops service)');
  withOps(filterOptions(dlq.command('list').description('dead letters, newest first')))
    .addOption(new Option('--state <state>', 'default open').choices([...DEAD_LETTER_STATES]))
    .option('--limit <n>', 'at most 200', positiveInt)
    .option('--cursor <cursor>', 'the next page (printed after a page)')
    .action((o: Common & DeadLetterFilter & { state?: string; limit?: number; cursor?: string }) =>
      runCommand(() => runDlqList(session(o), { ...filterOf(o), ...(o.state ? { state: o.state } : {}), ...(o.limit ? { limit: o.limit } : {}), ...(o.cursor ? { cursor: o.cursor } : {}), json: o.json === true }, output), output),
    );
  withOps(dlq.command('show').description('one dead letter: error, attempts and the event (sensitive fields masked for viewers)').argument('<id>')).action((id: string, o: Common) =>
    runCommand(() => runDlqShow(session(o), { id, json: o.json === true }, output), output),
  );
  withOps(filterOptions(dlq.command('replay').description('deliver again with the same webhook-id: one dead letter, or --all matching the filters (bulk, with progress)')))
    .argument('[id]')
    .option('--all', 'every open dead letter matching the filters')
    .requiredOption('--reason <text>', 'why (audited)')
    .option('--rate <n>', 'bulk: dead letters per second (default 50)', positiveInt)
    .action((id: string | undefined, o: Common & DeadLetterFilter & { all?: boolean; reason: string; rate?: number }) =>
      runCommand(() => {
        if (id && o.all) throw new CliException(CliExceptionCode.CONFIG_INVALID, 'give a dead letter id or --all, not both');
        if (!id && !o.all) throw new CliException(CliExceptionCode.CONFIG_INVALID, 'give a dead letter id, or --all with filters for a bulk replay');
        if (id) return runDlqAction(session(o), { id, action: 'replay', reason: o.reason, json: o.json === true }, output);
        return runDlqReplayAll(session(o), { filter: filterOf(o), reason: o.reason, ...(o.rate ? { rate: o.rate } : {}), json: o.json === true, progress: process.stderr.isTTY === true }, output);
      }, output),
    );
  withOps(dlq.command('discard').description('discard a dead letter for good').argument('<id>').requiredOption('--reason <text>', 'why (audited)')).action((id: string, o: Common & { reason: string }) =>
    runCommand(() => runDlqAction(session(o), { id, action: 'discard', reason: o.reason, json: o.json === true }, output), output),
  );

  const tx = program.command('tx').description('cross-agency transactions (through the ops service)');
  withOps(tx.command('show').description('a transaction: its steps and timeline').argument('<id>')).action((id: string, o: Common) =>
    runCommand(() => runTxShow(session(o), { id, json: o.json === true }, output), output),
  );
}
