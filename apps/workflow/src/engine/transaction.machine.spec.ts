import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../definitions/workflow-definition';
import { emissionId } from './emission-id';
import { TransactionMachine, type IncomingEvent, type TransactionSnapshot } from './transaction.machine';

const HOUR = 3_600_000;
const definition: WorkflowDefinition = {
  name: 'employee-left-work',
  version: 1,
  title: { en: 't', ar: 't' },
  trigger: { agency: 'mom', type: 'mom.employee.left-work-reported' },
  withdrawal: { agency: 'mom', type: 'mom.employee.left-work-withdrawn' },
  steps: [
    { name: 'register-absconding', agency: 'rop', awaits: 'rop.residence.absconding-registered', slaMs: HOUR, compensation: { agency: 'rop', awaits: 'rop.residence.absconding-cancelled', slaMs: HOUR } },
    { name: 'update-labour-record', agency: 'moci', awaits: 'moci.employer.labour-record-updated', slaMs: 2 * HOUR, compensation: { agency: 'moci', awaits: 'moci.employer.labour-record-reverted', slaMs: HOUR } },
    { name: 'suspend-work-permit', agency: 'mom', awaits: 'mom.work-permit.suspended', slaMs: HOUR, compensation: { agency: 'mom', awaits: 'mom.work-permit.reinstated', slaMs: HOUR } },
  ],
};

const T0 = new Date('2026-11-30T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
let n = 0;
const ev = (type: string, minutes = 0): IncomingEvent => ({ source: `urn:rabt:agency:${type.split('.')[0]}`, id: `e-${++n}`, type, agency: type.split('.')[0]!, time: at(minutes) });
const REPORTED = 'mom.employee.left-work-reported';
const ROP = 'rop.residence.absconding-registered';
const MOCI = 'moci.employer.labour-record-updated';
const MOM = 'mom.work-permit.suspended';
const WITHDRAWN = 'mom.employee.left-work-withdrawn';
const ROP_UNDO = 'rop.residence.absconding-cancelled';
const MOCI_UNDO = 'moci.employer.labour-record-reverted';
const MOM_UNDO = 'mom.work-permit.reinstated';

/** Feeds events one by one the way the engine does: receive, then drain what is held. */
function run(events: IncomingEvent[], minutes = 1) {
  const [trigger, ...rest] = events;
  let machine = TransactionMachine.start(definition, 'tx-1', trigger!, at(0));
  const emitted = [...machine.effects.emissions];
  const outcomes: string[] = ['applied'];
  let held: IncomingEvent[] = [];
  let tx: TransactionSnapshot = machine.tx;
  rest.forEach((e, i) => {
    machine = TransactionMachine.resume(tx, at((i + 1) * minutes));
    const outcome = machine.receive(e);
    outcomes.push(outcome);
    if (outcome === 'held') held.push(e);
    const drained = machine.drain(held);
    held = held.filter((h) => !drained.some((d) => d.event === h));
    emitted.push(...machine.effects.emissions);
    tx = machine.tx;
  });
  return { tx, emitted, outcomes, held, types: emitted.map((e) => e.type), states: tx.steps.map((s) => s.state) };
}

describe('a transaction from its trigger', () => {
  it('starts running with the first step waiting (SLA clock set) and the others pending', () => {
    const m = TransactionMachine.start(definition, 'tx-1', ev(REPORTED), T0);
    expect(m.tx.state).toBe('running');
    expect(m.tx.steps.map((s) => s.state)).toEqual(['waiting', 'pending', 'pending']);
    expect(m.tx.steps[0]).toMatchObject({ becameCurrentAt: T0, slaDueAt: new Date(T0.getTime() + HOUR) });
    expect(m.effects.timersSet).toEqual([{ stepSeq: 0, kind: 'step', dueAt: new Date(T0.getTime() + HOUR) }]);
    expect(m.tx.parties).toEqual(['mom', 'rop', 'moci']);
    expect(m.effects.timeline[0]!.what).toMatch(/transaction started \(employee-left-work v1\)$/);
  });

  it('completes step by step, emitting step-completed for each and completed once at the end', () => {
    const r = run([ev(REPORTED), ev(ROP), ev(MOCI), ev(MOM)]);
    expect(r.tx.state).toBe('completed');
    expect(r.states).toEqual(['completed', 'completed', 'completed']);
    expect(r.types).toEqual(['rabt.transaction.step-completed', 'rabt.transaction.step-completed', 'rabt.transaction.step-completed', 'rabt.transaction.completed']);
    expect(r.emitted[3]!.data).toMatchObject({ transactionId: 'tx-1', workflow: 'employee-left-work', workflowVersion: 1, agencies: ['mom', 'rop', 'moci'], startedAt: T0.getTime() });
    expect(r.emitted[0]!.eventId).toBe(emissionId('tx-1', 'rabt.transaction.step-completed', 'register-absconding'));
    expect(r.tx.completedAt).toEqual(at(3));
  });

  it('an event for a later step is held, then applied as soon as its step is current', () => {
    const r = run([ev(REPORTED), ev(MOCI), ev(ROP)]);
    expect(r.outcomes).toEqual(['applied', 'held', 'applied']);
    expect(r.held).toEqual([]);
    expect(r.states).toEqual(['completed', 'completed', 'waiting']);
    expect(r.emitted.map((e) => e.data['step'])).toEqual(['register-absconding', 'update-labour-record']);
  });

  it('events all in reverse order still complete the transaction once', () => {
    const r = run([ev(REPORTED), ev(MOM), ev(MOCI), ev(ROP)]);
    expect(r.outcomes).toEqual(['applied', 'held', 'held', 'applied']);
    expect(r.tx.state).toBe('completed');
    expect(r.types.filter((t) => t === 'rabt.transaction.completed')).toHaveLength(1);
  });

  it('a second event for a completed step (another id) is ignored and emits nothing', () => {
    const r = run([ev(REPORTED), ev(ROP), ev(ROP), ev(REPORTED)]);
    expect(r.outcomes).toEqual(['applied', 'applied', 'ignored', 'ignored']);
    expect(r.types).toEqual(['rabt.transaction.step-completed']);
  });

  it('an event of another agency with the awaited type does not complete the step', () => {
    const m = TransactionMachine.start(definition, 'tx-1', ev(REPORTED), T0);
    const again = TransactionMachine.resume(m.tx, at(1));
    expect(again.receive({ ...ev(ROP), agency: 'moci' })).toBe('ignored');
    expect(again.tx.steps[0]!.state).toBe('waiting');
    expect(again.effects.timeline.at(-1)!.what).toMatch(/ignored: step register-absconding awaits it from ROP$/);
  });
});

describe('SLA', () => {
  it('a due step timer marks the step breached and emits sla-breached once; the step can still complete', () => {
    const m = TransactionMachine.start(definition, 'tx-1', ev(REPORTED), T0);
    const late = TransactionMachine.resume(m.tx, new Date(T0.getTime() + HOUR + 90_000));
    expect(late.fire({ stepSeq: 0, kind: 'step' })).toBe(true);
    expect(late.fire({ stepSeq: 0, kind: 'step' })).toBe(false);
    expect(late.tx.steps[0]).toMatchObject({ state: 'breached', breachedAt: late.tx.steps[0]!.breachedAt });
    expect(late.effects.emissions).toHaveLength(1);
    expect(late.effects.emissions[0]!.data).toMatchObject({ step: 'register-absconding', agency: 'rop', slaSeconds: 3600, overdueSeconds: 90 });
    expect(late.receive(ev(ROP))).toBe('applied');
    expect(late.tx.steps[0]!.state).toBe('completed');
    expect(late.tx.steps[0]!.breachedAt).not.toBeNull();
    expect(late.tx.steps[1]!.state).toBe('waiting');
  });

  it('a timer of a step that is no longer waiting raises nothing', () => {
    const r = run([ev(REPORTED), ev(ROP)]);
    const m = TransactionMachine.resume(r.tx, at(200));
    expect(m.fire({ stepSeq: 0, kind: 'step' })).toBe(false);
    expect(m.fire({ stepSeq: 2, kind: 'step' })).toBe(false);
    expect(m.effects.emissions).toEqual([]);
  });
});

describe('withdrawal', () => {
  it('with no step done: compensated at once, every step skipped, nothing to undo', () => {
    const r = run([ev(REPORTED), ev(WITHDRAWN)]);
    expect(r.tx.state).toBe('compensated');
    expect(r.states).toEqual(['skipped', 'skipped', 'skipped']);
    expect(r.types).toEqual(['rabt.transaction.compensated']);
    expect(r.emitted[0]!.data).toMatchObject({ triggerType: WITHDRAWN, compensatedSteps: [] });
  });

  it('a withdrawal kept from before the trigger compensates at once and leaves no SLA timer behind', () => {
    const m = TransactionMachine.start(definition, 'tx-1', ev(REPORTED), T0);
    m.drain([ev(WITHDRAWN)]);
    expect(m.tx.state).toBe('compensated');
    expect(m.effects.timersSet).toEqual([]);
    expect(m.effects.timersCleared).toEqual([{ stepSeq: 0, kind: 'step' }]);
  });

  it('awaits the compensations of the done steps latest first, then emits compensated with them in that order', () => {
    let r = run([ev(REPORTED), ev(ROP), ev(MOCI), ev(WITHDRAWN)]);
    expect(r.tx.state).toBe('compensating');
    expect(r.states).toEqual(['completed', 'compensating', 'skipped']);
    r = run([ev(REPORTED), ev(ROP), ev(MOCI), ev(WITHDRAWN), ev(ROP_UNDO), ev(MOCI_UNDO)]);
    expect(r.outcomes.slice(-2)).toEqual(['held', 'applied']);
    expect(r.tx.state).toBe('compensated');
    expect(r.states).toEqual(['compensated', 'compensated', 'skipped']);
    expect(r.emitted.at(-1)!.data).toMatchObject({ compensatedSteps: ['update-labour-record', 'register-absconding'] });
  });

  it('a completed transaction can be withdrawn too: all three steps are undone', () => {
    const r = run([ev(REPORTED), ev(ROP), ev(MOCI), ev(MOM), ev(WITHDRAWN), ev(MOCI_UNDO), ev(ROP_UNDO), ev(MOM_UNDO)]);
    expect(r.tx.state).toBe('compensated');
    expect(r.types.filter((t) => t === 'rabt.transaction.compensated')).toHaveLength(1);
  });

  it('a forward event after the withdrawal is recorded, does not advance, and its step must be undone too', () => {
    const r = run([ev(REPORTED), ev(ROP), ev(WITHDRAWN), ev(MOCI)]);
    expect(r.tx.state).toBe('compensating');
    expect(r.types).toEqual(['rabt.transaction.step-completed']);
    expect(r.states).toEqual(['compensating', 'completed', 'skipped']);
    const done = run([ev(REPORTED), ev(ROP), ev(WITHDRAWN), ev(MOCI), ev(ROP_UNDO), ev(MOCI_UNDO)]);
    expect(done.tx.state).toBe('compensated');
    expect(done.emitted.at(-1)!.data['compensatedSteps']).toEqual(['register-absconding', 'update-labour-record']);
  });

  it('a second withdrawal, and forward events of done steps, are ignored', () => {
    const r = run([ev(REPORTED), ev(WITHDRAWN), ev(WITHDRAWN)]);
    expect(r.outcomes).toEqual(['applied', 'applied', 'ignored']);
    expect(r.types).toEqual(['rabt.transaction.compensated']);
  });

  it('a compensation timer that passes emits sla-breached for the compensation once', () => {
    const r = run([ev(REPORTED), ev(ROP), ev(WITHDRAWN)]);
    const m = TransactionMachine.resume(r.tx, at(500));
    expect(m.fire({ stepSeq: 0, kind: 'compensation' })).toBe(true);
    expect(m.fire({ stepSeq: 0, kind: 'compensation' })).toBe(false);
    expect(m.effects.emissions[0]!.data).toMatchObject({ step: 'register-absconding:compensation', agency: 'rop' });
    expect(m.effects.emissions[0]!.eventId).not.toBe(emissionId('tx-1', 'rabt.transaction.sla-breached', 'register-absconding'));
  });
});

describe('emission ids', () => {
  it('are UUID-shaped, the same for the same fact, different for another', () => {
    const id = emissionId('tx-1', 'rabt.transaction.completed', null);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(emissionId('tx-1', 'rabt.transaction.completed', null)).toBe(id);
    expect(emissionId('tx-2', 'rabt.transaction.completed', null)).not.toBe(id);
    expect(emissionId('tx-1', 'rabt.transaction.step-completed', 'a')).not.toBe(emissionId('tx-1', 'rabt.transaction.step-completed', 'b'));
  });
});
