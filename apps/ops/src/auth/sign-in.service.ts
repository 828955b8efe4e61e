import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashOperatorPassword, LOCK_AFTER_FAILURES, operatorView, verifyOperatorPassword, type OperatorView } from '@rabt/auth';
import { OperatorEntity } from '@rabt/persistence';
import { OpsAudit } from '../audit/ops-audit';
import { OpsConfig } from '../config/ops.config';
import { OpsExceptionCode, opsError } from '../ops.exception';
import { actorOf } from './roles';
import { newSessionToken, SessionsRepository } from './sessions.repository';

export interface SignedIn {
  readonly token: string;
  readonly expiresAt: Date;
  readonly operator: OperatorView;
}

const WRONG = () => opsError(OpsExceptionCode.INVALID_CREDENTIALS, 'wrong username or password');

/**
 * Signing in: one answer for an unknown username and a wrong password (an unknown username
 * still costs one argon2 verification, so timing does not tell either); the third wrong
 * password in a row locks the account until an admin unlocks it; a locked account is refused
 * even with the right password.
 */
@Injectable()
export class SignInService implements OnModuleInit {
  /** Verified against for unknown usernames. */
  private dummyHash = '';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsRepository,
    private readonly audit: OpsAudit,
    private readonly config: OpsConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hashOperatorPassword(randomBytes(24).toString('base64'));
  }

  async signIn(username: unknown, password: unknown): Promise<SignedIn> {
    if (typeof username !== 'string' || typeof password !== 'string' || !username || !password || username.length > 64 || password.length > 1024) {
      throw opsError(OpsExceptionCode.INVALID_REQUEST, 'send {"username": "…", "password": "…"}');
    }
    const account = await this.dataSource.manager.findOneBy(OperatorEntity, { username: username.toLowerCase() });
    const ok = await verifyOperatorPassword(account?.passwordHash ?? this.dummyHash, password);
    if (!account) {
      await this.audit.record({ actor: `operator:${username.toLowerCase()}`, action: 'operator.sign-in-failed', subject: `operator:${username.toLowerCase()}`, details: { why: 'wrong username or password' } });
      throw WRONG();
    }
    const subject = actorOf(account);
    if (account.lockedAt) {
      await this.audit.record({ actor: subject, action: 'operator.sign-in-failed', subject, details: { why: 'locked' } });
      throw opsError(OpsExceptionCode.ACCOUNT_LOCKED, 'this account is locked after repeated wrong passwords; an admin must unlock it');
    }
    if (!ok) {
      await this.failed(account.id, subject);
      throw WRONG();
    }
    // Expired sessions no longer authenticate; they are cleared out now and then, here.
    await this.sessions.sweep(this.config.sessionIdleMs).catch(() => undefined);
    return this.dataSource.transaction(async (m) => {
      await m.query(`UPDATE operator SET failed_attempts = 0, last_sign_in_at = now() WHERE id = $1`, [account.id]);
      const token = newSessionToken();
      const expiresAt = await this.sessions.create(m, account.id, token, this.config.sessionAbsoluteMs);
      await this.audit.record({ actor: subject, action: 'operator.signed-in', subject }, m);
      return { token, expiresAt, operator: operatorView({ ...account, failedAttempts: 0, lastSignInAt: new Date() }) };
    });
  }

  /** Counts a wrong password atomically; the LOCK_AFTER_FAILURES-th locks the account. */
  private async failed(operatorId: string, subject: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [rows] = (await m.query(
        `UPDATE operator SET failed_attempts = failed_attempts + 1,
                locked_at = CASE WHEN failed_attempts + 1 >= $2 THEN now() ELSE locked_at END
          WHERE id = $1 RETURNING failed_attempts, locked_at`,
        [operatorId, LOCK_AFTER_FAILURES],
      )) as [{ failed_attempts: number; locked_at: Date | null }[], number];
      const row = rows[0];
      await this.audit.record({ actor: subject, action: 'operator.sign-in-failed', subject, details: { why: 'wrong password', failedAttempts: row?.failed_attempts } }, m);
      if (row?.locked_at && row.failed_attempts === LOCK_AFTER_FAILURES) {
        await this.audit.record({ actor: subject, action: 'operator.locked', subject, details: { failedAttempts: row.failed_attempts } }, m);
      }
    });
  }
}
