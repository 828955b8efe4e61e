import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operator accounts: a lock lasts until `locked_until` (time-boxed, longer for each further lock
 * counted in `lock_count`) rather than until an admin acts; an admin may disable an account
 * (`disabled_at`), which no password opens. Accounts locked now stay locked for 15 minutes.
 */
export class OperatorLockBoxAndDisable1765300000001 implements MigrationInterface {
  name = 'OperatorLockBoxAndDisable1765300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "operator" ADD "locked_until" timestamptz`);
    await q.query(`ALTER TABLE "operator" ADD "lock_count" integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "operator" ADD "disabled_at" timestamptz`);
    await q.query(`UPDATE "operator" SET "locked_until" = now() + interval '15 minutes', "lock_count" = 1, "failed_attempts" = 0 WHERE "locked_at" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "operator" DROP COLUMN "disabled_at"`);
    await q.query(`ALTER TABLE "operator" DROP COLUMN "lock_count"`);
    await q.query(`ALTER TABLE "operator" DROP COLUMN "locked_until"`);
  }
}
