import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DashboardSla } from '@rabt/ops-contracts';

export interface MinuteRow {
  t: Date;
  published: number;
  delivered: number;
  failed: number;
}

export interface AgencyRow {
  agency: string;
  published: number;
  delivered: number;
  failed: number;
  dead_letters: number;
}

/**
 * The dashboard's aggregates from Postgres over the last `windowMs`: published (gateway events
 * accepted), delivered and failed (delivery attempts), dead letters, and the transactions' state.
 * `scope` limits them to one agency (as publisher or subscriber; transactions it is party to).
 */
@Injectable()
export class DashboardRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async perMinute(windowMs: number, scope: string | null): Promise<MinuteRow[]> {
    return (await this.dataSource.query(
      `WITH w AS (SELECT date_trunc('minute', now() - make_interval(secs => $1::double precision / 1000)) AS since),
       minutes AS (SELECT generate_series((SELECT since FROM w), date_trunc('minute', now()), interval '1 minute') AS t),
       pub AS (SELECT date_trunc('minute', accepted_at) AS t, count(*)::int AS n FROM gateway_event
                WHERE accepted_at >= (SELECT since FROM w) AND ($2::text IS NULL OR source = $2) GROUP BY 1),
       att AS (SELECT date_trunc('minute', a.started_at) AS t,
                      count(*) FILTER (WHERE a.status BETWEEN 200 AND 299)::int AS ok,
                      count(*) FILTER (WHERE a.status IS NULL OR a.status NOT BETWEEN 200 AND 299)::int AS failed
                 FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id
                WHERE a.started_at >= (SELECT since FROM w) AND ($2::text IS NULL OR d.agency_code = $2 OR d.event_source = 'urn:rabt:agency:' || $2) GROUP BY 1)
       SELECT m.t, COALESCE(pub.n, 0) AS published, COALESCE(att.ok, 0) AS delivered, COALESCE(att.failed, 0) AS failed
         FROM minutes m LEFT JOIN pub ON pub.t = m.t LEFT JOIN att ON att.t = m.t ORDER BY m.t`,
      [windowMs, scope],
    )) as MinuteRow[];
  }

  async perAgency(windowMs: number, scope: string | null): Promise<AgencyRow[]> {
    return (await this.dataSource.query(
      `WITH since AS (SELECT now() - make_interval(secs => $1::double precision / 1000) AS at),
       pub AS (SELECT source AS agency, count(*)::int AS n FROM gateway_event WHERE accepted_at >= (SELECT at FROM since) GROUP BY 1),
       att AS (SELECT d.agency_code AS agency,
                      count(*) FILTER (WHERE a.status BETWEEN 200 AND 299)::int AS ok,
                      count(*) FILTER (WHERE a.status IS NULL OR a.status NOT BETWEEN 200 AND 299)::int AS failed
                 FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id WHERE a.started_at >= (SELECT at FROM since) GROUP BY 1),
       dl AS (SELECT agency_code AS agency, count(*)::int AS n FROM dead_letter WHERE state = 'open' GROUP BY 1)
       SELECT a.code AS agency, COALESCE(pub.n, 0) AS published, COALESCE(att.ok, 0) AS delivered, COALESCE(att.failed, 0) AS failed, COALESCE(dl.n, 0) AS dead_letters
         FROM agency a LEFT JOIN pub ON pub.agency = a.code LEFT JOIN att ON att.agency = a.code LEFT JOIN dl ON dl.agency = a.code
        WHERE $2::text IS NULL OR a.code = $2 ORDER BY a.code`,
      [windowMs, scope],
    )) as AgencyRow[];
  }

  /** Transactions now: running (open), running with a breached step, completed, withdrawn (compensating or compensated). */
  async sla(scope: string | null): Promise<DashboardSla> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE t.state = 'running')::int AS open,
              count(*) FILTER (WHERE t.state = 'running' AND EXISTS (SELECT 1 FROM workflow_step s WHERE s.transaction_id = t.id AND s.state = 'breached'))::int AS breached,
              count(*) FILTER (WHERE t.state = 'completed')::int AS completed,
              count(*) FILTER (WHERE t.state IN ('compensating', 'compensated'))::int AS withdrawn
         FROM workflow_transaction t WHERE $1::text IS NULL OR $1 = ANY(t.parties)`,
      [scope],
    )) as DashboardSla[];
    return row!;
  }
}
