// Operator accounts of the ops service, as plain functions over a TypeORM EntityManager: the ops
// service's admin API and the rabt CLI (bootstrap, unlock) both call these, so every rule is
// written once. Passwords are hashed with argon2id.
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import type { EntityManager } from 'typeorm';
import { DomainException, type ProblemMapping } from '@rabt/runtime';
import { OPERATOR_ROLES, type Operator } from '@rabt/ops-contracts';
import { AgencyEntity, OperatorEntity } from '@rabt/persistence';

export enum OperatorAccountExceptionCode {
  INVALID_OPERATOR = 'INVALID_OPERATOR',
  OPERATOR_EXISTS = 'OPERATOR_EXISTS',
  OPERATOR_NOT_FOUND = 'OPERATOR_NOT_FOUND',
}

export class OperatorAccountException extends DomainException<OperatorAccountExceptionCode> {}

export const OPERATOR_ACCOUNT_PROBLEMS: ProblemMapping<OperatorAccountExceptionCode> = {
  [OperatorAccountExceptionCode.INVALID_OPERATOR]: { status: 400, title: 'The operator account is not valid' },
  [OperatorAccountExceptionCode.OPERATOR_EXISTS]: { status: 409, title: 'An operator with this username exists' },
  [OperatorAccountExceptionCode.OPERATOR_NOT_FOUND]: { status: 404, title: 'No such operator' },
};

/** An account as shown: the ops API's `Operator` (@rabt/ops-contracts), never its hash. */
export type OperatorView = Operator;

export interface NewOperator {
  readonly username: string;
  readonly displayName?: string;
  readonly role: string;
  readonly agency?: string | null;
  readonly password: string;
}

/** Wrong passwords in a row that lock an account. */
export const LOCK_AFTER_FAILURES = 3;
export const MIN_PASSWORD_LENGTH = 12;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

// `Algorithm` is a const enum; isolatedModules cannot inline it.
const ARGON2ID = 2 as Algorithm;

export const hashOperatorPassword = (password: string): Promise<string> => hash(password, { algorithm: ARGON2ID });

/** False for a wrong password or a malformed hash (never throws for bad input). */
export const verifyOperatorPassword = (passwordHash: string, password: string): Promise<boolean> => verify(passwordHash, password).catch(() => false);

/** Whether `o` is locked at `now` (a lock ends by itself at `lockedUntil`). */
export const isLocked = (o: Pick<OperatorEntity, 'lockedUntil'>, now = new Date()): boolean => o.lockedUntil !== null && o.lockedUntil > now;

export const operatorView = (o: OperatorEntity, now = new Date()): OperatorView => ({
  username: o.username,
  displayName: o.displayName,
  role: o.role,
  agency: o.agencyCode,
  locked: isLocked(o, now),
  lockedUntil: isLocked(o, now) ? o.lockedUntil!.toISOString() : null,
  disabled: o.disabledAt !== null,
  lastSignInAt: o.lastSignInAt?.toISOString() ?? null,
});

/**
 * How long the `lockNumber`-th lock in a row lasts (1 for the first): `base`, doubled for each
 * further lock, at most `max`. A stranger can keep an account locked only by keeping up wrong
 * passwords, and then for ever longer; an admin unlock ends it at once.
 */
export function lockDurationMs(lockNumber: number, baseMs: number, maxMs: number): number {
  const doublings = Math.min(Math.max(lockNumber - 1, 0), 40);
  return Math.min(baseMs * 2 ** doublings, maxMs);
}

const invalid = (errors: string[]) => new OperatorAccountException(OperatorAccountExceptionCode.INVALID_OPERATOR, errors.join('; '), { errors });

/** Every problem of a new account at once (pure). */
export function validateNewOperator(input: NewOperator): string[] {
  const errors: string[] = [];
  if (typeof input.username !== 'string' || !USERNAME.test(input.username)) errors.push('username: 2-64 characters of a-z 0-9 . _ -, starting with a letter or digit');
  if (!(OPERATOR_ROLES as readonly string[]).includes(input.role)) errors.push(`role: one of ${OPERATOR_ROLES.join(', ')}`);
  if (typeof input.password !== 'string' || input.password.length < MIN_PASSWORD_LENGTH) errors.push(`password: at least ${MIN_PASSWORD_LENGTH} characters`);
  if (input.password?.length > 1024) errors.push('password: at most 1024 characters');
  if (input.displayName !== undefined && (typeof input.displayName !== 'string' || input.displayName.length > 200)) errors.push('displayName: at most 200 characters');
  if (input.agency !== undefined && input.agency !== null && (typeof input.agency !== 'string' || !/^[a-z][a-z0-9]{1,15}$/.test(input.agency))) errors.push('agency: an agency code');
  return errors;
}

export async function createOperator(manager: EntityManager, input: NewOperator): Promise<OperatorView> {
  const errors = validateNewOperator(input);
  if (errors.length) throw invalid(errors);
  const agency = input.agency ?? null;
  if (agency && !(await manager.existsBy(AgencyEntity, { code: agency }))) throw invalid([`agency: no agency '${agency}'`]);
  const passwordHash = await hashOperatorPassword(input.password);
  const [row] = (await manager.query(
    `INSERT INTO operator (username, display_name, role, agency_code, password_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (username) DO NOTHING RETURNING id`,
    [input.username, input.displayName?.trim() || input.username, input.role, agency, passwordHash],
  )) as { id: string }[];
  if (!row) throw new OperatorAccountException(OperatorAccountExceptionCode.OPERATOR_EXISTS, `an operator named '${input.username}' exists`);
  return operatorView(await manager.findOneByOrFail(OperatorEntity, { id: row.id }));
}

/** Who may act on which accounts: a Rabt-wide admin on any; an agency-bound one on its agency's only. */
export interface OperatorScope {
  /** null for a Rabt-wide admin. */
  readonly agency: string | null;
}

const notFound = (username: string) => new OperatorAccountException(OperatorAccountExceptionCode.OPERATOR_NOT_FOUND, `no operator named '${username}'`);

/**
 * The account `username` under a row lock for `manager`'s transaction, if `scope` may act on it;
 * an account of another agency is OPERATOR_NOT_FOUND, as if it did not exist.
 */
export async function findOperatorForUpdate(manager: EntityManager, username: string, scope: OperatorScope = { agency: null }): Promise<OperatorEntity> {
  const name = typeof username === 'string' ? username.toLowerCase() : '';
  const found = name.length <= 64 ? await manager.findOne(OperatorEntity, { where: { username: name }, lock: { mode: 'pessimistic_write' } }) : null;
  if (!found || (scope.agency !== null && found.agencyCode !== scope.agency)) throw notFound(name);
  return found;
}

export async function listOperators(manager: EntityManager, scope: OperatorScope = { agency: null }): Promise<OperatorView[]> {
  const where = scope.agency === null ? {} : { agencyCode: scope.agency };
  return (await manager.find(OperatorEntity, { where, order: { username: 'ASC' } })).map((o) => operatorView(o));
}

/** Ends every session of the account; answers how many there were. */
export async function endOperatorSessions(manager: EntityManager, operatorId: string): Promise<number> {
  const [, count] = (await manager.query(`DELETE FROM operator_session WHERE operator_id = $1`, [operatorId])) as [unknown, number];
  return count ?? 0;
}

/** Clears the lock and the counts of wrong passwords and locks; answers the account and whether it was locked. */
export async function unlockOperator(manager: EntityManager, username: string, scope?: OperatorScope): Promise<{ operator: OperatorView; wasLocked: boolean }> {
  const before = await findOperatorForUpdate(manager, username, scope);
  const cleared = { lockedAt: null, lockedUntil: null, failedAttempts: 0, lockCount: 0 };
  await manager.update(OperatorEntity, { id: before.id }, cleared);
  return { operator: operatorView({ ...before, ...cleared }), wasLocked: isLocked(before) };
}

/** Disables the account and ends its sessions at once; answers the account and how many sessions ended. */
export async function disableOperator(manager: EntityManager, username: string, scope?: OperatorScope): Promise<{ operator: OperatorView; sessionsEnded: number; wasDisabled: boolean }> {
  const before = await findOperatorForUpdate(manager, username, scope);
  const disabledAt = before.disabledAt ?? new Date();
  await manager.update(OperatorEntity, { id: before.id }, { disabledAt });
  const sessionsEnded = await endOperatorSessions(manager, before.id);
  return { operator: operatorView({ ...before, disabledAt }), sessionsEnded, wasDisabled: before.disabledAt !== null };
}

/** Enables a disabled account (it signs in again with its password). */
export async function enableOperator(manager: EntityManager, username: string, scope?: OperatorScope): Promise<{ operator: OperatorView; wasDisabled: boolean }> {
  const before = await findOperatorForUpdate(manager, username, scope);
  await manager.update(OperatorEntity, { id: before.id }, { disabledAt: null });
  return { operator: operatorView({ ...before, disabledAt: null }), wasDisabled: before.disabledAt !== null };
}

/** Ends every session of the account (it may sign in again). */
export async function revokeOperatorSessions(manager: EntityManager, username: string, scope?: OperatorScope): Promise<{ operator: OperatorView; sessionsEnded: number }> {
  const account = await findOperatorForUpdate(manager, username, scope);
  return { operator: operatorView(account), sessionsEnded: await endOperatorSessions(manager, account.id) };
}
