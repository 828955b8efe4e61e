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
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  /** Every write about this claim must carry it: a claim whose lease ran out is someone else's. */
  readonly leaseToken: string;
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
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  lease_token: string;
}

/** Taking due deliveries (under a lease) and giving them back unattempted. */
@Injectable()
export class DeliveryClaimsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` due deliveries: pending or retrying ones whose time has come, and
   * delivering ones whose lease ran out (their dispatcher died). Rows another dispatcher is
   * claiming are skipped (SKIP LOCKED). A delivery is not claimed while an earlier delivery
   * (lower seq) of the same subscription and ordering key is still open: per-key order. The
   * deliveries of `excludedSubscriptions` (their endpoint is saturated or its circuit is open)
   * stay where they are. Each claimed row gets a lease of `leaseMs` and its own token.
   */
  async claim(limit: number, leaseMs: number, excludedSubscriptions: readonly string[]): Promise<ClaimedDelivery[]> {
    // TypeORM answers an UPDATE with [rows, count].
    const [rows] = (await this.dataSource.query(
      `WITH due AS (
         SELECT d.id FROM delivery d
          WHERE d.state IN ('pending', 'delivering', 'retrying')
            AND d.next_attempt_at <= now()
            AND NOT (d.subscription_id = ANY($3::uuid[]))
            AND NOT EXISTS (
                  SELECT 1 FROM delivery e
                   WHERE e.subscription_id = d.subscription_id
                     AND e.ordering_key = d.ordering_key
                     AND e.seq < d.seq
                     AND e.state IN ('pending', 'delivering', 'retrying'))
          ORDER BY d.next_attempt_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED)
       UPDATE delivery d
          SET state = 'delivering',
              lease_token = gen_random_uuid(),
              lease_until = now() + make_interval(secs => $2::double precision / 1000),
              next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
         FROM due
        WHERE d.id = due.id
       RETURNING d.id, d.seq, d.subscription_id, d.agency_code, d.event_type, d.event_source, d.event_id, d.payload,
                 d.attempts, d.last_status, d.last_error, d.created_at, d.lease_token`,
      [limit, leaseMs, excludedSubscriptions],
    )) as [ClaimRow[], number];
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
      lastStatus: r.last_status,
      lastError: r.last_error,
      createdAt: r.created_at,
      leaseToken: r.lease_token,
    }));
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
