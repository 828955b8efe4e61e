import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dispatcher claims due deliveries per subscription (at most what its endpoint takes now), so
 * the due index leads with the subscription. The old one, by time alone, has no reader left.
 */
export class ClaimDeliveriesBySubscription1764480550000 implements MigrationInterface {
  name = 'ClaimDeliveriesBySubscription1764480550000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_delivery_due_by_subscription" ON "delivery" ("subscription_id", "next_attempt_at") WHERE "state" IN ('pending', 'delivering', 'retrying')`);
    await q.query(`DROP INDEX "IDX_delivery_due"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_delivery_due" ON "delivery" ("next_attempt_at") WHERE "state" IN ('pending', 'delivering', 'retrying')`);
    await q.query(`DROP INDEX "IDX_delivery_due_by_subscription"`);
  }
}
