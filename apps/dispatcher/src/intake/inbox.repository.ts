import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditTrail } from '@rabt/audit';
import { routedAudit } from '../delivery/delivery.audit';
import type { NewDelivery } from './inbox-record';

/** The intake's queries: agencies (for their inbox topics) and new deliveries. */
@Injectable()
export class InboxRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async agencyCodes(): Promise<string[]> {
    const rows: { code: string }[] = await this.dataSource.query(`SELECT code FROM agency ORDER BY code`);
    return rows.map((r) => r.code);
  }

  /**
   * Inserts the deliveries (in this order, so their seq follows the inbox offsets) except those
   * whose id (the webhook-id) exists already: a duplicate inbox record or a re-read partition
   * never makes a second delivery. Each new delivery is the routing decision for its subscriber:
   * its `event.routed` audit record commits with it (one more statement per run, not per row).
   * Answers how many were new.
   */
  async insert(deliveries: readonly NewDelivery[]): Promise<number> {
    const columns = 12;
    const values = deliveries.map((_, row) => `(${Array.from({ length: columns }, (_, c) => `$${row * columns + c + 1}${c === 8 ? '::jsonb' : ''}`).join(', ')})`);
    return this.dataSource.transaction(async (m) => {
      const rows = (await m.query(
        `INSERT INTO delivery (id, subscription_id, agency_code, event_source, event_id, event_type, transaction_id, ordering_key, payload, inbox_topic, inbox_partition, inbox_offset)
         VALUES ${values.join(', ')}
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
        deliveries.flatMap((d) => [d.id, d.subscriptionId, d.agencyCode, d.eventSource, d.eventId, d.eventType, d.transactionId, d.orderingKey, JSON.stringify(d.payload), d.inboxTopic, d.inboxPartition, d.inboxOffset]),
      )) as { id: string }[];
      const created = new Set(rows.map((r) => r.id));
      await this.audit.recordMany(deliveries.filter((d) => created.has(d.id)).map(routedAudit), m);
      return rows.length;
    });
  }
}
