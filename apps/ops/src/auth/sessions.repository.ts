import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { OperatorRole } from '@rabt/ops-contracts';
import type { OperatorPrincipal } from './roles';

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A new session token: 32 random bytes; only its SHA-256 is stored. */
export const newSessionToken = (): string => `rops_${randomBytes(32).toString('base64url')}`;

interface SessionRow {
  id: string;
  username: string;
  display_name: string;
  role: OperatorRole;
  agency_code: string | null;
}

/** operator_session: create, resolve (idle + absolute expiry, refreshing last use), end. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(manager: EntityManager, operatorId: string, token: string, absoluteMs: number): Promise<Date> {
    const [row] = (await manager.query(
      `INSERT INTO operator_session (token_hash, operator_id, last_seen_at, expires_at) VALUES ($1, $2, now(), now() + make_interval(secs => $3::double precision / 1000)) RETURNING expires_at`,
      [tokenHash(token), operatorId, absoluteMs],
    )) as { expires_at: Date }[];
    return row!.expires_at;
  }

  /**
   * The session's operator, or undefined when unknown or expired, when its account is disabled or
   * locked, or when the account's agency is suspended (checked on every request, so such a session
   * ends at once; a suspended agency's sessions work again once it is active); marks it used.
   */
  async resolve(token: string, idleMs: number): Promise<OperatorPrincipal | undefined> {
    const [rows] = (await this.dataSource.query(
      `UPDATE operator_session s SET last_seen_at = now()
         FROM operator o
        WHERE s.token_hash = $1 AND o.id = s.operator_id
          AND o.disabled_at IS NULL AND (o.locked_until IS NULL OR o.locked_until <= now())
          AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => $2::double precision / 1000)
          AND (o.agency_code IS NULL OR EXISTS (SELECT 1 FROM agency a WHERE a.code = o.agency_code AND a.status = 'active'))
       RETURNING o.id, o.username, o.display_name, o.role, o.agency_code`,
      [tokenHash(token), idleMs],
    )) as [SessionRow[], number];
    const r = rows[0];
    return r ? { id: r.id, username: r.username, displayName: r.display_name, role: r.role, agency: r.agency_code } : undefined;
  }

  async end(token: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM operator_session WHERE token_hash = $1`, [tokenHash(token)]);
  }

  /** Expired sessions are removed now and then (they no longer authenticate anyway). */
  async sweep(idleMs: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM operator_session WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1::double precision / 1000)`, [idleMs]);
  }
}
