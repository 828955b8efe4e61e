import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAgency1764480000000 implements MigrationInterface {
  name = 'CreateAgency1764480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "agency" (
        "code" varchar(16) NOT NULL,
        "name_en" varchar(200) NOT NULL,
        "name_ar" varchar(200) NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'active',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_agency" PRIMARY KEY ("code"),
        CONSTRAINT "CHK_agency_code" CHECK ("code" ~ '^[a-z][a-z0-9]{1,15}$'),
        CONSTRAINT "CHK_agency_status" CHECK ("status" IN ('active', 'suspended'))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "agency"`);
  }
}
