// One simulated agency back office: takes a verified webhook, deduplicates it by webhook-id,
// "processes" it (delay, injected failures, stall) and publishes the follow-up through the gateway
// with the SDK's RabtClient, carrying the transaction id over.
import { RabtProblemError, type EventType, type PublishAccepted, type PublishOptions } from '@rabt/sdk';
import type { AgencyConfig, BehaviourConfig, SimulatedAgency } from '../config/simulator.config';
import { CaseFiles } from './case-file';
import { decideForward, decideUndo, learn, WITHDRAWALS, type Decision } from './reaction.table';
import type { DeliveredEvent } from './reaction';

/** The part of RabtClient a back office uses (a fake in unit tests). */
export interface Publisher {
  publish(type: EventType, data: never, options: PublishOptions): Promise<PublishAccepted>;
}

export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** What became of one webhook; the HTTP layer maps it to a status. */
export type Outcome =
  | { readonly kind: 'handled'; readonly published: readonly string[] }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'stalled' }
  | { readonly kind: 'injected-failure' }
  | { readonly kind: 'not-yet'; readonly missing: readonly string[] }
  | { readonly kind: 'uncorrelated' };

export interface BackOfficeStats {
  received: number;
  duplicates: number;
  rejected: number;
  injectedFailures: number;
  notYet: number;
  stalled: number;
  published: Record<string, number>;
}

/** Remembered webhook-ids (oldest forgotten first past this many). */
const SEEN_LIMIT = 200_000;

export class BackOffice {
  readonly agency: SimulatedAgency;
  behaviour: BehaviourConfig;
  readonly stats: BackOfficeStats = { received: 0, duplicates: 0, rejected: 0, injectedFailures: 0, notYet: 0, stalled: 0, published: {} };
  readonly cases = new CaseFiles();
  private readonly seen = new Set<string>();
  private readonly inFlight = new Map<string, Promise<Outcome>>();

  constructor(
    config: AgencyConfig,
    private readonly publisher: Publisher,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.agency = config.agency;
    this.behaviour = { delay: config.delay, failureRate: config.failureRate, mode: config.mode };
  }

  /** Handles one verified webhook. Throws when publishing failed (the webhook should be retried). */
  async handle(webhookId: string, event: DeliveredEvent): Promise<Outcome> {
    this.stats.received++;
    if (this.seen.has(webhookId)) {
      this.stats.duplicates++;
      return { kind: 'duplicate' };
    }
    const running = this.inFlight.get(webhookId);
    if (running) {
      this.stats.duplicates++;
      await running.catch(() => undefined);
      return { kind: 'duplicate' };
    }
    if (this.random() < this.behaviour.failureRate) {
      this.stats.injectedFailures++;
      return { kind: 'injected-failure' };
    }
    const work = this.process(event);
    this.inFlight.set(webhookId, work);
    try {
      const outcome = await work;
      if (outcome.kind !== 'not-yet') this.remember(webhookId);
      return outcome;
    } finally {
      this.inFlight.delete(webhookId);
    }
  }

  private async process(event: DeliveredEvent): Promise<Outcome> {
    const tx = event.transactionid;
    if (!tx) {
      this.log.warn({ eventId: event.id, type: event.type }, 'event without a transactionid: nothing to correlate, ignored');
      return { kind: 'uncorrelated' };
    }
    if (this.behaviour.mode === 'stall') {
      this.stats.stalled++;
      learn(this.cases.get(tx).facts, event);
      this.log.info({ transactionid: tx, type: event.type }, 'stalled: accepted and left undone');
      return { kind: 'stalled' };
    }
    return this.cases.withLock(tx, async () => {
      const file = this.cases.get(tx);
      learn(file.facts, event);
      const withdrawal = (WITHDRAWALS as readonly string[]).includes(event.type);
      if (withdrawal) file.withdrawn = true;
      const decisions: Decision[] = withdrawal ? decideUndo(this.agency, event, file, this.clock()) : decideForward(this.agency, event, file, this.clock());
      const missing = decisions.flatMap((d) => (d.kind === 'not-yet' ? d.missing : []));
      if (missing.length) {
        this.stats.notYet++;
        return { kind: 'not-yet', missing };
      }
      const published: string[] = [];
      for (const d of decisions) {
        if (d.kind !== 'publish') continue;
        await this.sleep(this.processingTime());
        // A withdrawal that came in while this step was "processing" stops it (it waited for the lock).
        if (d.step === 'forward' && file.withdrawn) continue;
        await this.publish(d.record.type, d.record.data, d.record.id, tx, file.facts.reportId);
        if (d.step === 'forward') file.done.set(d.record.type, d.record);
        else if (d.undoes) file.undone.set(d.undoes, d.record);
        published.push(d.record.type);
      }
      return { kind: 'handled', published };
    });
  }

  private async publish(type: EventType, data: Readonly<Record<string, unknown>>, id: string, transactionid: string, subject: string | undefined): Promise<void> {
    try {
      await this.publisher.publish(type, data as never, { id, transactionid, ...(subject ? { subject } : {}) });
    } catch (e) {
      // The stable id was used before with other content: an earlier life of this back office
      // already published this follow-up (its timestamps differed). The effect exists; done.
      if (!(e instanceof RabtProblemError && e.code === 'IDEMPOTENCY_CONFLICT')) throw e;
      this.log.warn({ id, type }, 'already published by an earlier run');
    }
    this.stats.published[type] = (this.stats.published[type] ?? 0) + 1;
    this.log.info({ transactionid, type, id }, `${this.agency} published ${type}`);
  }

  private processingTime(): number {
    const { minMs, maxMs } = this.behaviour.delay;
    return minMs + Math.round(this.random() * (maxMs - minMs));
  }

  private remember(webhookId: string): void {
    this.seen.add(webhookId);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value!);
  }
}
