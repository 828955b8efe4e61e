import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { formatDuration } from '@rabt/config';
import { MetricsService } from '@rabt/observability';
import { WorkflowConfig } from '../config/workflow.config';
import { TransactionEngine } from '../transactions/transaction.engine';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { PeriodicRun } from './periodic.run';

const BATCH = 100;

/**
 * Events kept for a transaction that has not started, or for a step not yet current, are kept for
 * WORKFLOW_HELD_TTL at most: every WORKFLOW_HELD_SWEEP_MS the older ones are dropped (outcome
 * `expired`, a timeline line, a log line and rabt_workflow_held_expired_total), each
 * transaction's under its lock. Without it, a party could fill the table with events for
 * transactions that never start, and a held event could complete a step months later.
 */
@Injectable()
export class HeldEventsExpiry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('held');
  private readonly run = new PeriodicRun(
    () => this.expireDue(),
    (e: unknown) => this.log.warn({ err: e }, 'held events could not be expired; retrying on the next sweep'),
  );
  private readonly expired: Counter<'type'>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: TransactionsRepository,
    private readonly engine: TransactionEngine,
    private readonly config: WorkflowConfig,
    metrics: MetricsService,
  ) {
    this.expired = new Counter({ name: 'rabt_workflow_held_expired_total', help: 'Held events dropped after WORKFLOW_HELD_TTL, by type', labelNames: ['type'], registers: [metrics.registry] });
  }

  onApplicationBootstrap(): void {
    this.run.start(this.config.heldSweepMs);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.run.stop();
  }

  /** Drops every event held for longer than the TTL; answers how many. */
  async expireDue(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.heldTtlMs);
    let dropped = 0;
    for (;;) {
      const transactions = await this.repository.holdingSince(this.dataSource.manager, cutoff, BATCH);
      for (const id of transactions) {
        if (this.run.stopped) return dropped;
        const expired = await this.engine.expireHeld(id, cutoff, this.config.heldTtlMs, now);
        for (const e of expired) {
          this.expired.inc({ type: e.type });
          this.log.log({ transactionId: id, source: e.source, eventId: e.id, type: e.type }, `held event dropped: kept for longer than ${formatDuration(this.config.heldTtlMs)}`);
        }
        dropped += expired.length;
      }
      if (transactions.length < BATCH) return dropped;
    }
  }
}
