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

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * A transaction as `GET /v1/transactions/{id}` answers it (the gateway's and the ops service's
 * view; the SDK's `TransactionView` is its wire type): state, steps in order, timeline in time order.
 */
export function transactionView({ transaction: tx, steps, timeline }: TransactionRecord) {
  return {
    id: tx.id,
    workflow: tx.workflow,
    workflowVersion: tx.workflowVersion,
    state: tx.state,
    startedAt: tx.startedAt.toISOString(),
    completedAt: iso(tx.completedAt),
    steps: steps.map((s) => ({
      name: s.name,
      agency: s.agency,
      awaits: s.awaits,
      state: s.state,
      becameCurrentAt: iso(s.becameCurrentAt),
      slaDueAt: iso(s.slaDueAt),
      completedAt: iso(s.completedAt),
      eventId: s.eventId,
      breachedAt: iso(s.breachedAt),
    })),
    timeline: timeline.map((t) => ({ at: t.at.toISOString(), agency: t.agency, type: t.eventType, eventId: t.eventId, what: t.what })),
  };
}
