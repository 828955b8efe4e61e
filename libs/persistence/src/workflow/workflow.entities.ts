import { Check, Column, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

/** running → completed; running | completed → compensating → compensated. See docs/workflows.md. */
export const TRANSACTION_STATES = ['running', 'completed', 'compensating', 'compensated'] as const;
export type TransactionState = (typeof TRANSACTION_STATES)[number];

/**
 * waiting (current) | pending (not yet current) | completed | breached (SLA passed, still open) |
 * compensating | compensated | skipped (never done; the transaction was withdrawn first).
 */
export const STEP_STATES = ['waiting', 'pending', 'completed', 'breached', 'compensating', 'compensated', 'skipped'] as const;
export type StepState = (typeof STEP_STATES)[number];

/** What became of an event the workflow service took in. */
export const WORKFLOW_EVENT_OUTCOMES = ['applied', 'held', 'ignored', 'refused', 'expired'] as const;
export type WorkflowEventOutcome = (typeof WORKFLOW_EVENT_OUTCOMES)[number];

/** A step's own SLA, or the SLA of its compensation. */
export const TIMER_KINDS = ['step', 'compensation'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/**
 * One cross-agency transaction: its id is the CloudEvents `transactionid` of the trigger. The
 * workflow definition (name, version) it runs is fixed at start; its steps are copied into
 * workflow_step, so a transaction never depends on the definition file again. `parties` are the
 * agencies that may read it (GET /v1/transactions/{id}).
 */
@Entity({ name: 'workflow_transaction' })
@Index('IDX_workflow_transaction_state', ['state', 'startedAt'])
@Check('CHK_workflow_transaction_state', `"state" IN ('running', 'completed', 'compensating', 'compensated')`)
export class WorkflowTransactionEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  workflow!: string;

  @Column({ name: 'workflow_version', type: 'integer' })
  workflowVersion!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: TransactionState;

  @Column({ name: 'trigger_type', type: 'varchar', length: 200 })
  triggerType!: string;

  @Column({ name: 'trigger_agency', type: 'varchar', length: 16 })
  triggerAgency!: string;

  /** The withdrawal event type and agency of the definition; null when it has none. */
  @Column({ name: 'withdrawal_type', type: 'varchar', length: 200, nullable: true })
  withdrawalType!: string | null;

  @Column({ name: 'withdrawal_agency', type: 'varchar', length: 16, nullable: true })
  withdrawalAgency!: string | null;

  /** Agency codes party to the transaction: the trigger's, every step's and compensation's. */
  @Column({ type: 'text', array: true })
  parties!: string[];

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  /** When it reached completed, or compensated. */
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One step of a transaction, in definition order (`seq` from 0), with its compensation. */
@Entity({ name: 'workflow_step' })
@Check('CHK_workflow_step_state', `"state" IN ('waiting', 'pending', 'completed', 'breached', 'compensating', 'compensated', 'skipped')`)
export class WorkflowStepEntity {
  @PrimaryColumn({ name: 'transaction_id', type: 'varchar', length: 64 })
  transactionId!: string;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  agency!: string;

  @Column({ type: 'varchar', length: 200 })
  awaits!: string;

  @Column({ name: 'sla_ms', type: 'bigint' })
  slaMs!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: StepState;

  @Column({ name: 'became_current_at', type: 'timestamptz', nullable: true })
  becameCurrentAt!: Date | null;

  @Column({ name: 'sla_due_at', type: 'timestamptz', nullable: true })
  slaDueAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** The CloudEvents source and id of the event that completed the step. */
  @Column({ name: 'event_source', type: 'varchar', length: 200, nullable: true })
  eventSource!: string | null;

  @Column({ name: 'event_id', type: 'varchar', length: 200, nullable: true })
  eventId!: string | null;

  @Column({ name: 'breached_at', type: 'timestamptz', nullable: true })
  breachedAt!: Date | null;

  @Column({ name: 'compensation_agency', type: 'varchar', length: 16, nullable: true })
  compensationAgency!: string | null;

  @Column({ name: 'compensation_awaits', type: 'varchar', length: 200, nullable: true })
  compensationAwaits!: string | null;

  @Column({ name: 'compensation_sla_ms', type: 'bigint', nullable: true })
  compensationSlaMs!: string | null;

  @Column({ name: 'compensation_started_at', type: 'timestamptz', nullable: true })
  compensationStartedAt!: Date | null;

  @Column({ name: 'compensation_due_at', type: 'timestamptz', nullable: true })
  compensationDueAt!: Date | null;

  @Column({ name: 'compensated_at', type: 'timestamptz', nullable: true })
  compensatedAt!: Date | null;

  @Column({ name: 'compensation_event_id', type: 'varchar', length: 200, nullable: true })
  compensationEventId!: string | null;

  @Column({ name: 'compensation_breached_at', type: 'timestamptz', nullable: true })
  compensationBreachedAt!: Date | null;
}

/**
 * Every event the workflow service took in for a transaction, once per (source, id): the
 * idempotency record. A duplicate or replayed record finds its row and changes nothing. `held`
 * events arrived before their step was current (or before the trigger) and are applied when it is,
 * unless they are held longer than WORKFLOW_HELD_TTL: then they are `expired`. `refused` events
 * came from an agency that is not party to the transaction: never applied, never in the timeline.
 */
@Entity({ name: 'workflow_event' })
@Index('IDX_workflow_event_held', ['transactionId', 'seq'], { where: `"outcome" = 'held'` })
@Index('IDX_workflow_event_held_since', ['receivedAt'], { where: `"outcome" = 'held'` })
@Check('CHK_workflow_event_outcome', `"outcome" IN ('applied', 'held', 'ignored', 'refused', 'expired')`)
export class WorkflowEventEntity {
  @PrimaryColumn({ name: 'transaction_id', type: 'varchar', length: 64 })
  transactionId!: string;

  @PrimaryColumn({ name: 'event_source', type: 'varchar', length: 200 })
  eventSource!: string;

  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 200 })
  eventId!: string;

  /** Arrival order. */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 200 })
  eventType!: string;

  @Column({ type: 'varchar', length: 16 })
  agency!: string;

  /** The CloudEvents `time` (when the agency published it). */
  @Column({ name: 'event_time', type: 'timestamptz' })
  eventTime!: Date;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  outcome!: WorkflowEventOutcome;
}

/** A running SLA clock: a step's, or its compensation's. Polled by due_at; survives restarts. */
@Entity({ name: 'workflow_timer' })
@Index('IDX_workflow_timer_due', ['dueAt'], { where: `"fired_at" IS NULL` })
@Check('CHK_workflow_timer_kind', `"kind" IN ('step', 'compensation')`)
export class WorkflowTimerEntity {
  @PrimaryColumn({ name: 'transaction_id', type: 'varchar', length: 64 })
  transactionId!: string;

  @PrimaryColumn({ name: 'step_seq', type: 'integer' })
  stepSeq!: number;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  kind!: TimerKind;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'fired_at', type: 'timestamptz', nullable: true })
  firedAt!: Date | null;
}

/**
 * rabt.transaction.* events to publish, written in the same Postgres transaction as the state
 * change that caused them and relayed to Kafka in `seq` order. `event_id` is derived from what
 * happened (transaction, type, step), so a relay that publishes twice publishes the same id.
 */
@Entity({ name: 'workflow_outbox' })
@Index('UQ_workflow_outbox_event', ['eventId'], { unique: true })
@Index('IDX_workflow_outbox_unpublished', ['seq'], { where: `"published_at" IS NULL` })
export class WorkflowOutboxEntity {
  @PrimaryColumn({ type: 'bigint' })
  @Generated('increment')
  seq!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 200 })
  eventId!: string;

  @Column({ name: 'transaction_id', type: 'varchar', length: 64 })
  transactionId!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 200 })
  eventType!: string;

  /** The CloudEvents `time`. */
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  /** The Avro `data` as JSON (timestamps as epoch milliseconds). */
  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}

/** What a transaction's timeline shows, in time order: the trigger, agencies' events, Rabt's emissions, breaches. */
@Entity({ name: 'workflow_timeline' })
@Index('IDX_workflow_timeline_transaction', ['transactionId', 'at', 'id'])
export class WorkflowTimelineEntity {
  @PrimaryColumn({ type: 'bigint' })
  @Generated('increment')
  id!: string;

  @Column({ name: 'transaction_id', type: 'varchar', length: 64 })
  transactionId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 16 })
  agency!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 200 })
  eventType!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 200 })
  eventId!: string;

  @Column({ type: 'text' })
  what!: string;
}

export const WORKFLOW_ENTITIES = [WorkflowTransactionEntity, WorkflowStepEntity, WorkflowEventEntity, WorkflowTimerEntity, WorkflowOutboxEntity, WorkflowTimelineEntity];
