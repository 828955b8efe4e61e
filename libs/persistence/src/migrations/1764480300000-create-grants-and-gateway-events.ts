import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateGrantsAndGatewayEvents1764480300000 implements MigrationInterface {
  name = 'CreateGrantsAndGatewayEvents1764480300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "agency_grant" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "agency_code" varchar(16) NOT NULL,
        "event_type" varchar(200) NOT NULL,
        "permission" varchar(16) NOT NULL,
        "granted_by" varchar(16) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_agency_grant" PRIMARY KEY ("id"),
        CONSTRAINT "FK_agency_grant_agency" FOREIGN KEY ("agency_code") REFERENCES "agency"("code") ON DELETE CASCADE,
        CONSTRAINT "CHK_agency_grant_permission" CHECK ("permission" IN ('publish', 'subscribe'))
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_agency_grant" ON "agency_grant" ("agency_code", "event_type", "permission")`);
    // Per-agency token bucket; NULL = the gateway's configured default.
    await q.query(`ALTER TABLE "agency" ADD "rate_per_second" integer, ADD "rate_burst" integer`);
    await q.query(`
      CREATE TABLE "gateway_event" (
        "source" varchar(64) NOT NULL,
        "event_id" varchar(200) NOT NULL,
        "content_hash" char(64) NOT NULL,
        "state" varchar(16) NOT NULL,
        "type" varchar(200) NOT NULL,
        "transaction_id" varchar(64),
        "topic" varchar(249) NOT NULL,
        "partition" integer,
        "kafka_offset" bigint,
        "schema_id" integer NOT NULL,
        "attributes" jsonb NOT NULL,
        "data" jsonb NOT NULL,
        "received_at" timestamptz NOT NULL DEFAULT now(),
        "accepted_at" timestamptz,
        CONSTRAINT "PK_gateway_event" PRIMARY KEY ("source", "event_id")
      )`);
    await q.query(`CREATE INDEX "IDX_gateway_event_transaction" ON "gateway_event" ("transaction_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "gateway_event"`);
    await q.query(`ALTER TABLE "agency" DROP COLUMN "rate_burst", DROP COLUMN "rate_per_second"`);
    await q.query(`DROP TABLE "agency_grant"`);
  }
}
