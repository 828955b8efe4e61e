// `rabt operators create|list|unlock|disable|enable|revoke-sessions`: operator accounts of the
// ops service, straight in the database (DATABASE_URL), for the first admin, for unlocking when
// no admin can sign in, and for shutting an account out at once (disabling and ending sessions).
// Each change is written to the audit trail in the same transaction.
import type { DataSource } from 'typeorm';
import { appendAuditRecords } from '@rabt/audit';
import { createOperator, disableOperator, enableOperator, listOperators, revokeOperatorSessions, unlockOperator, type NewOperator } from '@rabt/auth';
import { databaseFragment, loadConfig } from '@rabt/config';
import { createDataSource } from '@rabt/persistence';
import { json, table, when } from '../agencies/text.format';
import { cliActor } from '../cli/cli-actor';
import { CliException, CliExceptionCode, ExitCode, type CliOutput } from '../cli/cli.exception';
import { withDatabaseSession } from '../cli/database-session';
import { CLI_NAME } from '../config/cli.config';

export interface OperatorStore {
  readonly dataSource: DataSource;
  close(): Promise<void>;
}

export async function openOperatorStore(env?: Record<string, string | undefined>): Promise<OperatorStore> {
  const config = loadConfig(CLI_NAME, { database: databaseFragment() }, env);
  const dataSource = createDataSource({ ...config.values.database, poolMax: 1 }, `${CLI_NAME}-cli`);
  try {
    await dataSource.initialize();
  } catch (e) {
    throw new CliException(CliExceptionCode.DATABASE_UNREACHABLE, `database ${config.printable['DATABASE_URL']} is unreachable (set DATABASE_URL): ${(e as Error).message}`);
  }
  return { dataSource, close: () => dataSource.destroy() };
}

export async function withOperatorStore<T>(open: () => Promise<OperatorStore>, action: (store: OperatorStore) => Promise<T>): Promise<T> {
  return withDatabaseSession(open, 'operator tables', action);
}

export async function runOperatorsCreate(store: OperatorStore, o: NewOperator & { reason: string; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const created = await store.dataSource.transaction(async (m) => {
    const operator = await createOperator(m, o);
    await appendAuditRecords(m, [{ actor: cliActor(), action: 'operator.created', subject: `operator:${operator.username}`, reason: o.reason, details: { role: operator.role, agency: operator.agency } }]);
    return operator;
  });
  if (o.json) output.out(json(created));
  else output.out(`✓ operator ${created.username} created: ${created.role}${created.agency ? ` of agency ${created.agency} (sees only its traffic)` : ''}. Sign in with: rabt login --username ${created.username}`);
  return ExitCode.OK;
}

export async function runOperatorsList(store: OperatorStore, o: { json: boolean }, output: CliOutput): Promise<ExitCode> {
  const operators = await listOperators(store.dataSource.manager);
  if (o.json) {
    output.out(json({ operators }));
    return ExitCode.OK;
  }
  if (operators.length === 0) {
    output.out('no operators yet: create the first admin with rabt operators create --username <name> --role admin');
    return ExitCode.OK;
  }
  for (const line of table(
    ['USERNAME', 'ROLE', 'AGENCY', 'LOCKED', 'DISABLED', 'LAST SIGN-IN', 'NAME'],
    operators.map((x) => [x.username, x.role, x.agency ?? '—', x.lockedUntil ? `until ${when(x.lockedUntil)}` : 'no', x.disabled ? 'yes' : 'no', x.lastSignInAt ? when(x.lastSignInAt) : 'never', x.displayName]),
  )) {
    output.out(line);
  }
  return ExitCode.OK;
}

export async function runOperatorsUnlock(store: OperatorStore, o: { username: string; reason: string; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const { operator, wasLocked } = await store.dataSource.transaction(async (m) => {
    const result = await unlockOperator(m, o.username);
    await appendAuditRecords(m, [{ actor: cliActor(), action: 'operator.unlocked', subject: `operator:${result.operator.username}`, reason: o.reason, details: { wasLocked: result.wasLocked } }]);
    return result;
  });
  if (o.json) output.out(json({ operator, wasLocked }));
  else output.out(wasLocked ? `✓ operator ${operator.username} unlocked: they can sign in again` : `✓ operator ${operator.username} was not locked; wrong-password count reset`);
  return ExitCode.OK;
}

export type OperatorAction = 'disable' | 'enable' | 'revoke-sessions';

/** Disables or enables an account, or ends its sessions, audited with the reason in the same transaction. */
export async function runOperatorsAction(store: OperatorStore, o: { action: OperatorAction; username: string; reason: string; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const result = await store.dataSource.transaction(async (m) => {
    const done =
      o.action === 'disable'
        ? { ...(await disableOperator(m, o.username)), audit: 'operator.disabled' as const }
        : o.action === 'enable'
          ? { ...(await enableOperator(m, o.username)), sessionsEnded: 0, audit: 'operator.enabled' as const }
          : { ...(await revokeOperatorSessions(m, o.username)), audit: 'operator.sessions-revoked' as const };
    await appendAuditRecords(m, [{ actor: cliActor(), action: done.audit, subject: `operator:${done.operator.username}`, reason: o.reason, details: { sessionsEnded: done.sessionsEnded } }]);
    return done;
  });
  const { operator, sessionsEnded } = result;
  if (o.json) output.out(json({ operator, sessionsEnded }));
  else if (o.action === 'disable') output.out(`✓ operator ${operator.username} disabled; ${sessionsEnded} session(s) ended`);
  else if (o.action === 'enable') output.out(`✓ operator ${operator.username} enabled: they can sign in again`);
  else output.out(`✓ ${sessionsEnded} session(s) of operator ${operator.username} ended`);
  return ExitCode.OK;
}
