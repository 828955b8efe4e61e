import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditTrail, auditInsert, type AuditRecordInput } from '@rabt/audit';
import { classifyDeadLetterError } from '@rabt/persistence';
import { disableSubscription, SubscriptionException, SubscriptionExceptionCode } from '@rabt/routing';
import type { ClaimedDelivery } from './delivery-claims.repository';
import { attemptAudit, deadLetterAudit, DISPATCHER_ACTOR } from './delivery.audit';

/** One attempt as recorded in delivery_attempt. */
export interface AttemptRecord {
  readonly startedAt: Date;
  readonly status: number | null;
  readonly latencyMs: number;
  readonly error: string | null;
}

type Ending = 'delivered' | 'retrying' | 'dead' | 'gone';

/**
 * The end of a claim, in one transaction each: the delivery's new state, the attempt (when one
 * was made), and what follows from it (a dead letter, or a replayed one reopened; a replayed
 * one marked replayed once delivered; for 410, the subscription disabled), with their audit
 * records. Every write is fenced by the claim's lease token; if the lease was lost meanwhile, the
 * attempt is still recorded (and audited) but the delivery is left to its new owner.
 */
@Injectable()
export class DeliveryOutcomesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async delivered(d: ClaimedDelivery, attempt: AttemptRecord): Promise<void> {
    await this.finish(d, 'delivered', attempt, { lastStatus: attempt.status, lastError: null });
  }

  async retry(d: ClaimedDelivery, attempt: AttemptRecord, at: Date, error: string): Promise<void> {
    await this.finish(d, 'retrying', attempt, { lastStatus: attempt.status, lastError: error, nextAttemptAt: at });
  }

  /** Dead, with a dead letter; `attempt` is null when it died without one (maximum age passed). */
  async dead(d: ClaimedDelivery, attempt: AttemptRecord | null, error: string): Promise<void> {
    const lastStatus = attempt ? attempt.status : d.lastStatus;
    await this.finish(d, 'dead', attempt, { lastStatus, lastError: error }, async (m, attempts) => {
      // A replayed delivery that dies again reopens its dead letter (one per delivery).
      const letters = (await m.query(
        `INSERT INTO dead_letter (delivery_id, subscription_id, agency_code, event_type, event_source, event_id, payload, last_status, last_error, attempts, error_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11)
         ON CONFLICT (delivery_id) DO UPDATE
            SET state = 'open', last_status = EXCLUDED.last_status, last_error = EXCLUDED.last_error, attempts = EXCLUDED.attempts, error_code = EXCLUDED.error_code
          WHERE dead_letter.state = 'replaying'
         RETURNING id`,
        [d.id, d.subscriptionId, d.agencyCode, d.eventType, d.eventSource, d.eventId, JSON.stringify(d.payload), lastStatus, error, attempts, classifyDeadLetterError(lastStatus, error)],
      )) as { id: string }[];
      return letters.map((l) => deadLetterAudit(d, l.id, error, attempts));
    });
  }

  /**
   * Gone: the receiver answered 410 (`attempt` set: the subscription is disabled with `reason`
   * and its other open deliveries end as gone too), or the subscription was removed or disabled
   * before this attempt (`attempt` null).
   */
  async gone(d: ClaimedDelivery, attempt: AttemptRecord | null, reason: string): Promise<void> {
    await this.finish(d, 'gone', attempt, { lastStatus: attempt ? attempt.status : d.lastStatus, lastError: reason }, async (m) => {
      // A replayed delivery that cannot be delivered any more: its dead letter is open again, with why.
      await m.query(`UPDATE dead_letter SET state = 'open', last_error = $2, error_code = 'OTHER' WHERE delivery_id = $1 AND state = 'replaying'`, [d.id, reason]);
      if (!attempt) return;
      try {
        await disableSubscription(m, d.subscriptionId, reason, DISPATCHER_ACTOR);
      } catch (e) {
        if (!(e instanceof SubscriptionException && e.code === SubscriptionExceptionCode.SUBSCRIPTION_NOT_FOUND)) throw e; // removed meanwhile
      }
      await m.query(
        `WITH ended AS (
           UPDATE delivery SET state = 'gone', last_error = $2, lease_until = NULL, lease_token = NULL, next_attempt_at = now()
            WHERE subscription_id = $1 AND state IN ('pending', 'retrying')
            RETURNING id)
         ${REOPEN_REPLAYED}`,
        [d.subscriptionId, `not attempted: the subscription was disabled (${reason})`],
      );
    });
  }

  private async finish(
    d: ClaimedDelivery,
    state: Ending,
    attempt: AttemptRecord | null,
    fields: { lastStatus: number | null; lastError: string | null; nextAttemptAt?: Date },
    then?: (m: EntityManager, attempts: number) => Promise<AuditRecordInput[] | void>,
  ): Promise<void> {
    const params = [d.id, d.leaseToken, state, attempt ? 1 : 0, fields.lastStatus, fields.lastError?.slice(0, 4000) ?? null, fields.nextAttemptAt ?? null];
    if (attempt && !then) {
      // The common case (delivered, retry): grouped with the others finishing now, one statement.
      await this.group.add({ params: [...params, ...attemptParams(d, attempt).slice(1)], audit: attemptAudit(d, attempt, state) });
      return;
    }
    await this.dataSource.transaction(async (m) => {
      const [rows] = (await m.query(FINISH, params)) as [{ attempts: number }[], number];
      if (attempt) await m.query(RECORD_ATTEMPT, attemptParams(d, attempt));
      const owned = rows[0];
      const more = owned && then ? await then(m, owned.attempts) : undefined;
      await this.audit.recordMany([...(attempt ? [attemptAudit(d, attempt, state)] : []), ...(more ?? [])], m);
    });
  }

  /**
   * Writes a group of common endings (state + attempt + the attempt's audit record each) in one
   * statement: one round trip and one commit for all.
   */
  private async finishGroup(rows: readonly GroupRow[]): Promise<void> {
    const values = rows.map((_, r) => `(${GROUP_COLUMNS.map((type, c) => `$${r * GROUP_COLUMNS.length + c + 1}::${type}`).join(', ')})`);
    const audit = auditInsert(
      rows.map((r) => r.audit),
      rows.length * GROUP_COLUMNS.length + 1,
    );
    await this.dataSource.query(
      `WITH input (id, lease_token, state, attempted, last_status, last_error, next_attempt_at, attempt_no, started_at, status, latency_ms, error) AS (VALUES ${values.join(', ')}),
       finished AS (
         UPDATE delivery d
            SET state = i.state, attempts = d.attempts + i.attempted, last_status = i.last_status, last_error = i.last_error,
                next_attempt_at = COALESCE(i.next_attempt_at, d.next_attempt_at),
                delivered_at = CASE WHEN i.state = 'delivered' THEN now() ELSE d.delivered_at END,
                lease_until = NULL, lease_token = NULL
           FROM input i
          WHERE d.id = i.id AND d.lease_token = i.lease_token
          RETURNING d.id, d.state),
       replayed AS (
         UPDATE dead_letter dl SET state = 'replayed'
           FROM finished f
          WHERE dl.delivery_id = f.id AND f.state = 'delivered' AND dl.state = 'replaying'),
       audited AS (${audit.sql})
       INSERT INTO delivery_attempt (delivery_id, attempt_no, started_at, status, latency_ms, error)
       SELECT id, attempt_no, started_at, status, latency_ms, error FROM input`,
      [...rows.flatMap((r) => r.params), ...audit.params],
    );
  }

  private readonly group = new WriteGroup<GroupRow>((rows) => this.finishGroup(rows), 128);
}

/** One common ending in a group: FINISH's and the attempt's parameters, and the attempt's audit record. */
interface GroupRow {
  readonly params: readonly unknown[];
  readonly audit: AuditRecordInput;
}

/** Parameter types of one row of a grouped ending (FINISH's 7, then the attempt's 5). */
const GROUP_COLUMNS = ['text', 'uuid', 'varchar', 'integer', 'integer', 'text', 'timestamptz', 'integer', 'timestamptz', 'integer', 'integer', 'text'] as const;

/**
 * Group commit: rows added while a write is in flight go together in the next one, so under load
 * many endings share one statement and one commit, and alone a row waits for nothing. Each add
 * resolves when its row's write committed (or rejects with that write's error).
 */
export class WriteGroup<T> {
  private queue: { row: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (rows: readonly T[]) => Promise<void>,
    private readonly maxRows: number,
  ) {}

  add(row: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxRows);
        try {
          await this.write(batch.map((b) => b.row));
          for (const b of batch) b.resolve();
        } catch (e) {
          for (const b of batch) b.reject(e);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

/**
 * After a WITH `ended` (ids of deliveries just ended as gone, $2 the reason): their dead letters
 * being replayed are open again, with the reason.
 */
export const REOPEN_REPLAYED = `UPDATE dead_letter dl SET state = 'open', last_error = $2, error_code = 'OTHER' FROM ended WHERE dl.delivery_id = ended.id AND dl.state = 'replaying'`;

/** The claim's end, only while the lease is still this claim's ($1 id, $2 token). */
const FINISH = `UPDATE delivery
    SET state = $3::varchar, attempts = attempts + $4::integer, last_status = $5::integer, last_error = $6::text,
        next_attempt_at = COALESCE($7::timestamptz, next_attempt_at),
        delivered_at = CASE WHEN $3::varchar = 'delivered' THEN now() ELSE delivered_at END,
        lease_until = NULL, lease_token = NULL
  WHERE id = $1 AND lease_token = $2
  RETURNING attempts`;

/** The attempt, recorded even when the lease was lost meanwhile: it happened. */
const RECORD_ATTEMPT = `INSERT INTO delivery_attempt (delivery_id, attempt_no, started_at, status, latency_ms, error) VALUES ($1, $2, $3, $4, $5, $6)`;

const attemptParams = (d: ClaimedDelivery, a: AttemptRecord) => [d.id, d.attempts + 1, a.startedAt, a.status, a.latencyMs, a.error?.slice(0, 4000) ?? null];
