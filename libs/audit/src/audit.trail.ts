import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditRecordInput } from './audit-record';
import { appendAuditRecords } from './audit-records';

/**
 * Appends audit records. It only INSERTs (no lock, no read): the sealer chains them shortly after.
 * Pass the EntityManager of the transaction that does the audited change, so that the change and
 * its record commit or roll back together.
 */
@Injectable()
export class AuditTrail {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(input: AuditRecordInput, manager?: EntityManager): Promise<void> {
    await appendAuditRecords(manager ?? this.dataSource, [input]);
  }

  /** Several records with one statement. */
  async recordMany(inputs: AuditRecordInput[], manager?: EntityManager): Promise<void> {
    await appendAuditRecords(manager ?? this.dataSource, inputs);
  }
}
