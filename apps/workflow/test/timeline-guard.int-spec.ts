// What may enter a transaction, through a real broker, Postgres and schema registry: an event
// carrying a transaction's id from an agency that is not party to it is refused (recorded with
// outcome `refused`, never shown in the timeline, never applied), and events held for later
// (before their transaction or their step) expire after WORKFLOW_HELD_TTL.
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowEventEntity, WorkflowTimelineEntity } from '@rabt/persistence';
import { eventually } from '@rabt/testing';
import { MOCI, REPORTED, ROP, startWorkflowHarness, type WorkflowHarness } from './workflow.harness';

let h: WorkflowHarness;
let app: NestFastifyApplication;

beforeAll(async () => {
  h = await startWorkflowHarness(20492, { WORKFLOW_HELD_TTL: '3s', WORKFLOW_HELD_SWEEP_MS: '200' });
  app = await h.startInProcess();
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const newTx = () => `tx-${randomUUID()}`;
const stepStates = async (id: string) => (await h.transaction(id)).steps.map((s) => s.state);
const outcomeOf = async (transactionId: string, eventId: string) => (await h.db.manager.findOneBy(WorkflowEventEntity, { transactionId, eventId }))?.outcome;
const timeline = async (transactionId: string) => h.db.manager.find(WorkflowTimelineEntity, { where: { transactionId }, order: { at: 'ASC' } });

describe('events from agencies not party to the transaction', () => {
  it("epay publishing ROP's step event (under a publish grant) with a running transaction's id is refused: not applied, not in the timeline", async () => {
    const id = newTx();
    await h.publish(REPORTED, id, `${id}-report`);
    await eventually(async () => (await stepStates(id)).join() === 'waiting,pending,pending');
    await h.publish(ROP, id, `${id}-epay`, undefined, 'epay');
    await eventually(async () => (await outcomeOf(id, `${id}-epay`)) !== undefined, 30_000);
    expect(await outcomeOf(id, `${id}-epay`)).toBe('refused');
    expect((await timeline(id)).filter((l) => l.agency === 'epay' || l.eventId === `${id}-epay`)).toEqual([]);
    expect(await stepStates(id)).toEqual(['waiting', 'pending', 'pending']);
  });

  it('one that arrives before the transaction started is refused too, and stays out of the timeline once it starts', async () => {
    const id = newTx();
    await h.publish(ROP, id, `${id}-epay-early`, undefined, 'epay');
    await eventually(async () => (await outcomeOf(id, `${id}-epay-early`)) !== undefined, 30_000);
    expect(await outcomeOf(id, `${id}-epay-early`)).toBe('refused');
    await h.publish(REPORTED, id, `${id}-report`);
    await eventually(async () => (await stepStates(id)).join() === 'waiting,pending,pending');
    expect((await timeline(id)).filter((l) => l.agency === 'epay' || l.eventId === `${id}-epay-early`)).toEqual([]);
    expect(await outcomeOf(id, `${id}-epay-early`)).toBe('refused');
  });
});

describe('held events expire', () => {
  it('an event held before its transaction started is dropped after WORKFLOW_HELD_TTL', async () => {
    const id = newTx();
    await h.publish(ROP, id, `${id}-rop-early`);
    await eventually(async () => (await outcomeOf(id, `${id}-rop-early`)) === 'held', 30_000);
    await eventually(async () => (await outcomeOf(id, `${id}-rop-early`)) === 'expired', 15_000);
    // The transaction starting later does not bring it back.
    await h.publish(REPORTED, id, `${id}-report`);
    await eventually(async () => (await stepStates(id)).join() === 'waiting,pending,pending');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await stepStates(id)).toEqual(['waiting', 'pending', 'pending']);
    expect((await timeline(id)).map((l) => l.what)).toContainEqual(expect.stringMatching(/held for longer than 3s; dropped$/));
  });

  it('an event held until its step is current is dropped after WORKFLOW_HELD_TTL, and not applied when the step comes', async () => {
    const id = newTx();
    await h.publish(REPORTED, id, `${id}-report`);
    await eventually(async () => (await stepStates(id)).join() === 'waiting,pending,pending');
    await h.publish(MOCI, id, `${id}-moci-early`);
    await eventually(async () => (await outcomeOf(id, `${id}-moci-early`)) === 'held', 30_000);
    await eventually(async () => (await outcomeOf(id, `${id}-moci-early`)) === 'expired', 15_000);
    await h.publish(ROP, id, `${id}-rop`);
    await eventually(async () => (await stepStates(id)).join() === 'completed,waiting,pending');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await stepStates(id)).toEqual(['completed', 'waiting', 'pending']);
    const lines = (await timeline(id)).filter((l) => l.eventId === `${id}-moci-early`).map((l) => l.what);
    expect(lines).toEqual([expect.stringMatching(/kept and applied when it is$/), expect.stringMatching(/held for longer than 3s; dropped$/)]);
  });
});
