import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  RegistrySchemaEntity,
  RegistrySettingEntity,
  RegistrySubjectVersionEntity,
  type SchemaReferenceRecord,
} from '@rabt/persistence';

/** Every registry write runs under this transaction-scoped advisory lock: ids and versions never race. */
const REGISTRY_WRITE_LOCK = 727_384_101;

export interface VersionRow {
  readonly subject: string;
  readonly version: number;
  readonly schemaId: number;
  readonly deleted: boolean;
}

export interface StoredSchema {
  readonly id: number;
  readonly fingerprint: string;
  readonly schemaText: string;
  readonly references: readonly SchemaReferenceRecord[];
}

export const GLOBAL = '';

/** The only place the registry's queries live. `m` is the transaction's manager when in one. */
@Injectable()
export class RegistryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in a transaction holding the registry write lock. */
  inWriteTransaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [REGISTRY_WRITE_LOCK]);
      return work(m);
    });
  }

  private em(m?: EntityManager): EntityManager {
    return m ?? this.dataSource.manager;
  }

  async versions(subject: string, includeDeleted: boolean, m?: EntityManager): Promise<VersionRow[]> {
    return this.em(m).find(RegistrySubjectVersionEntity, {
      where: includeDeleted ? { subject } : { subject, deleted: false },
      order: { version: 'ASC' },
    });
  }

  async subjects(includeDeleted: boolean, prefix: string | undefined): Promise<string[]> {
    const q = this.dataSource.manager
      .createQueryBuilder(RegistrySubjectVersionEntity, 'v')
      .select('DISTINCT v.subject', 'subject')
      .orderBy('v.subject');
    if (!includeDeleted) q.where('v.deleted = false');
    if (prefix) q.andWhere("left(v.subject, length(:prefix)) = :prefix", { prefix });
    return (await q.getRawMany<{ subject: string }>()).map((r) => r.subject);
  }

  /** The id of a live version of `subject` whose schema has this fingerprint, if any. */
  async liveSchemaIdIn(subject: string, fingerprint: string): Promise<number | undefined> {
    const rows: { id: number }[] = await this.dataSource.query(
      `SELECT s.id FROM sr_subject_version v JOIN sr_schema s ON s.id = v.schema_id
        WHERE v.subject = $1 AND v.deleted = false AND s.fingerprint = $2 LIMIT 1`,
      [subject, fingerprint],
    );
    return rows[0] ? Number(rows[0].id) : undefined;
  }

  async schemaById(id: number, m?: EntityManager): Promise<StoredSchema | null> {
    return this.em(m).findOneBy(RegistrySchemaEntity, { id });
  }

  async schemaByFingerprint(fingerprint: string, m: EntityManager): Promise<StoredSchema | null> {
    return m.findOneBy(RegistrySchemaEntity, { fingerprint });
  }

  /** Versions (any subject) that use schema `id`. */
  async usesOf(id: number, includeDeleted: boolean): Promise<VersionRow[]> {
    return this.dataSource.manager.find(RegistrySubjectVersionEntity, {
      where: includeDeleted ? { schemaId: id } : { schemaId: id, deleted: false },
      order: { subject: 'ASC', version: 'ASC' },
    });
  }

  async insertSchema(schema: StoredSchema, m: EntityManager): Promise<void> {
    await m.insert(RegistrySchemaEntity, { ...schema, references: [...schema.references], schemaType: 'AVRO' });
  }

  /**
   * The next free schema id, from the sequence `sr_schema_id_seq`. Imported ids live beside the
   * sequence and never move it: when it reaches one, it jumps to the first free id after the run
   * of taken ids. An import of a high id therefore leaves every lower id to automatic allocation,
   * however high. Called under the write lock, so no other writer takes the id meanwhile.
   * Answers undefined when no id up to `maxId` is left above the sequence.
   */
  async nextSchemaId(maxId: number, m: EntityManager): Promise<number | undefined> {
    const [drawn] = (await m.query(`SELECT nextval('sr_schema_id_seq') AS id`)) as { id: string }[];
    const id = Number(drawn!.id);
    if (id > maxId) return undefined;
    if ((await m.query('SELECT 1 FROM sr_schema WHERE id = $1', [id])).length === 0) return id;
    const [gap] = (await m.query(
      `SELECT s.id::bigint + 1 AS id FROM sr_schema s
        WHERE s.id >= $1 AND NOT EXISTS (SELECT 1 FROM sr_schema t WHERE t.id = s.id::bigint + 1)
        ORDER BY s.id LIMIT 1`,
      [id],
    )) as { id: string }[];
    const free = Number(gap!.id);
    await m.query(`SELECT setval('sr_schema_id_seq', $1)`, [free]);
    return free <= maxId ? free : undefined;
  }

  async nextVersion(subject: string, m: EntityManager): Promise<number> {
    const [row] = await m.query('SELECT COALESCE(MAX(version), 0)::bigint + 1 AS next FROM sr_subject_version WHERE subject = $1', [subject]);
    return Number((row as { next: string }).next);
  }

  async insertVersion(row: VersionRow, m: EntityManager): Promise<void> {
    await m.insert(RegistrySubjectVersionEntity, row);
  }

  async markDeleted(subject: string, versions: readonly number[], m: EntityManager): Promise<void> {
    if (versions.length) await m.update(RegistrySubjectVersionEntity, versions.map((version) => ({ subject, version })), { deleted: true });
  }

  async removeVersions(subject: string, versions: readonly number[], m: EntityManager): Promise<void> {
    if (versions.length) await m.delete(RegistrySubjectVersionEntity, versions.map((version) => ({ subject, version })));
  }

  /** Ids of schemas whose references name (subject, version). */
  async referencedBy(subject: string, version: number, m?: EntityManager): Promise<number[]> {
    const rows: { id: number }[] = await this.em(m).query(
      `SELECT id FROM sr_schema s WHERE s."references" @> $1::jsonb
         AND EXISTS (SELECT 1 FROM sr_subject_version v WHERE v.schema_id = s.id AND v.deleted = false)
       ORDER BY id`,
      [JSON.stringify([{ subject, version }])],
    );
    return rows.map((r) => Number(r.id));
  }

  async setting(subject: string, m?: EntityManager): Promise<RegistrySettingEntity | null> {
    return this.em(m).findOneBy(RegistrySettingEntity, { subject });
  }

  async saveSetting(subject: string, patch: { compatibility?: string | null; mode?: string | null }, m?: EntityManager): Promise<void> {
    const em = this.em(m);
    const existing = await em.findOneBy(RegistrySettingEntity, { subject });
    const next = { subject, compatibility: existing?.compatibility ?? null, mode: existing?.mode ?? null, ...patch };
    if (next.compatibility === null && next.mode === null) await em.delete(RegistrySettingEntity, { subject });
    else await em.save(RegistrySettingEntity, next);
  }

  async hasAnyVersion(): Promise<boolean> {
    return (await this.dataSource.manager.count(RegistrySubjectVersionEntity, { where: { deleted: false }, take: 1 })) > 0;
  }
}
