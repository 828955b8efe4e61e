import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditTrail, type AuditRecordInput } from '@rabt/audit';

export type OpsAuditInput = AuditRecordInput;

/**
 * The ops service's one door to the audit trail (@rabt/audit): every operator action is recorded
 * here, in the transaction of the action when `manager` is given, so both commit or neither.
 */
@Injectable()
export class OpsAudit {
  constructor(private readonly trail: AuditTrail) {}

  record(input: OpsAuditInput, manager?: EntityManager): Promise<void> {
    return this.trail.record(input, manager);
  }

  /** Several records in one statement (a bulk replay's page). */
  recordMany(inputs: OpsAuditInput[], manager?: EntityManager): Promise<void> {
    return inputs.length ? this.trail.recordMany(inputs, manager) : Promise.resolve();
  }
}
