import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two more outcomes of a workflow event: `refused` (its agency is not party to the transaction,
 * or to any workflow that awaits its type from that agency) and `expired` (held for longer than
 * WORKFLOW_HELD_TTL, then dropped). The expiry sweep looks held events up by when they arrived.
 */
export class WorkflowEventRefusedAndExpired1765500000001 implements MigrationInterface {
  name = 'WorkflowEventRefusedAndExpired1765500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "workflow_event" DROP CONSTRAINT "CHK_workflow_event_outcome"`);
    await q.query(`ALTER TABLE "workflow_event" ADD CONSTRAINT "CHK_workflow_event_outcome" CHECK ("outcome" IN ('applied', 'held', 'ignored', 'refused', 'expired'))`);
    await q.query(`CREATE INDEX "IDX_workflow_event_held_since" ON "workflow_event" ("received_at") WHERE "outcome" = 'held'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_workflow_event_held_since"`);
    await q.query(`UPDATE "workflow_event" SET "outcome" = 'ignored' WHERE "outcome" IN ('refused', 'expired')`);
    await q.query(`ALTER TABLE "workflow_event" DROP CONSTRAINT "CHK_workflow_event_outcome"`);
    await q.query(`ALTER TABLE "workflow_event" ADD CONSTRAINT "CHK_workflow_event_outcome" CHECK ("outcome" IN ('applied', 'held', 'ignored'))`);
  }
}
