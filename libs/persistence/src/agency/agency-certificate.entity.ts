import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { AgencyEntity } from './agency.entity';

/**
 * An agency client certificate issued by Rabt's CA, keyed by its UID (the certificate id). Only
 * the certificate's facts are kept; its private key was returned once, at issue. Revoked
 * certificates stay for the audit trail.
 */
@Entity({ name: 'agency_certificate' })
@Unique('UQ_agency_certificate_fingerprint', ['fingerprint'])
@Check('CHK_agency_certificate_id', `"id" ~ '^[0-9a-f]{32}$'`)
@Check('CHK_agency_certificate_revoked', `("revoked_at" IS NULL) = ("revoke_reason" IS NULL)`)
export class AgencyCertificateEntity {
  @PrimaryColumn({ type: 'char', length: 32 })
  id!: string;

  @Index('IDX_agency_certificate_agency')
  @Column({ name: 'agency_code', type: 'varchar', length: 16 })
  agencyCode!: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_code', foreignKeyConstraintName: 'FK_agency_certificate_agency' })
  agency?: AgencyEntity;

  @Column({ type: 'varchar', length: 64 })
  serial!: string;

  /** SHA-256 of the DER certificate, lowercase hex. */
  @Column({ type: 'char', length: 64 })
  fingerprint!: string;

  /** RFC 2253, as the broker prints it: `UID=<id>,CN=<code>,OU=agency,O=Rabt`. */
  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ name: 'not_before', type: 'timestamptz' })
  notBefore!: Date;

  @Column({ name: 'not_after', type: 'timestamptz' })
  notAfter!: Date;

  /** Who issued it (audit actor: `operator:<name>`, `cli:<user>`). */
  @Column({ name: 'issued_by', type: 'varchar', length: 200 })
  issuedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoke_reason', type: 'varchar', length: 500, nullable: true })
  revokeReason!: string | null;
}
