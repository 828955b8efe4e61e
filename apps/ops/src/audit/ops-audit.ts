import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type OpsAuditAction =
  | 'operator.signed-in'
  | 'operator.sign-in-failed'
  | 'operator.locked'
  | 'operator.unlocked'
  | 'operator.created'
  | 'operator.signed-out'
  | 'dead-letter.replayed'
  | 'dead-letter.discarded'
  | 'replay-job.started';

export interface OpsAuditInput {
  /** `operator:<username>`. */
  readonly actor: string;
  readonly action: OpsAuditAction;
  readonly subject: string;
  readonly reason?: string | null;
  readonly details?: Record<string, unknown>;
}

/**
 * The ops service's one door to the audit trail: every operator action is recorded here, in
 * the transaction of the action when `manager` is given (so both commit or neither). Wired to
 * @rabt/audit's AuditTrail once that library is merged; until then it logs the record.
 */
@Injectable()
export class OpsAudit {
  private readonly log = new Logger('audit');

  async record(input: OpsAuditInput, manager?: EntityManager): Promise<void> {
    void manager;
    this.log.log({ audit: input }, `${input.actor} ${input.action} ${input.subject}`);
  }
}
