import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { WorkflowStepEntity, WorkflowTimelineEntity, WorkflowTransactionEntity } from '@rabt/persistence';

/** Reads of the workflow service's tables for GET /v1/transactions/{id}. */
@Injectable()
export class TransactionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(id: string): Promise<WorkflowTransactionEntity | null> {
    return this.dataSource.manager.findOneBy(WorkflowTransactionEntity, { id });
  }

  steps(id: string): Promise<WorkflowStepEntity[]> {
    return this.dataSource.manager.find(WorkflowStepEntity, { where: { transactionId: id }, order: { seq: 'ASC' } });
  }

  timeline(id: string): Promise<WorkflowTimelineEntity[]> {
    return this.dataSource.manager.find(WorkflowTimelineEntity, { where: { transactionId: id }, order: { at: 'ASC', id: 'ASC' } });
  }
}
