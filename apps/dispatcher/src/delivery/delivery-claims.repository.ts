import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** A delivery this process holds a lease on. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly seq: string;
  readonly subscriptionId: string;
  readonly agencyCode: string;
  readonly eventType: string;
  readonly eventSource: string;
  readonly eventId: string;
  readonly payload: Record<string, unknown>;
  /** Attempts made before this claim. */
  readonly attempts: number;
  /** Attempts made before the last replay (0 if never replayed): the retry schedule counts from there. */
  readonly attemptsBeforeReplay: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  /** Its maximum age counts from here: when it was created, or last replayed by an operator. */
  readonly ageFrom: Date;
  /** Every write about this claim must carry it: a claim whose lease ran out is someone else's. */
  readonly leaseToken: string;
}

/** What may be claimed now (DeliveryWorker): the terms of a claim made by the intake as it inserts (InboxRepository.insert). */
export interface ClaimTerms {
  /** At most this many in all. */
  readonly limit: number;
  readonly leaseMs: number;
  /** Per subscription; the others take `defaultCapacity`. */
  readonly capacities: ReadonlyMap<string, number>;
  readonly defaultCapacity: number;
}

interface ClaimRow {
  id: string;
  seq: string;
  subscription_id: string;
  agency_code: string;
  event_type: string;
  event_source: string;
  event_id: string;
  payload: Record<string, unknown>;
  attempts: number;
  attempts_before_replay: number;
  last_status: number | null;
  last_error: string | null;
  age_from: Date;
  lease_token: string;
}

/**
 * An open delivery of `alias`'s subscription and ordering key (with `before`, one earlier than
 * `alias`), as a scalar subquery: `(...) IS NULL` when there is none. Per-key order lets a
 * delivery be attempted only when there is none before it.
 *
 * Not a NOT EXISTS, on purpose: Postgres turns that into an anti-join, and when the statistics
 * lag a burst of new rows (a fresh table, or a backlog that grew since the last ANALYZE) it
 * planned the join as a nested loop reading every open delivery of the subscription once per
 * candidate, quadratic in the backlog (2,000 open deliveries made a claim of 32 read 52,128 rows
 * in bench:delivery). A scalar subquery stays a lookup per candidate, with both columns as index
 * conditions on IDX_delivery_open_key, the only index that can serve it: the due index is kept
 * out of it by its predicate (migration DueIndexApartFromKeyLookups). See
 * test/backlog-queries.int-spec.ts.
 */
export const OPEN_OF_KEY = (alias: string, before = false) =>
  `SELECT 1 FROM delivery e
     WHERE e.subscription_id = ${alias}.subscription_id AND e.ordering_key = ${alias}.ordering_key${before ? ` AND e.seq < ${alias}.seq` : ''}
       AND e.state IN ('pending', 'delivering', 'retrying')
     LIMIT 1`;

/** The claim (DeliveryClaimsRepository.claim) as one statement with its parameters. */
export function claimStatement(limit: number, leaseMs: number, defaultCapacity: number, capacities: ReadonlyMap<string, number>): { sql: string; params: unknown[] } {
  return {
    sql: `WITH caps AS (SELECT * FROM unnest($3::uuid[], $4::int[]) AS c(subscription_id, capacity)),
       subs AS (
         SELECT s.id, COALESCE(c.capacity, $5::int) AS capacity
           FROM subscription s LEFT JOIN caps c ON c.subscription_id = s.id
          WHERE COALESCE(c.capacity, $5::int) > 0),
       due AS (
         SELECT x.id, x.next_attempt_at FROM subs CROSS JOIN LATERAL (
           SELECT d.id, d.next_attempt_at FROM delivery d
            WHERE d.subscription_id = subs.id
              AND d.state IN ('pending', 'delivering', 'retrying')
              AND d.next_attempt_at <= now()
              AND (${OPEN_OF_KEY('d', true)}) IS NULL
            ORDER BY d.next_attempt_at
            LIMIT subs.capacity
            FOR UPDATE OF d SKIP LOCKED) x
         ORDER BY x.next_attempt_at
         LIMIT $1)
       UPDATE delivery d
          SET state = 'delivering',
              lease_token = gen_random_uuid(),
              lease_until = now() + make_interval(secs => $2::double precision / 1000),
              next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
        WHERE d.id = ANY (ARRAY(SELECT id FROM due))
       RETURNING d.id, d.seq, d.subscription_id, d.agency_code, d.event_type, d.event_source, d.event_id, d.payload,
                 d.attempts, d.attempts_before_replay, d.last_status, d.last_error, COALESCE(d.replayed_at, d.created_at) AS age_from, d.lease_token`,
    params: [limit, leaseMs, [...capacities.keys()], [...capacities.values()], defaultCapacity],
  };
}

/** Taking due deliveries (under a lease) and giving them back unattempted. */
@Injectable()
export class DeliveryClaimsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` due deliveries: pending or retrying ones whose time has come, and
   * delivering ones whose lease ran out (their dispatcher died). Rows another dispatcher is
   * claiming are skipped (SKIP LOCKED). A delivery is not claimed while an earlier delivery
   * (lower seq) of the same subscription and ordering key is still open: per-key order. Per
   * subscription, at most its capacity (`capacities`, else `defaultCapacity`) is claimed — what its
   * endpoint would take now — so a busy or failing endpoint's deliveries stay where they are and
   * the others' are claimed. Each claimed row gets a lease of `leaseMs` and its own token.
   */
  async claim(limit: number, leaseMs: number, defaultCapacity: number, capacities: ReadonlyMap<string, number>): Promise<ClaimedDelivery[]> {
    const statement = claimStatement(limit, leaseMs, defaultCapacity, capacities);
    // TypeORM answers an UPDATE with [rows, count].
    const [rows] = (await this.dataSource.query(statement.sql, statement.params)) as [ClaimRow[], number];
    return rows.map((r) => ({
      id: r.id,
      seq: String(r.seq),
      subscriptionId: r.subscription_id,
      agencyCode: r.agency_code,
      eventType: r.event_type,
      eventSource: r.event_source,
      eventId: r.event_id,
      payload: r.payload,
      attempts: r.attempts,
      attemptsBeforeReplay: r.attempts_before_replay,
      lastStatus: r.last_status,
      lastError: r.last_error,
      ageFrom: r.age_from,
      leaseToken: r.lease_token,
    }));
  }

  /**
   * Ends the open deliveries of subscriptions that no longer exist (removed while deliveries were
   * waiting, or taken in just as it was removed): gone, never attempted again. Claims go by
   * subscription, so these would otherwise wait for ever. A replayed one's dead letter is open
   * again, with that reason. Answers how many ended.
   */
  async endOrphans(): Promise<number> {
    const [row] = (await this.dataSource.query(
      `WITH ended AS (
         UPDATE delivery d
            SET state = 'gone', last_error = $1, lease_until = NULL, lease_token = NULL
          WHERE d.state IN ('pending', 'retrying')
            AND NOT EXISTS (SELECT 1 FROM subscription s WHERE s.id = d.subscription_id)
          RETURNING d.id),
       reopened AS (UPDATE dead_letter dl SET state = 'open', last_error = $1, error_code = 'OTHER' FROM ended WHERE dl.delivery_id = ended.id AND dl.state = 'replaying')
       SELECT count(*)::int AS n FROM ended`,
      ['not attempted: the subscription was removed'],
    )) as { n: number }[];
    return row?.n ?? 0;
  }

  /** Gives a claim back without an attempt (circuit open, endpoint busy): due again at `at`, no retry budget used. */
  async release(d: ClaimedDelivery, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE delivery SET state = CASE WHEN attempts = 0 THEN 'pending' ELSE 'retrying' END, next_attempt_at = $3, lease_until = NULL, lease_token = NULL
        WHERE id = $1 AND lease_token = $2`,
      [d.id, d.leaseToken, at],
    );
  }
}
