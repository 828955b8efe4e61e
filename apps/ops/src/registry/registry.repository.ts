import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Reads of the schema registry's and the agency registry's tables (never a secret). */
@Injectable()
export class RegistryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async subjects(): Promise<{ subject: string; latest_version: number; compatibility: string | null }[]> {
    return (await this.dataSource.query(
      `SELECT v.subject, max(v.version)::int AS latest_version, s.compatibility
         FROM sr_subject_version v LEFT JOIN sr_setting s ON s.subject = v.subject
        WHERE NOT v.deleted GROUP BY v.subject, s.compatibility ORDER BY v.subject`,
    )) as { subject: string; latest_version: number; compatibility: string | null }[];
  }

  /** The registry-wide compatibility (the schema registry keeps it under the subject ''), if set. */
  async globalCompatibility(): Promise<string | null> {
    const [row] = (await this.dataSource.query(`SELECT compatibility FROM sr_setting WHERE subject = ''`)) as { compatibility: string | null }[];
    return row?.compatibility ?? null;
  }

  async versions(subject: string): Promise<{ version: number; id: number; schema_text: string; created_at: Date }[]> {
    return (await this.dataSource.query(
      `SELECT v.version, v.schema_id AS id, s.schema_text, v.created_at FROM sr_subject_version v JOIN sr_schema s ON s.id = v.schema_id
        WHERE v.subject = $1 AND NOT v.deleted ORDER BY v.version`,
      [subject],
    )) as { version: number; id: number; schema_text: string; created_at: Date }[];
  }

  async agencies(scope: string | null): Promise<{ code: string; name_en: string; name_ar: string; status: string; grants: { eventType: string; permission: string }[] | null; subscriptions: number }[]> {
    return (await this.dataSource.query(
      `SELECT a.code, a.name_en, a.name_ar, a.status,
              (SELECT json_agg(json_build_object('eventType', g.event_type, 'permission', g.permission) ORDER BY g.event_type, g.permission) FROM agency_grant g WHERE g.agency_code = a.code) AS grants,
              (SELECT count(*)::int FROM subscription s WHERE s.agency_code = a.code) AS subscriptions
         FROM agency a WHERE $1::text IS NULL OR a.code = $1 ORDER BY a.code`,
      [scope],
    )) as { code: string; name_en: string; name_ar: string; status: string; grants: { eventType: string; permission: string }[] | null; subscriptions: number }[];
  }
}
