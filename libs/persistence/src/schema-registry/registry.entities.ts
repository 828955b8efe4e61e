import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export interface SchemaReferenceRecord {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/** A distinct schema; `id` is the registry-wide id in the Confluent wire format. Never reused. */
@Entity({ name: 'sr_schema' })
export class RegistrySchemaEntity {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  /** sha256 of the canonical form plus references: one row per distinct schema. */
  @Index('UQ_sr_schema_fingerprint', { unique: true })
  @Column({ type: 'char', length: 64 })
  fingerprint!: string;

  @Column({ name: 'schema_type', type: 'varchar', length: 16, default: 'AVRO' })
  schemaType!: string;

  /** The schema as first registered, minified. */
  @Column({ name: 'schema_text', type: 'text' })
  schemaText!: string;

  @Column({ name: 'references', type: 'jsonb', default: () => "'[]'" })
  references!: SchemaReferenceRecord[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A version of a subject. Soft-deleted rows stay so their version number is never reused. */
@Entity({ name: 'sr_subject_version' })
@Index('IDX_sr_subject_version_schema', ['schemaId'])
export class RegistrySubjectVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  subject!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ name: 'schema_id', type: 'integer' })
  schemaId!: number;

  @Column({ type: 'boolean', default: false })
  deleted!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** Compatibility level and mode, per subject; the subject '' holds the registry-wide values. */
@Entity({ name: 'sr_setting' })
export class RegistrySettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  subject!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  compatibility!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  mode!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
