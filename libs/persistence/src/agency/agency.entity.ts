import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const AGENCY_STATUSES = ['active', 'suspended'] as const;
export type AgencyStatus = (typeof AGENCY_STATUSES)[number];

/** A government agency party to Rabt; `code` is its short name (mom, rop, moci, …). */
@Entity({ name: 'agency' })
@Check('CHK_agency_code', `"code" ~ '^[a-z][a-z0-9]{1,15}$'`)
@Check('CHK_agency_status', `"status" IN ('active', 'suspended')`)
export class AgencyEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  code!: string;

  @Column({ name: 'name_en', type: 'varchar', length: 200 })
  nameEn!: string;

  @Column({ name: 'name_ar', type: 'varchar', length: 200 })
  nameAr!: string;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: AgencyStatus;

  /** Token bucket for publishing: events per second and burst; null = the gateway default. */
  @Column({ name: 'rate_per_second', type: 'integer', nullable: true })
  ratePerSecond!: number | null;

  @Column({ name: 'rate_burst', type: 'integer', nullable: true })
  rateBurst!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
