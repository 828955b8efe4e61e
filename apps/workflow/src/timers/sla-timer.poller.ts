import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { MetricsService } from '@rabt/observability';
import { WorkflowConfig } from '../config/workflow.config';
import { TransactionEngine } from '../transactions/transaction.engine';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { PeriodicRun } from './periodic.run';

/**
 * SLA clocks are rows (workflow_timer.due_at), so they survive restarts: every
 * WORKFLOW_TIMER_POLL_MS the due ones are fired, each in its own Postgres transaction. Several
 * instances may poll; a timer is claimed (fired_at set) under the transaction's lock, so a breach
 * is raised once.
 */
@Injectable()
export class SlaTimerPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('sla');
  private readonly run = new PeriodicRun(
    () => this.fireDue(),
    (e: unknown) => this.log.warn({ err: e }, 'SLA timers could not be fired; retrying on the next poll'),
  );
  private readonly breaches: Counter<string>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: TransactionsRepository,
    private readonly engine: TransactionEngine,
    private readonly config: WorkflowConfig,
    metrics: MetricsService,
  ) {
    this.breaches = new Counter({ name: 'rabt_workflow_sla_breaches_total', help: 'SLA breaches raised', registers: [metrics.registry] });
  }

  onApplicationBootstrap(): void {
    this.run.start(this.config.timerPollMs);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.run.stop();
  }

  /** Fires every due timer (100 at a time); answers how many raised a breach. */
  async fireDue(): Promise<number> {
    let raised = 0;
    for (;;) {
      const now = new Date();
      const due = await this.repository.dueTimers(this.dataSource.manager, now, 100);
      for (const t of due) {
        if (this.run.stopped) return raised;
        if (await this.engine.fire(t.transactionId, t, now)) {
          raised++;
          this.breaches.inc();
        }
      }
      if (due.length < 100) return raised;
    }
  }
}
