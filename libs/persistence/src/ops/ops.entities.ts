import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { OPERATOR_ROLES, REPLAY_JOB_STATES, type DeadLetterFilter, type OperatorRole, type ReplayJobState } from '@rabt/ops-contracts';
import { sqlInList } from '../sql-list';

// The lists are the ops API's (@rabt/ops-contracts): the wire and the check constraints share them.
export { OPERATOR_ROLES, REPLAY_JOB_STATES, type OperatorRole, type ReplayJobState } from '@rabt/ops-contracts';

/**
 * A person who signs in to the ops service (console or CLI). Without an agency, a Rabt operator
 * who sees everything; with one, an agency integrator who sees only that agency's traffic.
 */
@Entity({ name: 'operator' })
@Index('UQ_operator_username', ['username'], { unique: true })
@Check('CHK_operator_role', `"role" IN (${sqlInList(OPERATOR_ROLES)})`)
@Check('CHK_operator_username', `"username" ~ '^[a-z0-9][a-z0-9._-]{1,63}$'`)
export class OperatorEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: OperatorRole;

  /** The agency an integrator account is bound to; null for Rabt operators. */
  @Column({ name: 'agency_code', type: 'varchar', length: 16, nullable: true })
  agencyCode!: string | null;

  /** argon2id (PHC string). */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  /** Wrong passwords in a row since the last sign-in or lock; the third locks the account. */
  @Column({ name: 'failed_attempts', type: 'integer', default: 0 })
  failedAttempts!: number;

  /** When the last lock began. */
  @Column({ name: 'locked_at', type: 'timestamptz', nullable: true })
  lockedAt!: Date | null;

  /** The lock ends at this time (no password opens the account before it). */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /** Locks since the last successful sign-in or unlock: each one lasts twice as long as the one before. */
  @Column({ name: 'lock_count', type: 'integer', default: 0 })
  lockCount!: number;

  /** Set by an admin: a disabled account cannot sign in and has no sessions. */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true })
  lastSignInAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A signed-in session: only the SHA-256 of its token is stored. */
@Entity({ name: 'operator_session' })
@Index('IDX_operator_session_operator', ['operatorId'])
export class OperatorSessionEntity {
  /** Hex SHA-256 of the token. */
  @PrimaryColumn({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ name: 'operator_id', type: 'uuid' })
  operatorId!: string;

  @ManyToOne(() => OperatorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'operator_id', foreignKeyConstraintName: 'FK_operator_session_operator' })
  operator?: OperatorEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Idle expiry counts from here; refreshed as the session is used. */
  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  /** Absolute expiry. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}

/** The filter of a bulk replay as stored (the ops API's dead-letter filter, dates as ISO text). */
export type ReplayFilter = DeadLetterFilter;

/**
 * A bulk replay: the open dead letters matching `filter` (created up to `upTo`), worked in pages
 * of `rate_per_second` by an ops instance holding the row's lock; `position` is the last dead
 * letter done, stored with every page, so a restart resumes after it.
 */
@Entity({ name: 'replay_job' })
@Index('IDX_replay_job_state', ['state', 'createdAt'])
@Check('CHK_replay_job_state', `"state" IN (${sqlInList(REPLAY_JOB_STATES)})`)
export class ReplayJobEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16, default: 'running' })
  state!: ReplayJobState;

  @Column({ type: 'jsonb' })
  filter!: ReplayFilter;

  /** An agency-scoped requester's agency: the job replays only that agency's dead letters. */
  @Column({ name: 'scope_agency', type: 'varchar', length: 16, nullable: true })
  scopeAgency!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'requested_by', type: 'varchar', length: 64 })
  requestedBy!: string;

  @Column({ type: 'integer' })
  total!: number;

  @Column({ type: 'integer', default: 0 })
  done!: number;

  @Column({ type: 'integer', default: 0 })
  skipped!: number;

  @Column({ name: 'rate_per_second', type: 'integer' })
  ratePerSecond!: number;

  /** Dead letters created after this are not part of the job. */
  @Column({ name: 'up_to', type: 'timestamptz' })
  upTo!: Date;

  /** The last dead letter done: its created_at and id (pages go in that order). */
  @Column({ name: 'position_created_at', type: 'timestamptz', nullable: true })
  positionCreatedAt!: Date | null;

  @Column({ name: 'position_id', type: 'uuid', nullable: true })
  positionId!: string | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

export const OPS_ENTITIES = [OperatorEntity, OperatorSessionEntity, ReplayJobEntity];
