import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readTransaction, type TransactionRecord, type TransactionState } from '@rabt/persistence';

export interface TransactionSummaryRow {
  id: string;
  workflow: string;
  state: TransactionState;
  started_at: Date;
  updated_at: Date;
  parties: string[];
  started_us: string;
}

/** Reads of the workflow service's tables: a page of transactions, one with its steps and timeline. */
@Injectable()
export class TransactionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async page(q: { state?: string; workflow?: string; scope: string | null; limit: number; after?: { startedUs: string; id: string } }): Promise<TransactionSummaryRow[]> {
    const params: unknown[] = [];
    const where: string[] = ['TRUE'];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.state) where.push(`state = ${p(q.state)}`);
    if (q.workflow) where.push(`workflow = ${p(q.workflow)}`);
    if (q.scope) where.push(`${p(q.scope)} = ANY(parties)`);
    if (q.after) where.push(`(started_at, id) < (('epoch'::timestamptz + ${p(q.after.startedUs)}::bigint * interval '1 microsecond'), ${p(q.after.id)})`);
    return (await this.dataSource.query(
      `SELECT id, workflow, state, started_at, updated_at, parties, (extract(epoch FROM started_at) * 1000000)::bigint::text AS started_us
         FROM workflow_transaction WHERE ${where.join(' AND ')} ORDER BY started_at DESC, id DESC LIMIT ${p(q.limit + 1)}`,
      params,
    )) as TransactionSummaryRow[];
  }

  read(id: string): Promise<TransactionRecord | null> {
    return readTransaction(this.dataSource.manager, id);
  }
}
