import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSubscriptions1764480400000 implements MigrationInterface {
  name = 'CreateSubscriptions1764480400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "subscription" (
        "id" uuid NOT NULL,
        "agency_code" varchar(16) NOT NULL,
        "event_type" varchar(200) NOT NULL,
        "filter" text,
        "projection" text[],
        "webhook_url" varchar(2048),
        "webhook_secret_ciphertext" text,
        "previous_webhook_secret_ciphertext" text,
        "previous_secret_expires_at" timestamptz,
        "inbox" boolean NOT NULL DEFAULT false,
        "state" varchar(16) NOT NULL DEFAULT 'active',
        "disabled_reason" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_subscription" PRIMARY KEY ("id"),
        CONSTRAINT "FK_subscription_agency" FOREIGN KEY ("agency_code") REFERENCES "agency"("code") ON DELETE CASCADE,
        CONSTRAINT "CHK_subscription_delivery" CHECK ("webhook_url" IS NOT NULL OR "inbox"),
        CONSTRAINT "CHK_subscription_webhook_secret" CHECK (("webhook_url" IS NULL) = ("webhook_secret_ciphertext" IS NULL)),
        CONSTRAINT "CHK_subscription_previous_secret" CHECK (("previous_webhook_secret_ciphertext" IS NULL) = ("previous_secret_expires_at" IS NULL)),
        CONSTRAINT "CHK_subscription_state" CHECK ("state" IN ('active', 'disabled')),
        CONSTRAINT "CHK_subscription_projection" CHECK ("projection" IS NULL OR cardinality("projection") > 0)
      )`);
    await q.query(`CREATE INDEX "IDX_subscription_agency" ON "subscription" ("agency_code")`);
    await q.query(`CREATE INDEX "IDX_subscription_event_type" ON "subscription" ("event_type")`);
    // One subscription per (agency, type, webhook URL), and one per (agency, type) to the inbox.
    await q.query(`CREATE UNIQUE INDEX "UQ_subscription_webhook" ON "subscription" ("agency_code", "event_type", "webhook_url") WHERE "webhook_url" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "UQ_subscription_inbox" ON "subscription" ("agency_code", "event_type") WHERE "inbox"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "subscription"`);
  }
}
