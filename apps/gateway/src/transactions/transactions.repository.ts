import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readTransaction, type TransactionRecord } from '@rabt/persistence';

/** Reads of the workflow service's tables for GET /v1/transactions/{id}. */
@Injectable()
export class TransactionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  read(id: string): Promise<TransactionRecord | null> {
    return readTransaction(this.dataSource.manager, id);
  }
}
