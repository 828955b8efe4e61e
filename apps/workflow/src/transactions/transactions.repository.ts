import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  WorkflowEventEntity,
  WorkflowStepEntity,
  WorkflowTimelineEntity,
  WorkflowTimerEntity,
  WorkflowTransactionEntity,
  type WorkflowEventOutcome,
} from '@rabt/persistence';
import type { Effects, IncomingEvent, TimerRef, TransactionSnapshot } from '../engine/transaction.machine';

/** The workflow service's queries, each inside the caller's Postgres transaction (`m`). */
@Injectable()
export class TransactionsRepository {
  /** Serialises all work on one transaction id, even before its row exists (released at commit). */
  async lock(m: EntityManager, transactionId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7))`, [`rabt-workflow:${transactionId}`]);
  }

  /** Records an event once per (transaction, source, id); false when it was taken in before. */
  async recordEvent(m: EntityManager, transactionId: string, e: IncomingEvent, receivedAt: Date, outcome: WorkflowEventOutcome): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO workflow_event (transaction_id, event_source, event_id, event_type, agency, event_time, received_at, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING seq`,
      [transactionId, e.source, e.id, e.type, e.agency, e.time, receivedAt, outcome],
    );
    return rows.length === 1;
  }

  async setOutcome(m: EntityManager, transactionId: string, e: Pick<IncomingEvent, 'source' | 'id'>, outcome: WorkflowEventOutcome): Promise<void> {
    await m.update(WorkflowEventEntity, { transactionId, eventSource: e.source, eventId: e.id }, { outcome });
  }

  /** Events kept for later, in arrival order. */
  async held(m: EntityManager, transactionId: string): Promise<IncomingEvent[]> {
    const rows = await m.find(WorkflowEventEntity, { where: { transactionId, outcome: 'held' }, order: { seq: 'ASC' } });
    return rows.map((r) => ({ source: r.eventSource, id: r.eventId, type: r.eventType, agency: r.agency, time: r.eventTime }));
  }

  async load(m: EntityManager, transactionId: string): Promise<TransactionSnapshot | undefined> {
    const tx = await m.findOneBy(WorkflowTransactionEntity, { id: transactionId });
    if (!tx) return undefined;
    const steps = await m.find(WorkflowStepEntity, { where: { transactionId }, order: { seq: 'ASC' } });
    return {
      id: tx.id,
      workflow: tx.workflow,
      workflowVersion: tx.workflowVersion,
      state: tx.state,
      triggerType: tx.triggerType,
      triggerAgency: tx.triggerAgency,
      withdrawalType: tx.withdrawalType,
      withdrawalAgency: tx.withdrawalAgency,
      parties: tx.parties,
      startedAt: tx.startedAt,
      completedAt: tx.completedAt,
      withdrawnAt: tx.withdrawnAt,
      steps: steps.map((s) => ({
        seq: s.seq,
        name: s.name,
        agency: s.agency,
        awaits: s.awaits,
        slaMs: Number(s.slaMs),
        compensation: s.compensationAgency && s.compensationAwaits && s.compensationSlaMs !== null ? { agency: s.compensationAgency, awaits: s.compensationAwaits, slaMs: Number(s.compensationSlaMs) } : null,
        state: s.state,
        becameCurrentAt: s.becameCurrentAt,
        slaDueAt: s.slaDueAt,
        completedAt: s.completedAt,
        eventSource: s.eventSource,
        eventId: s.eventId,
        breachedAt: s.breachedAt,
        compensationStartedAt: s.compensationStartedAt,
        compensationDueAt: s.compensationDueAt,
        compensatedAt: s.compensatedAt,
        compensationEventId: s.compensationEventId,
        compensationBreachedAt: s.compensationBreachedAt,
      })),
    };
  }

  /** Writes the snapshot and its effects: steps, timers, outbox rows (once per event id), timeline. */
  async save(m: EntityManager, tx: TransactionSnapshot, effects: Effects, now: Date): Promise<void> {
    const { steps, ...row } = tx;
    await m.upsert(WorkflowTransactionEntity, { ...row, parties: [...row.parties], updatedAt: now }, ['id']);
    await m.upsert(
      WorkflowStepEntity,
      steps.map(({ compensation, slaMs, ...s }) => ({
        ...s,
        transactionId: tx.id,
        slaMs: String(slaMs),
        compensationAgency: compensation?.agency ?? null,
        compensationAwaits: compensation?.awaits ?? null,
        compensationSlaMs: compensation ? String(compensation.slaMs) : null,
      })),
      ['transactionId', 'seq'],
    );
    for (const t of effects.timersCleared) await m.delete(WorkflowTimerEntity, { transactionId: tx.id, stepSeq: t.stepSeq, kind: t.kind });
    if (effects.timersSet.length > 0) {
      await m.upsert(
        WorkflowTimerEntity,
        effects.timersSet.map((t) => ({ transactionId: tx.id, stepSeq: t.stepSeq, kind: t.kind, dueAt: t.dueAt, firedAt: null })),
        ['transactionId', 'stepSeq', 'kind'],
      );
    }
    for (const e of effects.emissions) {
      await m.query(
        `INSERT INTO workflow_outbox (event_id, transaction_id, event_type, occurred_at, data) VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (event_id) DO NOTHING`,
        [e.eventId, tx.id, e.type, e.occurredAt, JSON.stringify(e.data)],
      );
    }
    await this.addTimeline(m, tx.id, effects.timeline);
  }

  async addTimeline(m: EntityManager, transactionId: string, lines: Effects['timeline']): Promise<void> {
    if (lines.length === 0) return;
    await m.insert(
      WorkflowTimelineEntity,
      lines.map((l) => ({ transactionId, at: l.at, agency: l.agency, eventType: l.type, eventId: l.eventId, what: l.what })),
    );
  }

  /** Transactions holding events that arrived before `cutoff` (at most `limit`). */
  async holdingSince(m: EntityManager, cutoff: Date, limit: number): Promise<string[]> {
    const rows: { transaction_id: string }[] = await m.query(
      `SELECT DISTINCT transaction_id FROM workflow_event WHERE outcome = 'held' AND received_at < $1 LIMIT $2`,
      [cutoff, limit],
    );
    return rows.map((r) => r.transaction_id);
  }

  /** Marks the transaction's events held since before `cutoff` expired; answers them. */
  async expireHeld(m: EntityManager, transactionId: string, cutoff: Date): Promise<IncomingEvent[]> {
    const [rows] = (await m.query(
      `UPDATE workflow_event SET outcome = 'expired' WHERE transaction_id = $1 AND outcome = 'held' AND received_at < $2
       RETURNING event_source, event_id, event_type, agency, event_time`,
      [transactionId, cutoff],
    )) as [{ event_source: string; event_id: string; event_type: string; agency: string; event_time: Date }[], number];
    return rows.map((r) => ({ source: r.event_source, id: r.event_id, type: r.event_type, agency: r.agency, time: r.event_time }));
  }

  /** Takes an event's lines out of the transaction's timeline. */
  async removeTimeline(m: EntityManager, transactionId: string, e: Pick<IncomingEvent, 'agency' | 'id'>): Promise<void> {
    await m.delete(WorkflowTimelineEntity, { transactionId, agency: e.agency, eventId: e.id });
  }

  /** Timers that are due and not fired, oldest first. */
  async dueTimers(m: EntityManager, now: Date, limit: number): Promise<(TimerRef & { transactionId: string })[]> {
    const rows: { transaction_id: string; step_seq: number; kind: TimerRef['kind'] }[] = await m.query(
      `SELECT transaction_id, step_seq, kind FROM workflow_timer WHERE fired_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ transactionId: r.transaction_id, stepSeq: r.step_seq, kind: r.kind }));
  }

  /** Marks a timer fired; false when it was fired, cleared or moved meanwhile. */
  async claimTimer(m: EntityManager, transactionId: string, timer: TimerRef, now: Date): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [, count] = (await m.query(
      `UPDATE workflow_timer SET fired_at = $4 WHERE transaction_id = $1 AND step_seq = $2 AND kind = $3 AND fired_at IS NULL AND due_at <= $4`,
      [transactionId, timer.stepSeq, timer.kind, now],
    )) as [unknown, number];
    return count === 1;
  }
}
