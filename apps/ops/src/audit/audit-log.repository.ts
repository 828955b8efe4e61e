import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RECORDED_AT_TEXT } from '@rabt/audit';

export interface AuditEntryView {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly reason: string | null;
  readonly details: Record<string, unknown>;
  readonly hash: string;
}

/** Reading the sealed audit chain, newest first. */
@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async page(limit: number, before: number | undefined): Promise<AuditEntryView[]> {
    const rows = (await this.dataSource.query(
      `SELECT seq::int AS seq, ${RECORDED_AT_TEXT} AS at, actor, action, subject, reason, details, hash
         FROM audit_record WHERE seq IS NOT NULL ${before !== undefined ? 'AND seq < $2' : ''}
        ORDER BY seq DESC LIMIT $1`,
      before !== undefined ? [limit, before] : [limit],
    )) as AuditEntryView[];
    return rows;
  }
}
