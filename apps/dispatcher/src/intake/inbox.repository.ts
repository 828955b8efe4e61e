import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
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
   * Inserts the delivery unless its id (the webhook-id) exists already: a duplicate inbox record
   * or a re-read partition never makes a second delivery. True when it was new.
   */
  async insert(d: NewDelivery): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO delivery (id, subscription_id, agency_code, event_source, event_id, event_type, transaction_id, ordering_key, payload, inbox_topic, inbox_partition, inbox_offset)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12)
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [d.id, d.subscriptionId, d.agencyCode, d.eventSource, d.eventId, d.eventType, d.transactionId, d.orderingKey, JSON.stringify(d.payload), d.inboxTopic, d.inboxPartition, d.inboxOffset],
    );
    return rows.length > 0;
  }
}
