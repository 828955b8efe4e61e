// The built service killed -9 mid-transaction: after a restart it resumes where Postgres says it
// was — events published while it was down are applied, the SLA timer set before the crash still
// fires (once), and the outbox is relayed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventTypes } from '@rabt/contracts';
import { eventually } from '@rabt/testing';
import { MOCI, MOM, REPORTED, ROP, startWorkflowHarness, type WorkflowHarness } from './workflow.harness';

let h: WorkflowHarness;

beforeAll(async () => {
  h = await startWorkflowHarness(20094, { WORKFLOW_SLA_OVERRIDE: '5s' });
});
afterAll(async () => {
  await h?.close();
});

const stepStates = async (id: string) => (await h.transaction(id)).steps.map((s) => s.state);

describe('workflow service across kill -9', () => {
  it('resumes the transaction, its SLA timer and its outbox after a restart', async () => {
    const id = `tx-${randomUUID()}`;
    const other = `tx-${randomUUID()}`;
    const first = await h.startProcess();
    await h.publish(REPORTED, id, `${id}-report`);
    await h.publish(ROP, id, `${id}-rop`);
    await eventually(async () => (await stepStates(id)).join() === 'completed,waiting,pending');
    const dueAt = (await h.transaction(id)).steps[1]!.slaDueAt!;
    await first.kill();

    // While it is down: another transaction starts and goes one step on.
    await h.publish(REPORTED, other, `${other}-report`);
    await h.publish(ROP, other, `${other}-rop`);

    const second = await h.startProcess();
    await eventually(async () => (await stepStates(other)).join() === 'completed,waiting,pending', 60_000);
    // The timer set before the crash fires after the restart.
    await eventually(async () => (await stepStates(id))[1] === 'breached', 60_000);
    expect((await h.transaction(id)).steps[1]!.breachedAt!.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
    await h.publish(MOCI, id, `${id}-moci`);
    await h.publish(MOM, id, `${id}-mom`);
    await eventually(async () => (await h.transaction(id)).tx?.state === 'completed', 30_000);

    expect(await h.emitted(id, EventTypes.RabtTransactionSlaBreached, 'update-labour-record')).toBe(1);
    expect(await h.emitted(id, EventTypes.RabtTransactionStepCompleted)).toBe(3);
    expect(await h.emitted(id, EventTypes.RabtTransactionCompleted)).toBe(1);
    await eventually(async () => {
      const rows: { n: string }[] = await h.db.query(`SELECT count(*) AS n FROM workflow_outbox WHERE published_at IS NULL`);
      return rows[0]!.n === '0';
    });
    const completed = await h.read(EventTypes.RabtTransactionCompleted, id, 1);
    expect(completed).toHaveLength(1);
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(/rabt_workflow_events_total\{[^}]*outcome="applied"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/rabt_workflow_sla_breaches_total\{[^}]*\} [1-9]/);
  }, 180_000);
});
