// The engine against a real broker, Postgres and schema registry: agencies' events are produced
// straight to Kafka (as the gateway would), the service runs in process with 5 s SLAs.
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventTypes } from '@rabt/contracts';
import { eventually } from '@rabt/testing';
import { emissionId } from '../src/engine/emission-id';
import { MOCI, MOCI_UNDO, MOM, REPORTED, ROP, ROP_UNDO, startWorkflowHarness, WITHDRAWN, type WorkflowHarness } from './workflow.harness';

let h: WorkflowHarness;
let app: NestFastifyApplication;

beforeAll(async () => {
  h = await startWorkflowHarness(20092, { WORKFLOW_SLA_OVERRIDE: '5s' });
  app = await h.startInProcess();
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const newTx = () => `tx-${randomUUID()}`;
const stateOf = async (id: string) => (await h.transaction(id)).tx?.state;
const stepStates = async (id: string) => (await h.transaction(id)).steps.map((s) => s.state);

describe('transactions end to end through Kafka', () => {
  it('MoM report → ROP → MOCI → MoM: completed, with step-completed ×3 and completed on Kafka as Avro CloudEvents from ita', async () => {
    const id = newTx();
    await h.publish(REPORTED, id, `${id}-report`);
    await eventually(async () => (await stepStates(id)).join() === 'waiting,pending,pending');
    await h.publish(ROP, id, `${id}-rop`);
    await eventually(async () => (await stepStates(id))[1] === 'waiting');
    await h.publish(MOCI, id, `${id}-moci`);
    await eventually(async () => (await stepStates(id))[2] === 'waiting');
    await h.publish(MOM, id, `${id}-mom`);
    await eventually(async () => (await stateOf(id)) === 'completed');

    const { tx, steps } = await h.transaction(id);
    expect(tx).toMatchObject({ workflow: 'employee-left-work', workflowVersion: 1, parties: ['mom', 'rop', 'moci'] });
    expect(tx!.completedAt).toBeInstanceOf(Date);
    expect(steps.map((s) => [s.name, s.state, s.eventId])).toEqual([
      ['register-absconding', 'completed', `${id}-rop`],
      ['update-labour-record', 'completed', `${id}-moci`],
      ['suspend-work-permit', 'completed', `${id}-mom`],
    ]);

    const [completed] = await h.read(EventTypes.RabtTransactionCompleted, id, 1);
    expect(completed!.headers).toMatchObject({
      ce_id: emissionId(id, EventTypes.RabtTransactionCompleted, null),
      ce_source: 'urn:rabt:agency:ita',
      ce_type: EventTypes.RabtTransactionCompleted,
      ce_transactionid: id,
      ce_subject: id,
    });
    expect(completed!.key).toBe(id);
    expect(await h.serde.decode(completed!.value)).toMatchObject({ transactionId: id, workflow: 'employee-left-work', workflowVersion: 1, agencies: ['mom', 'rop', 'moci'] });
    const stepsDone = await h.read(EventTypes.RabtTransactionStepCompleted, id, 3);
    const decoded = await Promise.all(stepsDone.map(async (r) => (await h.serde.decode(r.value)) as { step: string; agency: string }));
    expect(decoded.map((d) => `${d.step}/${d.agency}`).sort()).toEqual(['register-absconding/rop', 'suspend-work-permit/mom', 'update-labour-record/moci']);
  });

  it('duplicates and a full replay of every topic by a second service in a new group never double-advance', async () => {
    const id = newTx();
    await h.publish(REPORTED, id, `${id}-report`);
    await h.publish(REPORTED, id, `${id}-report`);
    await h.publish(ROP, id, `${id}-rop`);
    await h.publish(ROP, id, `${id}-rop`);
    await h.publish(ROP, id, `${id}-rop-again`); // another id, same fact: recorded, ignored
    await h.publish(MOCI, id, `${id}-moci`);
    const twoDone = async () => /^completed,completed,(waiting|breached)$/.test((await stepStates(id)).join());
    await eventually(twoDone);
    // SLA breaches are left out: with 5 s SLAs the waiting step may breach meanwhile, replay or not.
    const advances = `SELECT count(*) AS n FROM workflow_outbox WHERE event_type <> '${EventTypes.RabtTransactionSlaBreached}'`;
    const outboxBefore: { n: string }[] = await h.db.query(advances);
    const events: { event_id: string; outcome: string }[] = await h.db.query(`SELECT event_id, outcome FROM workflow_event WHERE transaction_id = $1 ORDER BY event_id`, [id]);
    // Topics are read independently: compare what became of each event, not the arrival order.
    expect(events).toEqual([
      { event_id: `${id}-moci`, outcome: 'applied' },
      { event_id: `${id}-report`, outcome: 'applied' },
      { event_id: `${id}-rop`, outcome: 'applied' },
      { event_id: `${id}-rop-again`, outcome: 'ignored' },
    ]);
    expect(await h.emitted(id, EventTypes.RabtTransactionStepCompleted)).toBe(2);

    // A second instance in a fresh group reads every topic from the beginning: all of it again.
    const replayGroup = `rabt-workflow-replay-${randomUUID()}`;
    const replay = await h.startInProcess({ WORKFLOW_GROUP_ID: replayGroup });
    try {
      const lag = async () => {
        const rows: { n: string }[] = await h.db.query(`SELECT count(*) AS n FROM workflow_event`);
        return Number(rows[0]!.n);
      };
      const seen = await lag();
      // Once the replaying group has committed to the end of every topic this transaction used, it has re-read all of it.
      await eventually(async () => {
        const admin = h.kafka.admin();
        await admin.connect();
        try {
          for (const topic of [REPORTED, ROP, MOCI]) {
            const [offsets] = await admin.fetchOffsets({ groupId: replayGroup, topics: [topic] });
            const ends = await admin.fetchTopicOffsets(topic);
            // An empty partition has nothing to commit.
            if (!ends.every((e) => e.high === '0' || offsets!.partitions.find((p) => p.partition === e.partition)?.offset === e.high)) return false;
          }
          return true;
        } finally {
          await admin.disconnect();
        }
      }, 30_000);
      expect(await lag()).toBe(seen);
    } finally {
      await replay.close();
    }
    const outboxAfter: { n: string }[] = await h.db.query(advances);
    expect(outboxAfter[0]!.n).toBe(outboxBefore[0]!.n);
    expect(await twoDone()).toBe(true);
    expect(await h.emitted(id, EventTypes.RabtTransactionStepCompleted)).toBe(2);
  });

  it('an event that arrives before its step is kept and applied when its step becomes current', async () => {
    const id = newTx();
    await h.publish(REPORTED, id, `${id}-report`);
    await h.publish(MOCI, id, `${id}-moci`);
    await eventually(async () => {
      const rows: { outcome: string }[] = await h.db.query(`SELECT outcome FROM workflow_event WHERE transaction_id = $1 AND event_id = $2`, [id, `${id}-moci`]);
      return rows[0]?.outcome === 'held';
    });
    expect(await stepStates(id)).toEqual(['waiting', 'pending', 'pending']);
    await h.publish(ROP, id, `${id}-rop`);
    await eventually(async () => (await stepStates(id)).join() === 'completed,completed,waiting');
    expect((await h.transaction(id)).steps[1]!.eventId).toBe(`${id}-moci`);
  });

  it('a step past its SLA is marked breached and sla-breached is emitted once; the step still completes', async () => {
    const id = newTx();
    await h.publish(REPORTED, id, `${id}-report`);
    await eventually(async () => (await stepStates(id))[0] === 'breached', 20_000);
    expect(await h.emitted(id, EventTypes.RabtTransactionSlaBreached, 'register-absconding')).toBe(1);
    await h.publish(ROP, id, `${id}-rop`);
    await eventually(async () => (await stepStates(id)).join() === 'completed,waiting,pending');
    expect((await h.transaction(id)).steps[0]!.breachedAt).toBeInstanceOf(Date);
    // Let the next step breach too: by then the poller has run many times over the first step.
    await eventually(async () => (await stepStates(id))[1] === 'breached', 20_000);
    expect(await h.emitted(id, EventTypes.RabtTransactionSlaBreached, 'register-absconding')).toBe(1);
    expect(await h.emitted(id, EventTypes.RabtTransactionSlaBreached, 'update-labour-record')).toBe(1);
    const breaches = await h.read(EventTypes.RabtTransactionSlaBreached, id, 2);
    expect(breaches).toHaveLength(2);
    expect(await h.serde.decode(breaches.find((b) => b.headers['ce_id'] === emissionId(id, EventTypes.RabtTransactionSlaBreached, 'register-absconding'))!.value)).toMatchObject({
      step: 'register-absconding',
      agency: 'rop',
      slaSeconds: 5,
    });
  });

  it('a withdrawal after two steps awaits both compensations, then emits compensated', async () => {
    const id = newTx();
    await h.publish(REPORTED, id, `${id}-report`);
    await h.publish(ROP, id, `${id}-rop`);
    await h.publish(MOCI, id, `${id}-moci`);
    await eventually(async () => (await stepStates(id))[2] === 'waiting');
    await h.publish(WITHDRAWN, id, `${id}-withdrawn`);
    await eventually(async () => (await stateOf(id)) === 'compensating');
    expect(await stepStates(id)).toEqual(['completed', 'compensating', 'skipped']);
    await h.publish(ROP_UNDO, id, `${id}-rop-undo`); // ROP is quicker than MOCI: kept until its turn
    await h.publish(MOCI_UNDO, id, `${id}-moci-undo`);
    await eventually(async () => (await stateOf(id)) === 'compensated');
    expect(await stepStates(id)).toEqual(['compensated', 'compensated', 'skipped']);
    const [compensated] = await h.read(EventTypes.RabtTransactionCompensated, id, 1);
    expect(await h.serde.decode(compensated!.value)).toMatchObject({ triggerType: WITHDRAWN, compensatedSteps: ['update-labour-record', 'register-absconding'] });
    await h.publish(MOM, id, `${id}-mom-late`);
    await eventually(async () => {
      const rows: { outcome: string }[] = await h.db.query(`SELECT outcome FROM workflow_event WHERE event_id = $1`, [`${id}-mom-late`]);
      return rows.length === 1;
    });
    expect(await h.emitted(id, EventTypes.RabtTransactionCompensated)).toBe(1);
    expect(await h.emitted(id, EventTypes.RabtTransactionCompleted)).toBe(0);
  });

  it('a withdrawal before any step is done compensates at once', async () => {
    const id = newTx();
    await h.publish(REPORTED, id, `${id}-report`);
    await eventually(async () => (await stateOf(id)) === 'running');
    await h.publish(WITHDRAWN, id, `${id}-withdrawn`);
    await eventually(async () => (await stateOf(id)) === 'compensated');
    expect(await stepStates(id)).toEqual(['skipped', 'skipped', 'skipped']);
    const [compensated] = await h.read(EventTypes.RabtTransactionCompensated, id, 1);
    expect(await h.serde.decode(compensated!.value)).toMatchObject({ compensatedSteps: [] });
  });

  it('the second workflow (worker-service-transfer) runs on the same engine from its definition alone', async () => {
    const id = newTx();
    await h.publish('mom.worker.service-transfer-requested', id, `${id}-request`);
    await h.publish('epay.payment.fee-settled', id, `${id}-fee`);
    await h.publish('rop.residence.sponsor-transferred', id, `${id}-sponsor`);
    await h.publish('mom.worker.service-transfer-approved', id, `${id}-approved`);
    await eventually(async () => (await stateOf(id)) === 'completed');
    const { tx, steps } = await h.transaction(id);
    expect(tx).toMatchObject({ workflow: 'worker-service-transfer', parties: ['mom', 'epay', 'rop'] });
    expect(steps.map((s) => `${s.name}/${s.agency}/${s.state}`)).toEqual(['settle-transfer-fee/epay/completed', 'transfer-sponsorship/rop/completed', 'approve-transfer/mom/completed']);
    const [completed] = await h.read(EventTypes.RabtTransactionCompleted, id, 1);
    expect(await h.serde.decode(completed!.value)).toMatchObject({ workflow: 'worker-service-transfer', agencies: ['mom', 'epay', 'rop'] });
  });
});
