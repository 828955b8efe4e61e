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

export const operatorView = (o: OperatorEntity): OperatorView => ({
  username: o.username,
  displayName: o.displayName,
  role: o.role,
  agency: o.agencyCode,
  locked: o.lockedAt !== null,
  lastSignInAt: o.lastSignInAt?.toISOString() ?? null,
});

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

export async function listOperators(manager: EntityManager): Promise<OperatorView[]> {
  return (await manager.find(OperatorEntity, { order: { username: 'ASC' } })).map(operatorView);
}

/** Clears the lock and the count of wrong passwords; answers the account and whether it was locked. */
export async function unlockOperator(manager: EntityManager, username: string): Promise<{ operator: OperatorView; wasLocked: boolean }> {
  const before = await manager.findOneBy(OperatorEntity, { username });
  if (!before) throw new OperatorAccountException(OperatorAccountExceptionCode.OPERATOR_NOT_FOUND, `no operator named '${username}'`);
  await manager.update(OperatorEntity, { id: before.id }, { lockedAt: null, failedAttempts: 0 });
  return { operator: operatorView({ ...before, lockedAt: null, failedAttempts: 0 }), wasLocked: before.lockedAt !== null };
}
