import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDeliveries1764480500000 implements MigrationInterface {
  name = 'CreateDeliveries1764480500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "delivery" (
        "id" text NOT NULL,
        "seq" BIGSERIAL NOT NULL,
        "subscription_id" uuid NOT NULL,
        "agency_code" varchar(16) NOT NULL,
        "event_source" varchar(200) NOT NULL,
        "event_id" varchar(200) NOT NULL,
        "event_type" varchar(200) NOT NULL,
        "transaction_id" varchar(64),
        "ordering_key" text,
        "payload" jsonb NOT NULL,
        "state" varchar(16) NOT NULL DEFAULT 'pending',
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        "lease_until" timestamptz,
        "lease_token" uuid,
        "last_status" integer,
        "last_error" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "delivered_at" timestamptz,
        "inbox_topic" varchar(249) NOT NULL,
        "inbox_partition" integer NOT NULL,
        "inbox_offset" bigint NOT NULL,
        CONSTRAINT "PK_delivery" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_delivery_state" CHECK ("state" IN ('pending', 'delivering', 'delivered', 'retrying', 'dead', 'gone')),
        CONSTRAINT "CHK_delivery_attempts" CHECK ("attempts" >= 0)
      )`);
    // The claim query: due open deliveries, and whether an earlier one of the same key is still open.
    await q.query(`CREATE INDEX "IDX_delivery_due" ON "delivery" ("next_attempt_at") WHERE "state" IN ('pending', 'delivering', 'retrying')`);
    await q.query(`CREATE INDEX "IDX_delivery_open_key" ON "delivery" ("subscription_id", "ordering_key", "seq") WHERE "state" IN ('pending', 'delivering', 'retrying')`);
    // GET /v1/events/{id}/deliveries.
    await q.query(`CREATE INDEX "IDX_delivery_event" ON "delivery" ("event_source", "event_id")`);
    await q.query(`
      CREATE TABLE "delivery_attempt" (
        "id" BIGSERIAL NOT NULL,
        "delivery_id" text NOT NULL,
        "attempt_no" integer NOT NULL,
        "started_at" timestamptz NOT NULL,
        "status" integer,
        "latency_ms" integer NOT NULL,
        "error" text,
        CONSTRAINT "PK_delivery_attempt" PRIMARY KEY ("id"),
        CONSTRAINT "FK_delivery_attempt_delivery" FOREIGN KEY ("delivery_id") REFERENCES "delivery"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_delivery_attempt_delivery" ON "delivery_attempt" ("delivery_id", "attempt_no")`);
    await q.query(`
      CREATE TABLE "dead_letter" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "delivery_id" text NOT NULL,
        "subscription_id" uuid NOT NULL,
        "agency_code" varchar(16) NOT NULL,
        "event_type" varchar(200) NOT NULL,
        "event_source" varchar(200) NOT NULL,
        "event_id" varchar(200) NOT NULL,
        "payload" jsonb NOT NULL,
        "last_status" integer,
        "last_error" text NOT NULL,
        "attempts" integer NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "replayed_at" timestamptz,
        "discarded_at" timestamptz,
        "discard_reason" text,
        CONSTRAINT "PK_dead_letter" PRIMARY KEY ("id"),
        CONSTRAINT "FK_dead_letter_delivery" FOREIGN KEY ("delivery_id") REFERENCES "delivery"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_dead_letter_delivery" ON "dead_letter" ("delivery_id")`);
    await q.query(`CREATE INDEX "IDX_dead_letter_agency" ON "dead_letter" ("agency_code", "created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "dead_letter"`);
    await q.query(`DROP TABLE "delivery_attempt"`);
    await q.query(`DROP TABLE "delivery"`);
  }
}
