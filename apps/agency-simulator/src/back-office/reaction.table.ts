// Who reacts to what (docs/simulators.md): each simulated back office's forward steps, its undo
// steps on a withdrawal, and how it learns the facts of a case from the events delivered to it.
// Pure: the back office (back-office.ts) carries out what `decideForward` / `decideUndo` return.
import { EventTypes, type EventType } from '@rabt/sdk';
import type { SimulatedAgency } from '../config/simulator.config';
import type { CaseFacts, CaseFile, PublishedRecord } from './case-file';
import { leftWorkForward, leftWorkUndo } from './employee-left-work.reactions';
import { serviceTransferForward } from './worker-service-transfer.reactions';
import { FactsMissing, type DeliveredEvent, type ForwardReaction, type UndoReaction } from './reaction';

/** Event types that withdraw a transaction: every back office undoes what it did for it. */
export const WITHDRAWALS: readonly EventType[] = [EventTypes.MomEmployeeLeftWorkWithdrawn];

export const FORWARD_REACTIONS: readonly ForwardReaction[] = [...leftWorkForward, ...serviceTransferForward];
export const UNDO_REACTIONS: readonly UndoReaction[] = [...leftWorkUndo];

/** The event types an agency must subscribe to for its reactions (the demo seeds these). */
export function subscriptionsOf(agency: SimulatedAgency): EventType[] {
  const types = new Set<EventType>();
  for (const r of FORWARD_REACTIONS) if (r.agency === agency) types.add(r.on);
  if (UNDO_REACTIONS.some((r) => r.agency === agency)) for (const w of WITHDRAWALS) types.add(w);
  for (const type of FACT_SOURCES[agency]) types.add(type);
  return [...types];
}

/** Events an agency subscribes to only to learn a case's facts (e.g. MOCI the employer's CR number). */
export const FACT_SOURCES: Readonly<Record<SimulatedAgency, readonly EventType[]>> = {
  mom: [EventTypes.MomEmployeeLeftWorkReported, EventTypes.MomWorkerServiceTransferRequested],
  rop: [EventTypes.MomWorkerServiceTransferRequested],
  moci: [EventTypes.MomEmployeeLeftWorkReported],
  epay: [],
};

/** Fields an agency asks for (a projection), where it needs less than the whole event. */
const PROJECTIONS: Readonly<Partial<Record<SimulatedAgency, Partial<Record<EventType, readonly string[]>>>>> = {
  rop: {
    [EventTypes.MomEmployeeLeftWorkReported]: ['reportId', 'lastWorkingDay', 'reason', 'workerLastKnownAddress'],
    [EventTypes.MomWorkerServiceTransferRequested]: ['requestId', 'currentEmployerCrNumber', 'newEmployerCrNumber'],
  },
  epay: { [EventTypes.MomWorkerServiceTransferRequested]: ['requestId', 'newEmployerCrNumber', 'transferFeeBaisa'] },
  moci: { [EventTypes.MomEmployeeLeftWorkReported]: ['reportId', 'employerCrNumber', 'reason'] },
};

/** One subscription a simulated agency needs: the demo and the e2e tests seed exactly these. */
export interface PlannedSubscription {
  readonly agency: SimulatedAgency;
  readonly eventType: EventType;
  /** Top-level fields delivered (a projection); absent: every field. */
  readonly projection?: readonly string[];
}

/** Every subscription the simulated agencies need (`agency-simulator --print-subscriptions`). */
export function subscriptionPlan(agencies: readonly SimulatedAgency[]): PlannedSubscription[] {
  return agencies.flatMap((agency) =>
    subscriptionsOf(agency).map((eventType) => {
      const projection = PROJECTIONS[agency]?.[eventType];
      return { agency, eventType, ...(projection ? { projection } : {}) };
    }),
  );
}

/** What to do with one delivered event. */
export type Decision =
  | { readonly kind: 'ignore'; readonly reason: string }
  | { readonly kind: 'not-yet'; readonly missing: readonly string[] }
  | { readonly kind: 'publish'; readonly step: 'forward' | 'undo'; readonly record: PublishedRecord; readonly undoes?: EventType };

/** Stable id of the event an agency publishes for a transaction: re-publishing it is idempotent at the gateway. */
export function followUpId(agency: SimulatedAgency, type: EventType, transactionId: string): string {
  return `${agency}:${type}:${transactionId}`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Copies what an event tells about the case into the facts (never overwrites a known fact with nothing). */
export function learn(facts: CaseFacts, event: DeliveredEvent): void {
  const d = event.data;
  const set = <K extends keyof CaseFacts>(key: K, value: CaseFacts[K] | undefined) => {
    if (value !== undefined && facts[key] === undefined) facts[key] = value;
  };
  set('reportId', str(d['reportId']) ?? str(d['relatedReportId']));
  set('workerCivilNumber', str(d['workerCivilNumber']));
  set('workPermitNumber', str(d['workPermitNumber']));
  set('employerCrNumber', str(d['employerCrNumber']));
  set('reason', str(d['reason']));
  set('lastWorkingDay', num(d['lastWorkingDay']));
  set('caseNumber', str(d['caseNumber']));
  set('residencePermitNumber', str(d['residencePermitNumber']));
  set('transferRequestId', str(d['requestId']) ?? str(d['relatedRequestId']) ?? str(d['transferRequestId']));
  set('currentEmployerCrNumber', str(d['currentEmployerCrNumber']) ?? str(d['previousSponsorCrNumber']));
  set('newEmployerCrNumber', str(d['newEmployerCrNumber']) ?? str(d['newSponsorCrNumber']) ?? str(d['payerCrNumber']));
  set('currentWorkPermitNumber', str(d['currentWorkPermitNumber']));
  set('requestedTransferDate', num(d['requestedTransferDate']));
  set('transferFeeBaisa', num(d['transferFeeBaisa']) ?? num(d['amountBaisa']));
  const address = d['workerLastKnownAddress'];
  if (address && typeof address === 'object') {
    set('governorate', str((address as Record<string, unknown>)['governorate']));
    set('wilayat', str((address as Record<string, unknown>)['wilayat']));
  }
}

/**
 * The forward reactions of `agency` to a delivered event, given its case file: publish the
 * follow-up (once per transaction), wait for missing facts, or ignore (already done, withdrawn,
 * not this agency's business).
 */
export function decideForward(agency: SimulatedAgency, event: DeliveredEvent, file: CaseFile, now: Date): Decision[] {
  const reactions = FORWARD_REACTIONS.filter((r) => r.agency === agency && r.on === event.type);
  if (reactions.length === 0) return [{ kind: 'ignore', reason: `${agency} has no step on ${event.type}` }];
  return reactions.map((r): Decision => {
    if (file.withdrawn) return { kind: 'ignore', reason: 'the transaction was withdrawn' };
    if (file.done.has(r.publishes)) return { kind: 'ignore', reason: `${r.publishes} already published` };
    const data = r.build(file.facts, event, now, file.transactionId);
    if (data instanceof FactsMissing) return { kind: 'not-yet', missing: data.missing };
    return { kind: 'publish', step: 'forward', record: { type: r.publishes, id: followUpId(agency, r.publishes, file.transactionId), data } };
  });
}

/** On a withdrawal: the undo event of every forward step this agency did (and has not undone yet). */
export function decideUndo(agency: SimulatedAgency, withdrawal: DeliveredEvent, file: CaseFile, now: Date): Decision[] {
  const decisions: Decision[] = [];
  for (const r of UNDO_REACTIONS) {
    if (r.agency !== agency) continue;
    const done = file.done.get(r.undoes);
    if (!done) continue;
    if (file.undone.has(r.undoes)) continue;
    decisions.push({ kind: 'publish', step: 'undo', undoes: r.undoes, record: { type: r.publishes, id: followUpId(agency, r.publishes, file.transactionId), data: r.build(done, file.facts, withdrawal, now) } });
  }
  return decisions.length ? decisions : [{ kind: 'ignore', reason: `${agency} did nothing to undo` }];
}

