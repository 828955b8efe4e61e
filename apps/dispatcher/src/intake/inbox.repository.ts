import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { auditInsert } from '@rabt/audit';
import { routedAudit } from '../delivery/delivery.audit';
import { OPEN_OF_KEY, type ClaimedDelivery, type ClaimTerms } from '../delivery/delivery-claims.repository';
import type { NewDelivery } from './inbox-record';

/** The intake's queries: agencies (for their inbox topics) and new deliveries. */
@Injectable()
export class InboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async agencyCodes(): Promise<string[]> {
    const rows: { code: string }[] = await this.dataSource.query(`SELECT code FROM agency ORDER BY code`);
    return rows.map((r) => r.code);
  }

  /**
   * Inserts the deliveries (in this order, so their seq follows the inbox offsets) except those
   * whose id (the webhook-id) exists already: a duplicate inbox record or a re-read partition
   * never makes a second delivery. Each new delivery is the routing decision for its subscriber:
   * its `event.routed` audit record is written by the same statement (one round trip and one
   * commit for the run, whatever its size).
   *
   * With `claim`, the new deliveries the worker would claim right away are inserted claimed
   * ('delivering', with a lease and its token), which saves the worker's claim round trip: at
   * most `claim.capacities` (else `claim.defaultCapacity`) per subscription and `claim.limit` in
   * all, and only a delivery with no earlier open delivery of its subscription and ordering key —
   * neither in the table nor earlier in this run — and not already there (a re-read record). Per-
   * key order is the claim query's rule, applied in the same statement; the claimed rows commit
   * with their audit records or not at all, and a lease that runs out is claimed again as usual.
   * Answers how many were new, and the claims.
   */
  async insert(deliveries: readonly NewDelivery[], claim?: ClaimTerms): Promise<{ inserted: number; claimed: ClaimedDelivery[] }> {
    const statement = intakeStatement(deliveries, claim);
    const rows = (await this.dataSource.query(statement.sql, statement.params)) as InsertedRow[];
    const byId = new Map(deliveries.map((d) => [d.id, d]));
    const claimed = rows.flatMap((r): ClaimedDelivery[] => {
      const d = byId.get(r.id);
      if (!d || r.lease_token === null || r.payload === null) return [];
      return [
        {
          id: r.id,
          seq: String(r.seq),
          subscriptionId: d.subscriptionId,
          agencyCode: d.agencyCode,
          eventType: d.eventType,
          eventSource: d.eventSource,
          eventId: d.eventId,
          payload: r.payload, // as stored (jsonb), so every attempt sends the same body
          attempts: 0,
          attemptsBeforeReplay: 0,
          lastStatus: null,
          lastError: null,
          ageFrom: r.created_at,
          leaseToken: r.lease_token,
        },
      ];
    });
    return { inserted: rows.length, claimed };
  }
}

/** InboxRepository.insert's statement with its parameters: the deliveries, the claims, and their audit records. */
export function intakeStatement(deliveries: readonly NewDelivery[], claim?: ClaimTerms): { sql: string; params: unknown[] } {
  const columns = 13;
  const types = ['int', 'text', 'uuid', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'text', 'jsonb', 'varchar', 'int', 'bigint'];
  const values = deliveries.map((_, row) => `(${types.map((type, c) => `$${row * columns + c + 1}::${type}`).join(', ')})`);
  const params: unknown[] = deliveries.flatMap((d, i) => [
    i,
    d.id,
    d.subscriptionId,
    d.agencyCode,
    d.eventSource,
    d.eventId,
    d.eventType,
    d.transactionId,
    d.orderingKey,
    JSON.stringify(d.payload),
    d.inboxTopic,
    d.inboxPartition,
    d.inboxOffset,
  ]);
  const p = (n: number) => `$${deliveries.length * columns + n}`;
  params.push(claim?.limit ?? 0, claim?.leaseMs ?? 0, [...(claim?.capacities.keys() ?? [])], [...(claim?.capacities.values() ?? [])], claim?.defaultCapacity ?? 0);
  // Only a delivery this statement inserted is a routing decision (not one there already).
  const audit = auditInsert(deliveries.map(routedAudit), params.length + 1, { keys: deliveries.map((d) => d.id), kept: 'SELECT id FROM inserted' });
  return {
    sql: `WITH input (ord, id, subscription_id, agency_code, event_source, event_id, event_type, transaction_id, ordering_key, payload, inbox_topic, inbox_partition, inbox_offset) AS (VALUES ${values.join(', ')}),
         caps AS (SELECT * FROM unnest(${p(3)}::uuid[], ${p(4)}::int[]) AS c(subscription_id, capacity)),
         keyed AS (SELECT i.*, row_number() OVER (PARTITION BY i.subscription_id, i.ordering_key ORDER BY i.ord) AS nth FROM input i),
         free AS (
           SELECT k.ord, k.subscription_id FROM keyed k
            WHERE (k.ordering_key IS NULL OR k.nth = 1)
              AND (${OPEN_OF_KEY('k')}) IS NULL
              AND (SELECT 1 FROM delivery x WHERE x.id = k.id) IS NULL),
         ranked AS (
           SELECT f.ord, row_number() OVER (PARTITION BY f.subscription_id ORDER BY f.ord) AS n, COALESCE(c.capacity, ${p(5)}::int) AS capacity
             FROM free f LEFT JOIN caps c ON c.subscription_id = f.subscription_id),
         chosen AS (SELECT ord FROM ranked WHERE n <= capacity ORDER BY ord LIMIT ${p(1)}::int),
         inserted AS (
         INSERT INTO delivery (id, subscription_id, agency_code, event_source, event_id, event_type, transaction_id, ordering_key, payload, inbox_topic, inbox_partition, inbox_offset,
                               state, lease_token, lease_until, next_attempt_at)
         SELECT i.id, i.subscription_id, i.agency_code, i.event_source, i.event_id, i.event_type, i.transaction_id, i.ordering_key, i.payload, i.inbox_topic, i.inbox_partition, i.inbox_offset,
                CASE WHEN ch.ord IS NULL THEN 'pending' ELSE 'delivering' END,
                CASE WHEN ch.ord IS NULL THEN NULL ELSE gen_random_uuid() END,
                CASE WHEN ch.ord IS NULL THEN NULL ELSE now() + make_interval(secs => ${p(2)}::double precision / 1000) END,
                CASE WHEN ch.ord IS NULL THEN now() ELSE now() + make_interval(secs => ${p(2)}::double precision / 1000) END
           FROM input i LEFT JOIN chosen ch ON ch.ord = i.ord
          ORDER BY i.ord
         ON CONFLICT (id) DO NOTHING
         RETURNING id, seq, lease_token, created_at, CASE WHEN lease_token IS NULL THEN NULL ELSE payload END AS payload),
         audited AS (${audit.sql})
         SELECT * FROM inserted`,
    params: [...params, ...audit.params],
  };
}

interface InsertedRow {
  id: string;
  seq: string;
  lease_token: string | null;
  created_at: Date;
  payload: Record<string, unknown> | null;
}
