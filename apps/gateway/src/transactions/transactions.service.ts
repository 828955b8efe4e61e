import { Injectable } from '@nestjs/common';
import type { Principal } from '@rabt/auth';
import type { StepState, TransactionState } from '@rabt/persistence';
import { GatewayExceptionCode, gatewayError } from '../publish/gateway.exception';
import { TransactionsRepository } from './transactions.repository';

export interface TransactionStepView {
  readonly name: string;
  readonly agency: string;
  readonly awaits: string;
  readonly state: StepState;
  readonly becameCurrentAt: Date | null;
  readonly slaDueAt: Date | null;
  readonly completedAt: Date | null;
  readonly eventId: string | null;
  readonly breachedAt: Date | null;
}

export interface TimelineEntryView {
  readonly at: Date;
  readonly agency: string;
  readonly type: string;
  readonly eventId: string;
  readonly what: string;
}

export interface TransactionView {
  readonly id: string;
  readonly workflow: string;
  readonly workflowVersion: number;
  readonly state: TransactionState;
  readonly startedAt: Date;
  readonly completedAt: Date | null;
  readonly steps: readonly TransactionStepView[];
  readonly timeline: readonly TimelineEntryView[];
}

/** The operator (ita) sees every transaction. */
const OPERATOR = 'ita';

/** A cross-agency transaction as the workflow service keeps it, for the agencies party to it. */
@Injectable()
export class TransactionsService {
  constructor(private readonly repository: TransactionsRepository) {}

  async view(caller: Principal, id: string): Promise<TransactionView> {
    const record = await this.repository.read(id);
    if (!record) throw gatewayError(GatewayExceptionCode.TRANSACTION_NOT_FOUND, `no transaction with id ${id}`);
    const { transaction: tx, steps, timeline } = record;
    if (caller.agency !== OPERATOR && !tx.parties.includes(caller.agency)) {
      throw gatewayError(GatewayExceptionCode.TRANSACTION_FORBIDDEN, `agency '${caller.agency}' is not party to transaction ${id} (parties: ${tx.parties.join(', ')})`);
    }
    return {
      id: tx.id,
      workflow: tx.workflow,
      workflowVersion: tx.workflowVersion,
      state: tx.state,
      startedAt: tx.startedAt,
      completedAt: tx.completedAt,
      steps: steps.map((s) => ({
        name: s.name,
        agency: s.agency,
        awaits: s.awaits,
        state: s.state,
        becameCurrentAt: s.becameCurrentAt,
        slaDueAt: s.slaDueAt,
        completedAt: s.completedAt,
        eventId: s.eventId,
        breachedAt: s.breachedAt,
      })),
      timeline: timeline.map((t) => ({ at: t.at, agency: t.agency, type: t.eventType, eventId: t.eventId, what: t.what })),
    };
  }
}
