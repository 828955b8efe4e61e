import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { endOperatorSessions, hashOperatorPassword, isLocked, LOCK_AFTER_FAILURES, lockDurationMs, operatorView, verifyOperatorPassword, type OperatorView } from '@rabt/auth';
import { OperatorEntity } from '@rabt/persistence';
import { OpsAudit } from '../audit/ops-audit';
import { OpsConfig } from '../config/ops.config';
import { OpsExceptionCode, opsError } from '../ops.exception';
import { actorOf } from './roles';
import { newSessionToken, SessionsRepository } from './sessions.repository';
import { SignInFailureAudit } from './sign-in-failures.audit';
import { AttemptLimiter } from './sign-in.limiter';

export interface SignedIn {
  readonly token: string;
  readonly expiresAt: Date;
  readonly operator: OperatorView;
}

/** The one refusal of a sign-in: unknown user, wrong password, locked or disabled account alike. */
const WRONG = () => opsError(OpsExceptionCode.INVALID_CREDENTIALS, 'wrong username or password');

const tooMany = (seconds: number) => opsError(OpsExceptionCode.RATE_LIMITED, `too many sign-in attempts; try again in ${seconds} s`, { retryAfterSeconds: seconds });

/**
 * Signing in. Attempts are counted per client address and per username before any password is
 * checked (429 RATE_LIMITED past the limit). The account row is then locked (SELECT … FOR UPDATE)
 * for the whole check, so attempts on one account are decided one after another: the third
 * wrong password in a row locks the account, and no attempt after it — however concurrent —
 * is checked against the real hash or can open a session. A lock lasts OPS_LOCK_DURATION,
 * doubled for each further lock (at most OPS_LOCK_MAX), and ends every session of the account.
 * Unknown usernames, wrong passwords and locked or disabled accounts get one and the same 401,
 * and each costs one argon2 verification (against a dummy hash where there is no usable one), so
 * neither the answer nor its timing tells them apart.
 */
@Injectable()
export class SignInService implements OnModuleInit {
  /** Verified against for unknown, locked and disabled accounts. */
  private dummyHash = '';
  private readonly perAddress: AttemptLimiter;
  private readonly perUsername: AttemptLimiter;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsRepository,
    private readonly audit: OpsAudit,
    private readonly failures: SignInFailureAudit,
    private readonly config: OpsConfig,
  ) {
    this.perAddress = new AttemptLimiter(config.signInPerAddress, config.signInWindowMs);
    this.perUsername = new AttemptLimiter(config.signInPerUsername, config.signInWindowMs);
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hashOperatorPassword(randomBytes(24).toString('base64'));
  }

  async signIn(username: unknown, password: unknown, address: string): Promise<SignedIn> {
    if (typeof username !== 'string' || typeof password !== 'string' || !username || !password || username.length > 64 || password.length > 1024) {
      throw opsError(OpsExceptionCode.INVALID_REQUEST, 'send {"username": "…", "password": "…"}');
    }
    const name = username.toLowerCase();
    const wait = this.perAddress.take(`address:${address}`) || this.perUsername.take(`username:${name}`);
    if (wait) throw tooMany(wait);
    // Expired sessions no longer authenticate; they are cleared out now and then, here.
    await this.sessions.sweep(this.config.sessionIdleMs).catch(() => undefined);
    const outcome = await this.dataSource.transaction(async (m) => {
      const account = await m.findOne(OperatorEntity, { where: { username: name }, lock: { mode: 'pessimistic_write' } });
      const usable = account !== null && account.disabledAt === null && !isLocked(account);
      const ok = await verifyOperatorPassword(usable ? account.passwordHash : this.dummyHash, password);
      if (!account || !usable) return { account: account ?? undefined };
      if (!ok) {
        await this.countWrongPassword(m, account);
        return { account };
      }
      await m.query(`UPDATE operator SET failed_attempts = 0, lock_count = 0, last_sign_in_at = now() WHERE id = $1`, [account.id]);
      const token = newSessionToken();
      const expiresAt = await this.sessions.create(m, account.id, token, this.config.sessionAbsoluteMs);
      await this.audit.record({ actor: actorOf(account), action: 'operator.signed-in', subject: actorOf(account), details: { address } }, m);
      return { account, signedIn: { token, expiresAt, operator: operatorView({ ...account, failedAttempts: 0, lockCount: 0, lastSignInAt: new Date() }) } };
    });
    if (outcome.signedIn) return outcome.signedIn;
    this.failures.note(outcome.account?.username, name, address);
    throw WRONG();
  }

  /** Counts a wrong password of `account` (row-locked by `m`); the LOCK_AFTER_FAILURES-th locks it. */
  private async countWrongPassword(m: EntityManager, account: OperatorEntity): Promise<void> {
    const failedAttempts = account.failedAttempts + 1;
    if (failedAttempts < LOCK_AFTER_FAILURES) {
      await m.update(OperatorEntity, { id: account.id }, { failedAttempts });
      return;
    }
    const lockCount = account.lockCount + 1;
    const ms = lockDurationMs(lockCount, this.config.lockBaseMs, this.config.lockMaxMs);
    const [rows] = (await m.query(
      `UPDATE operator SET failed_attempts = 0, lock_count = $2, locked_at = now(), locked_until = now() + make_interval(secs => $3::double precision / 1000)
        WHERE id = $1 RETURNING locked_until`,
      [account.id, lockCount, ms],
    )) as [{ locked_until: Date }[], number];
    const sessionsEnded = await endOperatorSessions(m, account.id);
    const subject = actorOf(account);
    await this.audit.record({ actor: 'anonymous', action: 'operator.locked', subject, details: { failedAttempts, lockNumber: lockCount, lockedUntil: rows[0]?.locked_until.toISOString(), sessionsEnded } }, m);
  }
}
