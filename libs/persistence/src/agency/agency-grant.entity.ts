import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyEntity } from './agency.entity';

export const GRANT_PERMISSIONS = ['publish', 'subscribe'] as const;
export type GrantPermission = (typeof GRANT_PERMISSIONS)[number];

/**
 * What an agency may do with an event type beyond owning it: publish a type another agency
 * owns, or receive (subscribe to) one. Owners publish their own types without a grant.
 */
@Entity({ name: 'agency_grant' })
@Index('UQ_agency_grant', ['agencyCode', 'eventType', 'permission'], { unique: true })
@Check('CHK_agency_grant_permission', `"permission" IN ('publish', 'subscribe')`)
export class AgencyGrantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'agency_code', type: 'varchar', length: 16 })
  agencyCode!: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agency_code', foreignKeyConstraintName: 'FK_agency_grant_agency' })
  agency?: AgencyEntity;

  @Column({ name: 'event_type', type: 'varchar', length: 200 })
  eventType!: string;

  @Column({ type: 'varchar', length: 16 })
  permission!: GrantPermission;

  /** The agency (or operator) that granted it: the type's owner or `ita`. */
  @Column({ name: 'granted_by', type: 'varchar', length: 16 })
  grantedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
