import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { auditInsert } from '@rabt/audit';
import { AcceptedEventEntity } from '@rabt/persistence';

export interface Reservation {
  readonly source: string;
  readonly eventId: string;
  readonly contentHash: string;
  readonly type: string;
  readonly transactionId: string | null;
  readonly topic: string;
  readonly schemaId: number;
  readonly attributes: Record<string, string>;
  readonly data: unknown;
}

/** An event the broker acknowledged; `source` is the publishing agency's code. */
export interface AcceptedPublish {
  readonly source: string;
  /** The CloudEvents `source` (urn:rabt:agency:<code>): the audit log names events by it. */
  readonly eventSource: string;
  readonly eventId: string;
  readonly type: string;
  readonly topic: string;
  readonly transactionId: string | null;
  readonly partition: number;
  readonly offset: string;
}

/** A pending row older than this belongs to a publish that died (crash, lost connection). */
const STALE_PENDING_SECONDS = 30;

const key = (source: string, eventId: string) => `${source}\u0000${eventId}`;

/** The gateway's idempotency records; the only place its queries live. */
@Injectable()
export class AcceptedEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims (source, id) for each event in one statement. Returns the keys this call now owns
   * (new rows, or stale pending rows taken over) and, for the rest, the rows that hold them.
   */
  async reserve(rows: readonly Reservation[]): Promise<{ claimed: Set<string>; existing: Map<string, AcceptedEventEntity> }> {
    const claimed = new Set<string>();
    if (rows.length === 0) return { claimed, existing: new Map() };
    const params: unknown[] = [];
    const values = rows.map((r) => {
      params.push(r.source, r.eventId, r.contentHash, r.type, r.transactionId, r.topic, r.schemaId, JSON.stringify(r.attributes), JSON.stringify(r.data));
      const n = params.length;
      return `($${n - 8}, $${n - 7}, $${n - 6}, 'pending', $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}::jsonb, $${n}::jsonb)`;
    });
    const inserted: { source: string; event_id: string }[] = await this.dataSource.query(
      `INSERT INTO gateway_event (source, event_id, content_hash, state, type, transaction_id, topic, schema_id, attributes, data)
       VALUES ${values.join(', ')}
       ON CONFLICT (source, event_id) DO NOTHING
       RETURNING source, event_id`,
      params,
    );
    for (const r of inserted) claimed.add(key(r.source, r.event_id));
    const others = rows.filter((r) => !claimed.has(key(r.source, r.eventId)));
    const existing = new Map<string, AcceptedEventEntity>();
    for (const r of others) {
      // Take over a stale pending row of the same content: its publisher is gone.
      const [takenOver] = await this.dataSource.query(
        `UPDATE gateway_event SET received_at = now(), attributes = $4::jsonb, transaction_id = $5, schema_id = $6
          WHERE source = $1 AND event_id = $2 AND content_hash = $3 AND state = 'pending'
            AND received_at < now() - make_interval(secs => ${STALE_PENDING_SECONDS})
          RETURNING event_id`,
        [r.source, r.eventId, r.contentHash, JSON.stringify(r.attributes), r.transactionId, r.schemaId],
      );
      if ((takenOver as unknown[] | undefined)?.length) {
        claimed.add(key(r.source, r.eventId));
        continue;
      }
      const row = await this.find(r.source, r.eventId);
      if (row) existing.set(key(r.source, r.eventId), row);
    }
    return { claimed, existing };
  }

  /**
   * Records the broker's answer for claimed events and their `event.published` audit records, in
   * one statement (so one commit).
   */
  async accept(done: readonly AcceptedPublish[]): Promise<void> {
    if (done.length === 0) return;
    const params: unknown[] = [];
    const values = done.map((d) => {
      params.push(d.source, d.eventId, d.partition, d.offset);
      const n = params.length;
      return `($${n - 3}, $${n - 2}, $${n - 1}::integer, $${n}::bigint)`;
    });
    const audit = auditInsert(
      done.map((d) => ({
        actor: `agency:${d.source}`,
        action: 'event.published',
        subject: `event:${d.eventSource}/${d.eventId}`,
        details: { type: d.type, topic: d.topic, partition: d.partition, offset: d.offset, transactionId: d.transactionId },
      })),
      params.length + 1,
    );
    await this.dataSource.query(
      `WITH audited AS (${audit.sql})
       UPDATE gateway_event g SET state = 'accepted', partition = v.partition, kafka_offset = v.off, accepted_at = now()
         FROM (VALUES ${values.join(', ')}) AS v(source, event_id, partition, off)
        WHERE g.source = v.source AND g.event_id = v.event_id`,
      [...params, ...audit.params],
    );
  }

  /** Gives claimed keys back after a failed produce, so the publisher's retry starts clean. */
  async release(keys: readonly { source: string; eventId: string }[]): Promise<void> {
    if (keys.length === 0) return;
    await this.dataSource.query(
      `DELETE FROM gateway_event WHERE state = 'pending' AND (source, event_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [keys.map((k) => k.source), keys.map((k) => k.eventId)],
    );
  }

  find(source: string, eventId: string): Promise<AcceptedEventEntity | null> {
    return this.dataSource.manager.findOneBy(AcceptedEventEntity, { source, eventId });
  }
}

export const reservationKey = key;
