import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { DeadLetterErrorCode, DeadLetterState, DeadLetterSummary, DeliveryAttempt } from '@rabt/ops-contracts';
import type { DeadLetterCursor, DeadLetterFilter, DeadLetterListQuery } from './dead-letter.query';

export interface DeadLetterRow extends DeadLetterSummary {
  readonly payload: Record<string, unknown>;
  readonly cursor: DeadLetterCursor;
}

export interface ReplayedRow {
  readonly id: string;
  readonly agency: string;
  readonly type: string;
}

interface Row {
  id: string;
  delivery_id: string;
  agency_code: string;
  event_type: string;
  event_id: string;
  event_source: string;
  transaction_id: string | null;
  error_code: DeadLetterErrorCode;
  last_status: number | null;
  last_error: string;
  attempts: number;
  created_at: Date;
  created_us: string;
  state: DeadLetterState;
  discard_reason: string | null;
  payload?: Record<string, unknown>;
}

const AGENCY_URN = 'urn:rabt:agency:';
export const publisherOf = (source: string): string => (source.startsWith(AGENCY_URN) ? source.slice(AGENCY_URN.length) : source);

const COLUMNS = `dl.id, dl.delivery_id, dl.agency_code, dl.event_type, dl.event_id, dl.event_source, d.transaction_id, dl.error_code,
  dl.last_status, dl.last_error, dl.attempts, dl.created_at, (extract(epoch FROM dl.created_at) * 1000000)::bigint::text AS created_us, dl.state, dl.discard_reason`;
const FROM = `FROM dead_letter dl JOIN delivery d ON d.id = dl.delivery_id`;

/** A microsecond count as a timestamptz, exactly (no floating point). */
const AT_US = (p: string) => `('epoch'::timestamptz + ${p}::bigint * interval '1 microsecond')`;

/**
 * The WHERE conditions of a filter, with the caller's agency scope. To `see`, an agency
 * integrator's scope is the dead letters its agency subscribed to or published; to `act` (bulk
 * replay), only its own agency's deliveries. Appends to `params`.
 */
export function filterConditions(filter: DeadLetterFilter, scope: string | null, params: unknown[], purpose: 'see' | 'act' = 'see'): string[] {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (scope && purpose === 'act') where.push(`dl.agency_code = ${p(scope)}`);
  else if (scope) where.push(`(dl.agency_code = ${p(scope)} OR dl.event_source = ${p(AGENCY_URN + scope)})`);
  if (filter.agency) where.push(`(dl.agency_code = ${p(filter.agency)} OR dl.event_source = ${p(AGENCY_URN + filter.agency)})`);
  if (filter.type) where.push(`dl.event_type = ${p(filter.type)}`);
  if (filter.errorCode) where.push(`dl.error_code = ${p(filter.errorCode)}`);
  if (filter.from) where.push(`dl.created_at >= ${p(filter.from)}`);
  if (filter.to) where.push(`dl.created_at < ${p(filter.to)}`);
  if (filter.transactionId) where.push(`d.transaction_id = ${p(filter.transactionId)}`);
  return where;
}

const summary = (r: Row): DeadLetterSummary => ({
  id: r.id,
  deliveryId: r.delivery_id,
  webhookId: r.delivery_id,
  agency: r.agency_code,
  eventType: r.event_type,
  eventId: r.event_id,
  eventSource: r.event_source,
  publisher: publisherOf(r.event_source),
  transactionId: r.transaction_id,
  errorCode: r.error_code,
  lastStatus: r.last_status,
  lastError: r.last_error,
  attempts: r.attempts,
  createdAt: r.created_at.toISOString(),
  state: r.state,
  discardReason: r.discard_reason,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reading dead letters, and the state changes of replay and discard (in the caller's transaction). */
@Injectable()
export class DeadLettersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page, newest first, and the total matching the filter (not the page). */
  async list(query: DeadLetterListQuery, scope: string | null): Promise<{ items: DeadLetterSummary[]; last: DeadLetterCursor | null; total: number }> {
    const params: unknown[] = [];
    const where = [...filterConditions(query, scope, params)];
    params.push(query.state);
    where.push(`dl.state = $${params.length}`);
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total ${FROM} WHERE ${where.join(' AND ')}`, params)) as [{ total: number }];
    const pageParams = [...params];
    const pageWhere = [...where];
    if (query.cursor) {
      pageParams.push(query.cursor.createdAtUs, query.cursor.id);
      pageWhere.push(`(dl.created_at, dl.id) < (${AT_US(`$${pageParams.length - 1}`)}, $${pageParams.length}::uuid)`);
    }
    pageParams.push(query.limit + 1);
    const rows = (await this.dataSource.query(`SELECT ${COLUMNS} ${FROM} WHERE ${pageWhere.join(' AND ')} ORDER BY dl.created_at DESC, dl.id DESC LIMIT $${pageParams.length}`, pageParams)) as Row[];
    const page = rows.slice(0, query.limit);
    const lastRow = rows.length > query.limit ? page[page.length - 1] : undefined;
    return { items: page.map(summary), last: lastRow ? { createdAtUs: lastRow.created_us, id: lastRow.id } : null, total };
  }

  /** One dead letter with its payload; `lock` takes its row lock (in `manager`'s transaction). */
  async find(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<DeadLetterRow | undefined> {
    if (!UUID.test(id)) return undefined;
    const [row] = (await manager.query(`SELECT ${COLUMNS}, dl.payload ${FROM} WHERE dl.id = $1 ${lock ? 'FOR UPDATE OF dl' : ''}`, [id])) as Row[];
    return row ? { ...summary(row), payload: row.payload ?? {}, cursor: { createdAtUs: row.created_us, id: row.id } } : undefined;
  }

  async attempts(deliveryId: string): Promise<DeliveryAttempt[]> {
    const rows = (await this.dataSource.query(`SELECT started_at, status, latency_ms, error FROM delivery_attempt WHERE delivery_id = $1 ORDER BY started_at, id`, [deliveryId])) as {
      started_at: Date;
      status: number | null;
      latency_ms: number;
      error: string | null;
    }[];
    return rows.map((r) => ({ attemptedAt: r.started_at.toISOString(), status: r.status, latencyMs: r.latency_ms, error: r.error }));
  }

  /**
   * Puts the dead letters' deliveries back to pending (same id, so the same webhook-id) with a
   * fresh retry schedule and maximum age, and marks the dead letters replaying. Only open dead
   * letters of dead deliveries change; answers the ids that did.
   */
  async replay(manager: EntityManager, ids: readonly string[]): Promise<ReplayedRow[]> {
    if (ids.length === 0) return [];
    const [rows] = (await manager.query(
      `WITH eligible AS (
         SELECT dl.id, dl.delivery_id FROM dead_letter dl JOIN delivery d ON d.id = dl.delivery_id
          WHERE dl.id = ANY($1::uuid[]) AND dl.state = 'open' AND d.state = 'dead'
          FOR UPDATE OF dl, d),
       reset AS (
         UPDATE delivery d
            SET state = 'pending', next_attempt_at = now(), lease_until = NULL, lease_token = NULL,
                replayed_at = now(), attempts_before_replay = d.attempts
           FROM eligible e WHERE d.id = e.delivery_id)
       UPDATE dead_letter dl SET state = 'replaying', replayed_at = now()
         FROM eligible e WHERE dl.id = e.id
       RETURNING dl.id, dl.agency_code AS agency, dl.event_type AS type`,
      [ids],
    )) as [ReplayedRow[], number];
    return rows;
  }

  async discard(manager: EntityManager, id: string, reason: string): Promise<boolean> {
    const [, count] = (await manager.query(`UPDATE dead_letter SET state = 'discarded', discarded_at = now(), discard_reason = $2 WHERE id = $1 AND state = 'open'`, [id, reason])) as [unknown, number];
    return count === 1;
  }

  /** Open dead letters waiting, per subscriber agency (the backlog gauge). */
  async openBacklog(): Promise<{ agency: string; count: number }[]> {
    return (await this.dataSource.query(`SELECT agency_code AS agency, count(*)::int AS count FROM dead_letter WHERE state = 'open' GROUP BY agency_code`)) as { agency: string; count: number }[];
  }
}
