import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import { formatDuration } from '@rabt/config';
import { MetricsService } from '@rabt/observability';
import type { WorkflowEventOutcome } from '@rabt/persistence';
import { WorkflowDefinitions } from '../definitions/workflow-definitions';
import { describeEventType, TransactionMachine, type IncomingEvent, type TimerRef } from '../engine/transaction.machine';
import { TransactionsRepository } from './transactions.repository';

/** Called after a commit that wrote outbox rows, so the relay does not wait for its next poll. */
export abstract class OutboxWaker {
  abstract wake(): void;
}

/**
 * Advances transactions: one event or one due timer per Postgres transaction, under an advisory
 * lock on the transaction id. The event's (source, id) row is written first: a duplicate finds
 * it and changes nothing, so Kafka's at-least-once redelivery never double-advances. An event of
 * an agency that is not party to the transaction (or, before it starts, that no workflow awaits
 * from that agency) is refused: recorded as `refused`, never applied, never in the timeline.
 */
@Injectable()
export class TransactionEngine {
  private readonly log = new Logger('engine');
  private readonly events: Counter<'outcome'>;
  private readonly emitted: Counter<'type'>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: TransactionsRepository,
    private readonly definitions: WorkflowDefinitions,
    private readonly outbox: OutboxWaker,
    metrics: MetricsService,
  ) {
    this.events = new Counter({ name: 'rabt_workflow_events_total', help: 'Events taken in by the workflow service, by outcome', labelNames: ['outcome'], registers: [metrics.registry] });
    this.emitted = new Counter({ name: 'rabt_workflow_emitted_total', help: 'rabt.transaction.* events written to the outbox, by type', labelNames: ['type'], registers: [metrics.registry] });
  }

  /** One event of transaction `transactionId`: its outcome, or `duplicate` when it was taken in before. */
  async handle(transactionId: string, event: IncomingEvent, now = new Date()): Promise<WorkflowEventOutcome | 'duplicate'> {
    let emitted = 0;
    const outcome = await this.dataSource.transaction(async (m) => {
      await this.repository.lock(m, transactionId);
      if (!(await this.repository.recordEvent(m, transactionId, event, now, 'held'))) return 'duplicate' as const;
      const snapshot = await this.repository.load(m, transactionId);
      let machine: TransactionMachine;
      let outcome: WorkflowEventOutcome;
      if (snapshot) {
        if (!snapshot.parties.includes(event.agency)) return this.refuse(m, transactionId, event, `agency '${event.agency}' is not party to it (parties: ${snapshot.parties.join(', ')})`);
        machine = TransactionMachine.resume(snapshot, now);
        outcome = machine.receive(event);
      } else {
        const definition = this.definitions.forTrigger(event.type, event.agency);
        if (!definition && !this.definitions.expects(event.type, event.agency)) {
          return this.refuse(m, transactionId, event, `no workflow awaits ${event.type} from agency '${event.agency}'`);
        }
        if (!definition) {
          // Before its trigger (or not part of any transaction): kept, applied if the transaction starts.
          await this.repository.addTimeline(m, transactionId, [{ at: event.time, agency: event.agency, type: event.type, eventId: event.id, what: `${describeEventType(event.type)} — arrived before the transaction started; kept` }]);
          return 'held' as const;
        }
        machine = TransactionMachine.start(definition, transactionId, event, now);
        outcome = 'applied';
      }
      await this.repository.setOutcome(m, transactionId, event, outcome);
      const held = await this.repository.held(m, transactionId);
      // Kept before the transaction started, from an agency this workflow turned out not to involve.
      for (const stranger of held.filter((e) => !machine.tx.parties.includes(e.agency))) {
        await this.refuse(m, transactionId, stranger, `agency '${stranger.agency}' is not party to it (parties: ${machine.tx.parties.join(', ')})`);
        await this.repository.removeTimeline(m, transactionId, stranger);
      }
      for (const done of machine.drain(held.filter((e) => machine.tx.parties.includes(e.agency)))) await this.repository.setOutcome(m, transactionId, done.event, done.outcome);
      await this.repository.save(m, machine.tx, machine.effects, now);
      emitted = this.count(machine);
      return outcome;
    });
    this.events.inc({ outcome });
    if (emitted > 0) this.outbox.wake();
    return outcome;
  }

  /**
   * Drops the transaction's events held since before `cutoff`: marked `expired`, with a timeline
   * line each. Answers how many.
   */
  async expireHeld(transactionId: string, cutoff: Date, ttlMs: number, now = new Date()): Promise<IncomingEvent[]> {
    return this.dataSource.transaction(async (m) => {
      await this.repository.lock(m, transactionId);
      const expired = await this.repository.expireHeld(m, transactionId, cutoff);
      await this.repository.addTimeline(
        m,
        transactionId,
        expired.map((e) => ({ at: now, agency: e.agency, type: e.type, eventId: e.id, what: `${describeEventType(e.type)} — held for longer than ${formatDuration(ttlMs)}; dropped` })),
      );
      return expired;
    });
  }

  private async refuse(m: EntityManager, transactionId: string, event: IncomingEvent, why: string): Promise<'refused'> {
    await this.repository.setOutcome(m, transactionId, event, 'refused');
    this.log.warn({ transactionId, source: event.source, eventId: event.id, type: event.type }, `event refused: ${why}`);
    return 'refused';
  }

  /** A due SLA timer; true when it raised a breach. */
  async fire(transactionId: string, timer: TimerRef, now = new Date()): Promise<boolean> {
    let emitted = 0;
    const breached = await this.dataSource.transaction(async (m) => {
      await this.repository.lock(m, transactionId);
      if (!(await this.repository.claimTimer(m, transactionId, timer, now))) return false;
      const snapshot = await this.repository.load(m, transactionId);
      if (!snapshot) return false;
      const machine = TransactionMachine.resume(snapshot, now);
      const breached = machine.fire(timer);
      await this.repository.save(m, machine.tx, machine.effects, now);
      emitted = this.count(machine);
      return breached;
    });
    if (emitted > 0) this.outbox.wake();
    return breached;
  }

  private count(machine: TransactionMachine): number {
    for (const e of machine.effects.emissions) this.emitted.inc({ type: e.type });
    return machine.effects.emissions.length;
  }
}
