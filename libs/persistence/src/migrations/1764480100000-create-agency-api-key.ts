import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAgencyApiKey1764480100000 implements MigrationInterface {
  name = 'CreateAgencyApiKey1764480100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "agency_api_key" (
        "id" uuid NOT NULL,
        "agency_code" varchar(16) NOT NULL,
        "label" varchar(100) NOT NULL,
        "secret_hash" char(64) NOT NULL,
        "roles" text[] NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "revoked_at" timestamptz,
        CONSTRAINT "PK_agency_api_key" PRIMARY KEY ("id"),
        CONSTRAINT "FK_agency_api_key_agency" FOREIGN KEY ("agency_code") REFERENCES "agency"("code") ON DELETE RESTRICT,
        CONSTRAINT "CHK_agency_api_key_roles" CHECK ("roles" <@ ARRAY['integrator', 'admin']::text[])
      )`);
    await q.query(`CREATE INDEX "IDX_agency_api_key_agency" ON "agency_api_key" ("agency_code")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "agency_api_key"`);
  }
}
