import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dispatcher's per-key lookup ("is an open delivery of this subscription and key before this
 * one?") must probe IDX_delivery_open_key. The due index, also leading with subscription_id and
 * limited to the same states, could serve it too, reading every open delivery of the subscription
 * per probe; with statistics that lag a burst of new rows the planner rated the two alike and
 * took either. The due index now also requires `next_attempt_at IS NOT NULL`, which the claim's
 * `next_attempt_at <= now()` implies (and the column is NOT NULL, so it covers the same rows) but
 * the key lookup does not: the planner cannot use it there. Plain CREATE INDEX, like the others:
 * it locks the table against writes while it builds, so apply it with the dispatchers stopped on
 * a large table.
 */
export class DueIndexApartFromKeyLookups1764480900000 implements MigrationInterface {
  name = 'DueIndexApartFromKeyLookups1764480900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "IDX_delivery_due_claim" ON "delivery" ("subscription_id", "next_attempt_at") WHERE "state" IN ('pending', 'delivering', 'retrying') AND "next_attempt_at" IS NOT NULL`,
    );
    await q.query(`DROP INDEX "IDX_delivery_due_by_subscription"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_delivery_due_by_subscription" ON "delivery" ("subscription_id", "next_attempt_at") WHERE "state" IN ('pending', 'delivering', 'retrying')`);
    await q.query(`DROP INDEX "IDX_delivery_due_claim"`);
  }
}
