import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface EventRow {
  source: string;
  event_id: string;
  type: string;
  transaction_id: string | null;
  attributes: Record<string, string>;
  received_at: Date;
  accepted_at: Date | null;
}

export interface DeliveryRow {
  id: string;
  agency_code: string;
  state: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export interface AttemptRow {
  delivery_id: string;
  agency_code: string;
  started_at: Date;
  status: number | null;
  latency_ms: number;
  error: string | null;
}

export interface DeadLetterEventRow {
  id: string;
  agency_code: string;
  created_at: Date;
  replayed_at: Date | null;
  discarded_at: Date | null;
  discard_reason: string | null;
  error_code: string;
}

/** One published event and what became of it (gateway, deliveries, attempts, dead letters). */
@Injectable()
export class EventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(id: string, source: string | undefined): Promise<EventRow | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT source, event_id, type, transaction_id, attributes, received_at, accepted_at FROM gateway_event
        WHERE event_id = $1 AND ($2::text IS NULL OR source = $2) ORDER BY received_at LIMIT 1`,
      [id, source ?? null],
    )) as EventRow[];
    return rows[0];
  }

  async deliveries(source: string, id: string): Promise<DeliveryRow[]> {
    return (await this.dataSource.query(
      `SELECT id, agency_code, state, attempts, last_status, last_error, created_at, delivered_at FROM delivery WHERE event_source = $1 AND event_id = $2 ORDER BY created_at, id`,
      [`urn:rabt:agency:${source}`, id],
    )) as DeliveryRow[];
  }

  async attempts(deliveryIds: readonly string[]): Promise<AttemptRow[]> {
    if (deliveryIds.length === 0) return [];
    return (await this.dataSource.query(
      `SELECT a.delivery_id, d.agency_code, a.started_at, a.status, a.latency_ms, a.error FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id
        WHERE a.delivery_id = ANY($1::text[]) ORDER BY a.started_at, a.id`,
      [deliveryIds],
    )) as AttemptRow[];
  }

  async deadLetters(deliveryIds: readonly string[]): Promise<DeadLetterEventRow[]> {
    if (deliveryIds.length === 0) return [];
    return (await this.dataSource.query(`SELECT id, agency_code, created_at, replayed_at, discarded_at, discard_reason, error_code FROM dead_letter WHERE delivery_id = ANY($1::text[])`, [
      deliveryIds,
    ])) as DeadLetterEventRow[];
  }
}
