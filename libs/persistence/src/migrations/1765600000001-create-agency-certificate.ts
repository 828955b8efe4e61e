import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agency client certificates issued by Rabt's CA: what the gateway checks a presented
 * certificate against (active = not revoked and not expired). The private key is never stored.
 */
export class CreateAgencyCertificate1765600000001 implements MigrationInterface {
  name = 'CreateAgencyCertificate1765600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "agency_certificate" (
        "id" char(32) NOT NULL,
        "agency_code" varchar(16) NOT NULL,
        "serial" varchar(64) NOT NULL,
        "fingerprint" char(64) NOT NULL,
        "subject" varchar(200) NOT NULL,
        "not_before" timestamptz NOT NULL,
        "not_after" timestamptz NOT NULL,
        "issued_by" varchar(200) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "revoked_at" timestamptz,
        "revoke_reason" varchar(500),
        CONSTRAINT "PK_agency_certificate" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_agency_certificate_fingerprint" UNIQUE ("fingerprint"),
        CONSTRAINT "FK_agency_certificate_agency" FOREIGN KEY ("agency_code") REFERENCES "agency"("code") ON DELETE RESTRICT,
        CONSTRAINT "CHK_agency_certificate_id" CHECK ("id" ~ '^[0-9a-f]{32}$'),
        CONSTRAINT "CHK_agency_certificate_revoked" CHECK (("revoked_at" IS NULL) = ("revoke_reason" IS NULL))
      )`);
    await q.query(`CREATE INDEX "IDX_agency_certificate_agency" ON "agency_certificate" ("agency_code")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "agency_certificate"`);
  }
}
