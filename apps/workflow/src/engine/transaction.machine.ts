// The state machine of one cross-agency transaction. Pure: no clock (`now` is given), no I/O.
// It changes a snapshot and says what to write alongside: rabt.transaction.* emissions, timeline
// lines, SLA timers to set or clear. The engine loads the snapshot, runs this, and saves it all
// in one Postgres transaction. See docs/workflows.md.
import { EventTypes, findCatalogueEntry } from '@rabt/contracts';
import { formatDuration } from '@rabt/config';
import type { StepState, TimerKind, TransactionState, WorkflowEventOutcome } from '@rabt/persistence';
import { partiesOf, type AwaitedEvent, type WorkflowDefinition } from '../definitions/workflow-definition';
import { emissionId } from './emission-id';

export interface StepSnapshot {
  readonly seq: number;
  readonly name: string;
  readonly agency: string;
  readonly awaits: string;
  readonly slaMs: number;
  readonly compensation: AwaitedEvent | null;
  state: StepState;
  becameCurrentAt: Date | null;
  slaDueAt: Date | null;
  completedAt: Date | null;
  eventSource: string | null;
  eventId: string | null;
  breachedAt: Date | null;
  compensationStartedAt: Date | null;
  compensationDueAt: Date | null;
  compensatedAt: Date | null;
  compensationEventId: string | null;
  compensationBreachedAt: Date | null;
}

export interface TransactionSnapshot {
  readonly id: string;
  readonly workflow: string;
  readonly workflowVersion: number;
  state: TransactionState;
  readonly triggerType: string;
  readonly triggerAgency: string;
  readonly withdrawalType: string | null;
  readonly withdrawalAgency: string | null;
  readonly parties: readonly string[];
  readonly startedAt: Date;
  completedAt: Date | null;
  withdrawnAt: Date | null;
  readonly steps: StepSnapshot[];
}

/** An event taken in: its CloudEvents identity, the publishing agency and its `time`. */
export interface IncomingEvent {
  readonly source: string;
  readonly id: string;
  readonly type: string;
  readonly agency: string;
  readonly time: Date;
}

export interface Emission {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: Date;
  readonly data: Record<string, unknown>;
}

export interface TimelineLine {
  readonly at: Date;
  readonly agency: string;
  readonly type: string;
  readonly eventId: string;
  readonly what: string;
}

export interface TimerRef {
  readonly stepSeq: number;
  readonly kind: TimerKind;
}

export interface TimerSet extends TimerRef {
  readonly dueAt: Date;
}

/** What to write besides the snapshot. */
export interface Effects {
  readonly emissions: Emission[];
  readonly timeline: TimelineLine[];
  readonly timersSet: TimerSet[];
  readonly timersCleared: TimerRef[];
}

const AGENCY_NAMES: Readonly<Record<string, string>> = { mom: 'MoM', rop: 'ROP', moci: 'MOCI', moh: 'MoH', mm: 'Muscat Municipality', epay: 'e-Payment Gateway', ita: 'Rabt' };
export const agencyName = (code: string) => AGENCY_NAMES[code] ?? code.toUpperCase();
/** A sentence for an event type: its catalogue description. */
export const describeEventType = (type: string) => (findCatalogueEntry(type)?.description.en ?? type).replace(/\.$/, '');
const ms = (d: Date) => d.getTime();
const COMPENSATION_SUFFIX = ':compensation';

export class TransactionMachine {
  readonly effects: Effects = { emissions: [], timeline: [], timersSet: [], timersCleared: [] };

  private constructor(
    readonly tx: TransactionSnapshot,
    private readonly now: Date,
  ) {}

  /** A new transaction from its trigger: the first step is current, the rest pending. */
  static start(definition: WorkflowDefinition, id: string, trigger: IncomingEvent, now: Date): TransactionMachine {
    const tx: TransactionSnapshot = {
      id,
      workflow: definition.name,
      workflowVersion: definition.version,
      state: 'running',
      triggerType: definition.trigger.type,
      triggerAgency: definition.trigger.agency,
      withdrawalType: definition.withdrawal?.type ?? null,
      withdrawalAgency: definition.withdrawal?.agency ?? null,
      parties: partiesOf(definition),
      startedAt: now,
      completedAt: null,
      withdrawnAt: null,
      steps: definition.steps.map((s, seq) => ({
        seq,
        name: s.name,
        agency: s.agency,
        awaits: s.awaits,
        slaMs: s.slaMs,
        compensation: s.compensation,
        state: 'pending',
        becameCurrentAt: null,
        slaDueAt: null,
        completedAt: null,
        eventSource: null,
        eventId: null,
        breachedAt: null,
        compensationStartedAt: null,
        compensationDueAt: null,
        compensatedAt: null,
        compensationEventId: null,
        compensationBreachedAt: null,
      })),
    };
    const machine = new TransactionMachine(tx, now);
    machine.line(trigger.time, trigger.agency, trigger.type, trigger.id, `${describeEventType(trigger.type)} — transaction started (${definition.name} v${definition.version})`);
    machine.makeCurrent(tx.steps[0]!);
    return machine;
  }

  /** Continues an existing transaction (the snapshot is changed in place). */
  static resume(tx: TransactionSnapshot, now: Date): TransactionMachine {
    return new TransactionMachine(tx, now);
  }

  /** An event arrives: applied, kept for later (held), or ignored. Writes its timeline line. */
  receive(event: IncomingEvent): WorkflowEventOutcome {
    const outcome = this.classify(event);
    const note: Record<WorkflowEventOutcome, string> = {
      applied: '',
      held: ' — arrived before its step was current; kept and applied when it is',
      ignored: ` — ignored: ${this.whyIgnored(event)}`,
      // Decided by the engine before the machine sees an event; never a classification.
      refused: ' — refused',
      expired: ' — expired',
    };
    const late = outcome === 'applied' && this.isLateForward(event) ? ' — arrived after the withdrawal: recorded, does not advance; the step needs compensating' : '';
    this.line(event.time, event.agency, event.type, event.id, `${describeEventType(event.type)}${note[outcome]}${late}`);
    return outcome;
  }

  /**
   * Applies kept events that fit now, in arrival order, until none does. Answers the outcome of
   * each one that is no longer held.
   */
  drain(held: readonly IncomingEvent[]): { event: IncomingEvent; outcome: WorkflowEventOutcome }[] {
    const done: { event: IncomingEvent; outcome: WorkflowEventOutcome }[] = [];
    let remaining = [...held];
    for (let progressed = true; progressed; ) {
      progressed = false;
      for (const event of remaining) {
        const outcome = this.classify(event);
        if (outcome === 'held') continue;
        done.push({ event, outcome });
        remaining = remaining.filter((e) => e !== event);
        progressed = true;
        break; // state changed: start again from the earliest kept event
      }
    }
    return done;
  }

  /** An SLA timer is due. Marks the step (or its compensation) breached and emits once. */
  fire(timer: TimerRef): boolean {
    const step = this.tx.steps[timer.stepSeq];
    if (!step) return false;
    if (timer.kind === 'step') {
      if (this.tx.state !== 'running' || step.state !== 'waiting' || !step.slaDueAt) return false;
      step.state = 'breached';
      step.breachedAt = this.now;
      this.breach(step.name, step.agency, step.slaMs, step.slaDueAt);
      return true;
    }
    if (step.state !== 'compensating' || step.compensationBreachedAt || !step.compensation || !step.compensationDueAt) return false;
    step.compensationBreachedAt = this.now;
    this.breach(`${step.name}${COMPENSATION_SUFFIX}`, step.compensation.agency, step.compensation.slaMs, step.compensationDueAt);
    return true;
  }

  // --- what an event means -------------------------------------------------------------------

  private classify(event: IncomingEvent): WorkflowEventOutcome {
    const tx = this.tx;
    if (event.type === tx.triggerType) return 'ignored';
    if (tx.withdrawalType && event.type === tx.withdrawalType && event.agency === tx.withdrawalAgency) {
      if (tx.state !== 'running' && tx.state !== 'completed') return 'ignored';
      this.withdraw(event);
      return 'applied';
    }
    const forward = tx.steps.find((s) => s.awaits === event.type && s.agency === event.agency);
    if (forward) return this.forwardEvent(forward, event);
    const undone = tx.steps.find((s) => s.compensation?.awaits === event.type && s.compensation.agency === event.agency);
    if (undone) {
      if (undone.state === 'compensating') {
        this.compensate(undone, event);
        return 'applied';
      }
      return undone.state === 'compensated' ? 'ignored' : 'held';
    }
    return 'ignored';
  }

  private forwardEvent(step: StepSnapshot, event: IncomingEvent): WorkflowEventOutcome {
    switch (this.tx.state) {
      case 'running':
        if (step.state === 'pending') return 'held';
        if (step.state !== 'waiting' && step.state !== 'breached') return 'ignored';
        this.completeStep(step, event);
        return 'applied';
      case 'compensating':
      case 'compensated':
        if (step.eventId !== null) return 'ignored';
        // Done by the agency before it saw the withdrawal: recorded, never advances, must be undone.
        this.record(step, event);
        step.state = 'completed';
        if (this.tx.state === 'compensating') this.advanceCompensation();
        else if (step.compensation) step.state = 'compensating';
        return 'applied';
      case 'completed':
        return 'ignored';
    }
  }

  private isLateForward(event: IncomingEvent): boolean {
    return (this.tx.state === 'compensating' || this.tx.state === 'compensated') && this.tx.steps.some((s) => s.awaits === event.type && s.agency === event.agency && s.eventId === event.id);
  }

  private whyIgnored(event: IncomingEvent): string {
    if (event.type === this.tx.triggerType) return 'the transaction has started already';
    if (event.type === this.tx.withdrawalType) return `the transaction is ${this.tx.state}`;
    const step = this.tx.steps.find((s) => s.awaits === event.type);
    if (step && step.agency !== event.agency) return `step ${step.name} awaits it from ${agencyName(step.agency)}`;
    if (step) return this.tx.state === 'completed' ? 'the transaction has completed' : `step ${step.name} has its event already`;
    if (this.tx.steps.some((s) => s.compensation?.awaits === event.type)) return 'that step is compensated already';
    return `not an event of workflow ${this.tx.workflow} from this agency`;
  }

  // --- transitions --------------------------------------------------------------------------

  private makeCurrent(step: StepSnapshot): void {
    step.state = 'waiting';
    step.becameCurrentAt = this.now;
    step.slaDueAt = new Date(ms(this.now) + step.slaMs);
    this.setTimer({ stepSeq: step.seq, kind: 'step', dueAt: step.slaDueAt });
  }

  private record(step: StepSnapshot, event: IncomingEvent): void {
    step.completedAt = this.now;
    step.eventSource = event.source;
    step.eventId = event.id;
  }

  private completeStep(step: StepSnapshot, event: IncomingEvent): void {
    this.record(step, event);
    step.state = 'completed';
    this.clearTimer({ stepSeq: step.seq, kind: 'step' });
    this.emit(EventTypes.RabtTransactionStepCompleted, step.name, { step: step.name, agency: step.agency }, `Step ${step.name} completed by ${agencyName(step.agency)}`);
    const next = this.tx.steps[step.seq + 1];
    if (next) {
      this.makeCurrent(next);
      return;
    }
    this.tx.state = 'completed';
    this.tx.completedAt = this.now;
    const agencies = [...new Set([this.tx.triggerAgency, ...this.tx.steps.map((s) => s.agency)])];
    this.emit(
      EventTypes.RabtTransactionCompleted,
      null,
      { startedAt: ms(this.tx.startedAt), completedAt: ms(this.now), agencies },
      `Transaction completed: ${agencies.map(agencyName).join(', ')} each did their part in ${formatDuration(Math.max(1, ms(this.now) - ms(this.tx.startedAt)))}`,
    );
  }

  /** Withdrawal: every step done so far awaits its compensation, latest first; the rest are skipped. */
  private withdraw(_event: IncomingEvent): void {
    this.tx.state = 'compensating';
    this.tx.withdrawnAt = this.now;
    for (const step of this.tx.steps) {
      if (step.eventId !== null) continue;
      if (step.state === 'waiting' || step.state === 'breached') this.clearTimer({ stepSeq: step.seq, kind: 'step' });
      step.state = 'skipped';
    }
    this.advanceCompensation();
  }

  /** One compensation at a time, from the latest completed step back; none left → compensated. */
  private advanceCompensation(): void {
    if (this.tx.steps.some((s) => s.state === 'compensating')) return;
    const next = [...this.tx.steps].reverse().find((s) => s.state === 'completed' && s.compensation && s.compensatedAt === null);
    if (next && next.compensation) {
      next.state = 'compensating';
      next.compensationStartedAt = this.now;
      next.compensationDueAt = new Date(ms(this.now) + next.compensation.slaMs);
      this.setTimer({ stepSeq: next.seq, kind: 'compensation', dueAt: next.compensationDueAt });
      return;
    }
    this.tx.state = 'compensated';
    this.tx.completedAt = this.now;
    const undone = this.tx.steps.filter((s) => s.compensatedAt !== null).sort((a, b) => ms(a.compensatedAt!) - ms(b.compensatedAt!) || b.seq - a.seq);
    this.emit(
      EventTypes.RabtTransactionCompensated,
      null,
      { triggerType: this.tx.withdrawalType, compensatedSteps: undone.map((s) => s.name) },
      undone.length > 0 ? `Transaction compensated: ${undone.map((s) => `${s.name} (${agencyName(s.agency)})`).join(', ')} undone` : 'Transaction compensated: no step had been done, nothing to undo',
    );
  }

  private compensate(step: StepSnapshot, event: IncomingEvent): void {
    step.state = 'compensated';
    step.compensatedAt = this.now;
    step.compensationEventId = event.id;
    this.clearTimer({ stepSeq: step.seq, kind: 'compensation' });
    if (this.tx.state === 'compensating') this.advanceCompensation();
  }

  // --- output -------------------------------------------------------------------------------

  private breach(step: string, agency: string, slaMs: number, dueAt: Date): void {
    const overdueSeconds = Math.max(0, Math.floor((ms(this.now) - ms(dueAt)) / 1000));
    this.emit(
      EventTypes.RabtTransactionSlaBreached,
      step,
      { step, agency, slaSeconds: Math.max(1, Math.round(slaMs / 1000)), overdueSeconds },
      `Step ${step} (${agencyName(agency)}) passed its SLA of ${formatDuration(slaMs)}; still open`,
    );
  }

  private emit(type: string, step: string | null, fields: Record<string, unknown>, what: string): void {
    const eventId = emissionId(this.tx.id, type, step);
    const data = { transactionId: this.tx.id, workflow: this.tx.workflow, workflowVersion: this.tx.workflowVersion, ...fields, occurredAt: ms(this.now) };
    this.effects.emissions.push({ eventId, type, occurredAt: this.now, data });
    this.line(this.now, 'ita', type, eventId, what);
  }

  /** Timer changes are net: a timer set and cleared within one run is neither set nor kept. */
  private setTimer(timer: TimerSet): void {
    this.dropTimer(timer);
    this.effects.timersSet.push(timer);
  }

  private clearTimer(timer: TimerRef): void {
    this.dropTimer(timer);
    this.effects.timersCleared.push(timer);
  }

  private dropTimer(timer: TimerRef): void {
    const same = (t: TimerRef) => t.stepSeq === timer.stepSeq && t.kind === timer.kind;
    for (const list of [this.effects.timersSet, this.effects.timersCleared] as TimerRef[][]) {
      const i = list.findIndex(same);
      if (i >= 0) list.splice(i, 1);
    }
  }

  private line(at: Date, agency: string, type: string, eventId: string, what: string): void {
    this.effects.timeline.push({ at, agency, type, eventId, what });
  }
}
