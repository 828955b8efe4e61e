import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AgencyEntity } from './agency.entity';

export const API_KEY_ROLES = ['integrator', 'admin'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/**
 * An agency's API key. Only an HMAC-SHA256 of the secret (with a server-side pepper) is kept;
 * the key itself is shown once, when issued. Revoked keys stay for the audit trail.
 */
@Entity({ name: 'agency_api_key' })
@Check('CHK_agency_api_key_roles', `"roles" <@ ARRAY['integrator', 'admin']::text[]`)
@Check('CHK_agency_api_key_pepper_version', `"pepper_version" >= 1`)
@Index('IDX_agency_api_key_expires', ['expiresAt'], { where: `"expires_at" IS NOT NULL AND "revoked_at" IS NULL` })
export class AgencyApiKeyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('IDX_agency_api_key_agency')
  @Column({ name: 'agency_code', type: 'varchar', length: 16 })
  agencyCode!: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_code', foreignKeyConstraintName: 'FK_agency_api_key_agency' })
  agency?: AgencyEntity;

  @Column({ type: 'varchar', length: 100 })
  label!: string;

  @Column({ name: 'secret_hash', type: 'char', length: 64 })
  secretHash!: string;

  /** The version of the pepper `secret_hash` was made under (RABT_API_KEY_PEPPERS). */
  @Column({ name: 'pepper_version', type: 'integer', default: 1 })
  pepperVersion!: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles!: ApiKeyRole[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** After this instant the key authenticates no more than a revoked one; null = no expiry. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}
