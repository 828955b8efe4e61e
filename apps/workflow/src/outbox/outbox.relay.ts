import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SchemaRegistryClientConfig } from '@rabt/config';
import { subjectFor } from '@rabt/contracts';
import { AvroSerde, EventProducer, type RabtEventAttributes } from '@rabt/kafka';
import { WorkflowConfig } from '../config/workflow.config';
import { OutboxWaker } from '../transactions/transaction.engine';

export const RABT_SOURCE = 'urn:rabt:agency:ita';

interface OutboxRow {
  seq: string;
  event_id: string;
  transaction_id: string;
  event_type: string;
  occurred_at: Date;
  data: Record<string, unknown>;
}

/**
 * Publishes outbox rows to Kafka in order: CloudEvents binary mode, Avro (the subject's latest
 * schema) in the Confluent wire format, source urn:rabt:agency:ita, keyed by the transaction id,
 * `transactionid` set. Rows are locked (SKIP LOCKED) while they are produced and marked published
 * in the same Postgres transaction: a crash in between publishes them again, with the same ids.
 */
@Injectable()
export class OutboxRelay extends OutboxWaker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('outbox');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly producer: EventProducer,
    private readonly serde: AvroSerde,
    private readonly registry: SchemaRegistryClientConfig,
    private readonly config: WorkflowConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.wake(), this.config.outboxPollMs);
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.relayBatch()) > 0);
    } catch (e) {
      this.log.warn({ err: e }, 'outbox relay failed; retrying on the next poll');
    }
  }

  /** Publishes up to 200 unpublished rows; answers how many. */
  async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows: OutboxRow[] = await m.query(
        `SELECT seq, event_id, transaction_id, event_type, occurred_at, data FROM workflow_outbox WHERE published_at IS NULL ORDER BY seq LIMIT 200 FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return 0;
      const events = [];
      for (const row of rows) {
        const schemaId = await this.serde.latestId(subjectFor(row.event_type));
        const attributes: RabtEventAttributes = {
          id: row.event_id,
          source: RABT_SOURCE,
          type: row.event_type,
          subject: row.transaction_id,
          time: row.occurred_at.toISOString(),
          dataschema: `${this.registry.url}/schemas/ids/${schemaId}`,
          transactionid: row.transaction_id,
          partitionkey: row.transaction_id,
        };
        events.push({ topic: row.event_type, attributes, value: await this.serde.encode(schemaId, row.data) });
      }
      await this.producer.publishMany(events);
      await m.query(`UPDATE workflow_outbox SET published_at = now() WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
      return rows.length;
    });
  }
}
