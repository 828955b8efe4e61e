import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ops service: operator accounts and sessions; dead letters get an error code (classified
 * here for the existing ones, by the dispatcher from now on) and a state; a replayed delivery
 * remembers when (its maximum age counts from then) and how many attempts came before (its
 * retry schedule starts over); bulk replays are rows of replay_job.
 */
export class CreateOperatorsAndReplays1764480800000 implements MigrationInterface {
  name = 'CreateOperatorsAndReplays1764480800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "operator" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "username" varchar(64) NOT NULL,
        "display_name" varchar(200) NOT NULL,
        "role" varchar(16) NOT NULL,
        "agency_code" varchar(16),
        "password_hash" text NOT NULL,
        "failed_attempts" integer NOT NULL DEFAULT 0,
        "locked_at" timestamptz,
        "last_sign_in_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_operator" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_operator_role" CHECK ("role" IN ('viewer', 'operator', 'admin')),
        CONSTRAINT "CHK_operator_username" CHECK ("username" ~ '^[a-z0-9][a-z0-9._-]{1,63}$')
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_operator_username" ON "operator" ("username")`);
    await q.query(`
      CREATE TABLE "operator_session" (
        "token_hash" char(64) NOT NULL,
        "operator_id" uuid NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "last_seen_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        CONSTRAINT "PK_operator_session" PRIMARY KEY ("token_hash"),
        CONSTRAINT "FK_operator_session_operator" FOREIGN KEY ("operator_id") REFERENCES "operator"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_operator_session_operator" ON "operator_session" ("operator_id")`);

    await q.query(`ALTER TABLE "dead_letter" ADD "error_code" varchar(32) NOT NULL DEFAULT 'OTHER'`);
    await q.query(`ALTER TABLE "dead_letter" ADD "state" varchar(16) NOT NULL DEFAULT 'open'`);
    await q.query(`ALTER TABLE "dead_letter" ADD CONSTRAINT "CHK_dead_letter_state" CHECK ("state" IN ('open', 'replaying', 'replayed', 'discarded'))`);
    // The same rules as classifyDeadLetterError (dead-letter.error-code.ts), in SQL, once.
    await q.query(`
      UPDATE "dead_letter" SET "error_code" = CASE
        WHEN "last_error" LIKE 'refused by the SSRF guard%' THEN 'ADDRESS_REFUSED'
        WHEN "last_error" ~* 'maximum age' THEN 'MAX_AGE'
        WHEN "last_status" BETWEEN 400 AND 499 THEN 'HTTP_4XX'
        WHEN "last_status" BETWEEN 500 AND 599 THEN 'HTTP_5XX'
        WHEN "last_status" IS NULL AND "last_error" ~* 'timed out|timeout' THEN 'TIMEOUT'
        WHEN "last_status" IS NULL AND "last_error" ~* 'ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up|connect|DNS|resolve' THEN 'CONNECTION'
        ELSE 'OTHER' END,
        "state" = CASE WHEN "discarded_at" IS NOT NULL THEN 'discarded' WHEN "replayed_at" IS NOT NULL THEN 'replayed' ELSE 'open' END`);
    await q.query(`CREATE INDEX "IDX_dead_letter_state_created" ON "dead_letter" ("state", "created_at", "id")`);

    await q.query(`ALTER TABLE "delivery" ADD "replayed_at" timestamptz`);
    await q.query(`ALTER TABLE "delivery" ADD "attempts_before_replay" integer NOT NULL DEFAULT 0`);

    await q.query(`
      CREATE TABLE "replay_job" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "state" varchar(16) NOT NULL DEFAULT 'running',
        "filter" jsonb NOT NULL,
        "scope_agency" varchar(16),
        "reason" text NOT NULL,
        "requested_by" varchar(64) NOT NULL,
        "total" integer NOT NULL,
        "done" integer NOT NULL DEFAULT 0,
        "skipped" integer NOT NULL DEFAULT 0,
        "rate_per_second" integer NOT NULL,
        "up_to" timestamptz NOT NULL,
        "position_created_at" timestamptz,
        "position_id" uuid,
        "error" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "finished_at" timestamptz,
        CONSTRAINT "PK_replay_job" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_replay_job_state" CHECK ("state" IN ('running', 'completed', 'failed'))
      )`);
    await q.query(`CREATE INDEX "IDX_replay_job_state" ON "replay_job" ("state", "created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "replay_job"`);
    await q.query(`ALTER TABLE "delivery" DROP COLUMN "attempts_before_replay"`);
    await q.query(`ALTER TABLE "delivery" DROP COLUMN "replayed_at"`);
    await q.query(`DROP INDEX "IDX_dead_letter_state_created"`);
    await q.query(`ALTER TABLE "dead_letter" DROP CONSTRAINT "CHK_dead_letter_state"`);
    await q.query(`ALTER TABLE "dead_letter" DROP COLUMN "state"`);
    await q.query(`ALTER TABLE "dead_letter" DROP COLUMN "error_code"`);
    await q.query(`DROP TABLE "operator_session"`);
    await q.query(`DROP TABLE "operator"`);
  }
}
