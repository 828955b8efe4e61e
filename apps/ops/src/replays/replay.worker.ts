import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { OpsAudit } from '../audit/ops-audit';
import { OpsConfig } from '../config/ops.config';
import { DeadLetterMetrics } from '../dead-letters/dead-letter.metrics';
import { DeadLettersRepository } from '../dead-letters/dead-letters.repository';
import { ReplayJobsRepository } from './replay-jobs.repository';

/**
 * Works bulk replays: one page (ratePerSecond dead letters) per second at most. Each page is one
 * transaction holding the job's row lock: its dead letters put back to pending, audited, and the
 * job's position moved past them; so a page is done exactly once even with several ops instances
 * or a crash between pages (the next instance resumes after the stored position).
 */
@Injectable()
export class ReplayWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('replays');
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: ReplayJobsRepository,
    private readonly deadLetters: DeadLettersRepository,
    private readonly audit: OpsAudit,
    private readonly metrics: DeadLetterMetrics,
    private readonly config: OpsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** A job was started: look now. */
  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      let worked = false;
      try {
        worked = await this.workOnePage();
      } catch (e) {
        this.log.warn({ err: e }, 'a bulk replay page failed; trying again');
      }
      const pause = worked ? Math.max(0, 1000 - (Date.now() - started)) : this.config.replayPollMs;
      if (this.running && pause > 0) await this.sleep(pause);
    }
  }

  /** One page of the oldest running job no one else holds; false when there was none. */
  async workOnePage(): Promise<boolean> {
    const replayed = await this.dataSource.transaction(async (m) => {
      const job = await this.jobs.takeRunning(m);
      if (!job) return undefined;
      const ids = await this.jobs.nextPage(m, job, job.ratePerSecond);
      if (ids.length === 0) {
        await this.jobs.finish(m, job.id, 'completed');
        this.log.log(`bulk replay ${job.id} completed`);
        return [];
      }
      const done = await this.deadLetters.replay(m, ids);
      await this.audit.recordMany(
        done.map((d) => ({ actor: `operator:${job.requestedBy}`, action: 'dead-letter.replayed', subject: `dead-letter:${d.id}`, reason: job.reason, details: { replayJob: job.id } })),
        m,
      );
      await this.jobs.advance(m, job.id, ids[ids.length - 1]!, done.length, ids.length - done.length);
      return done;
    });
    for (const d of replayed ?? []) this.metrics.replayed.inc({ agency: d.agency, type: d.type });
    return replayed !== undefined;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
