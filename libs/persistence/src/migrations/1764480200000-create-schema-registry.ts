import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSchemaRegistry1764480200000 implements MigrationInterface {
  name = 'CreateSchemaRegistry1764480200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "sr_schema" (
        "id" integer NOT NULL,
        "fingerprint" char(64) NOT NULL,
        "schema_type" varchar(16) NOT NULL DEFAULT 'AVRO',
        "schema_text" text NOT NULL,
        "references" jsonb NOT NULL DEFAULT '[]',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_sr_schema" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_sr_schema_fingerprint" ON "sr_schema" ("fingerprint")`);
    await q.query(`
      CREATE TABLE "sr_subject_version" (
        "subject" varchar(255) NOT NULL,
        "version" integer NOT NULL,
        "schema_id" integer NOT NULL,
        "deleted" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_sr_subject_version" PRIMARY KEY ("subject", "version")
      )`);
    await q.query(`CREATE INDEX "IDX_sr_subject_version_schema" ON "sr_subject_version" ("schema_id")`);
    await q.query(`
      CREATE TABLE "sr_setting" (
        "subject" varchar(255) NOT NULL,
        "compatibility" varchar(32),
        "mode" varchar(16),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_sr_setting" PRIMARY KEY ("subject")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "sr_setting"`);
    await q.query(`DROP TABLE "sr_subject_version"`);
    await q.query(`DROP TABLE "sr_schema"`);
  }
}
