import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The workflow service's tables: transactions, their steps, taken-in events, SLA timers, outbox, timeline. */
export class CreateWorkflowTransactions1764480600000 implements MigrationInterface {
  name = 'CreateWorkflowTransactions1764480600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "workflow_transaction" (
        "id" varchar(64) NOT NULL,
        "workflow" varchar(100) NOT NULL,
        "workflow_version" integer NOT NULL,
        "state" varchar(16) NOT NULL,
        "trigger_type" varchar(200) NOT NULL,
        "trigger_agency" varchar(16) NOT NULL,
        "withdrawal_type" varchar(200),
        "withdrawal_agency" varchar(16),
        "parties" text array NOT NULL,
        "started_at" timestamptz NOT NULL,
        "completed_at" timestamptz,
        "withdrawn_at" timestamptz,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "PK_workflow_transaction" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_workflow_transaction_state" CHECK ("state" IN ('running', 'completed', 'compensating', 'compensated'))
      )`);
    await q.query(`CREATE INDEX "IDX_workflow_transaction_state" ON "workflow_transaction" ("state", "started_at")`);
    await q.query(`
      CREATE TABLE "workflow_step" (
        "transaction_id" varchar(64) NOT NULL,
        "seq" integer NOT NULL,
        "name" varchar(100) NOT NULL,
        "agency" varchar(16) NOT NULL,
        "awaits" varchar(200) NOT NULL,
        "sla_ms" bigint NOT NULL,
        "state" varchar(16) NOT NULL,
        "became_current_at" timestamptz,
        "sla_due_at" timestamptz,
        "completed_at" timestamptz,
        "event_source" varchar(200),
        "event_id" varchar(200),
        "breached_at" timestamptz,
        "compensation_agency" varchar(16),
        "compensation_awaits" varchar(200),
        "compensation_sla_ms" bigint,
        "compensation_started_at" timestamptz,
        "compensation_due_at" timestamptz,
        "compensated_at" timestamptz,
        "compensation_event_id" varchar(200),
        "compensation_breached_at" timestamptz,
        CONSTRAINT "PK_workflow_step" PRIMARY KEY ("transaction_id", "seq"),
        CONSTRAINT "CHK_workflow_step_state" CHECK ("state" IN ('waiting', 'pending', 'completed', 'breached', 'compensating', 'compensated', 'skipped'))
      )`);
    // No foreign key to workflow_transaction: an event may arrive before the trigger that starts its transaction.
    await q.query(`
      CREATE TABLE "workflow_event" (
        "transaction_id" varchar(64) NOT NULL,
        "event_source" varchar(200) NOT NULL,
        "event_id" varchar(200) NOT NULL,
        "seq" BIGSERIAL NOT NULL,
        "event_type" varchar(200) NOT NULL,
        "agency" varchar(16) NOT NULL,
        "event_time" timestamptz NOT NULL,
        "received_at" timestamptz NOT NULL,
        "outcome" varchar(16) NOT NULL,
        CONSTRAINT "PK_workflow_event" PRIMARY KEY ("transaction_id", "event_source", "event_id"),
        CONSTRAINT "CHK_workflow_event_outcome" CHECK ("outcome" IN ('applied', 'held', 'ignored'))
      )`);
    await q.query(`CREATE INDEX "IDX_workflow_event_held" ON "workflow_event" ("transaction_id", "seq") WHERE "outcome" = 'held'`);
    await q.query(`
      CREATE TABLE "workflow_timer" (
        "transaction_id" varchar(64) NOT NULL,
        "step_seq" integer NOT NULL,
        "kind" varchar(16) NOT NULL,
        "due_at" timestamptz NOT NULL,
        "fired_at" timestamptz,
        CONSTRAINT "PK_workflow_timer" PRIMARY KEY ("transaction_id", "step_seq", "kind"),
        CONSTRAINT "CHK_workflow_timer_kind" CHECK ("kind" IN ('step', 'compensation'))
      )`);
    await q.query(`CREATE INDEX "IDX_workflow_timer_due" ON "workflow_timer" ("due_at") WHERE "fired_at" IS NULL`);
    await q.query(`
      CREATE TABLE "workflow_outbox" (
        "seq" BIGSERIAL NOT NULL,
        "event_id" varchar(200) NOT NULL,
        "transaction_id" varchar(64) NOT NULL,
        "event_type" varchar(200) NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "data" jsonb NOT NULL,
        "published_at" timestamptz,
        CONSTRAINT "PK_workflow_outbox" PRIMARY KEY ("seq")
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_workflow_outbox_event" ON "workflow_outbox" ("event_id")`);
    await q.query(`CREATE INDEX "IDX_workflow_outbox_unpublished" ON "workflow_outbox" ("seq") WHERE "published_at" IS NULL`);
    await q.query(`
      CREATE TABLE "workflow_timeline" (
        "id" BIGSERIAL NOT NULL,
        "transaction_id" varchar(64) NOT NULL,
        "at" timestamptz NOT NULL,
        "agency" varchar(16) NOT NULL,
        "event_type" varchar(200) NOT NULL,
        "event_id" varchar(200) NOT NULL,
        "what" text NOT NULL,
        CONSTRAINT "PK_workflow_timeline" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE INDEX "IDX_workflow_timeline_transaction" ON "workflow_timeline" ("transaction_id", "at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['workflow_timeline', 'workflow_outbox', 'workflow_timer', 'workflow_event', 'workflow_step', 'workflow_transaction']) await q.query(`DROP TABLE "${table}"`);
  }
}
