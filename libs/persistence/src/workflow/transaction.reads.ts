import type { EntityManager } from 'typeorm';
import { WorkflowStepEntity, WorkflowTimelineEntity, WorkflowTransactionEntity } from './workflow.entities';

/** A transaction with its steps (in order) and its timeline (in time order). */
export interface TransactionRecord {
  readonly transaction: WorkflowTransactionEntity;
  readonly steps: WorkflowStepEntity[];
  readonly timeline: WorkflowTimelineEntity[];
}

/** Reads one transaction as the gateway's and the ops service's transaction views show it; null if unknown. */
export async function readTransaction(manager: EntityManager, id: string): Promise<TransactionRecord | null> {
  const transaction = await manager.findOneBy(WorkflowTransactionEntity, { id });
  if (!transaction) return null;
  const [steps, timeline] = await Promise.all([
    manager.find(WorkflowStepEntity, { where: { transactionId: id }, order: { seq: 'ASC' } }),
    manager.find(WorkflowTimelineEntity, { where: { transactionId: id }, order: { at: 'ASC', id: 'ASC' } }),
  ]);
  return { transaction, steps, timeline };
}
