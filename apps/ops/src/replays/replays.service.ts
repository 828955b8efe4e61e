import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Items, ReplayJob } from '@rabt/ops-contracts';
import { OpsAudit } from '../audit/ops-audit';
import { actorOf, type OperatorPrincipal } from '../auth/roles';
import { requireReason } from '../auth/session.guard';
import { parseDeadLetterFilter } from '../dead-letters/dead-letter.query';
import { OpsExceptionCode, opsError } from '../ops.exception';
import { ReplayJobsRepository, replayJobView } from './replay-jobs.repository';
import { ReplayWorker } from './replay.worker';

export const DEFAULT_REPLAY_RATE = 50;
export const MAX_REPLAY_RATE = 1000;

/** Starting and reading bulk replays (the worker does them). */
@Injectable()
export class ReplaysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: ReplayJobsRepository,
    private readonly worker: ReplayWorker,
    private readonly audit: OpsAudit,
  ) {}

  async start(operator: OperatorPrincipal, body: unknown): Promise<ReplayJob> {
    const input = (body ?? {}) as { filter?: unknown; ratePerSecond?: unknown };
    const reason = requireReason(body);
    if (input.filter !== undefined && (typeof input.filter !== 'object' || input.filter === null || Array.isArray(input.filter))) {
      throw opsError(OpsExceptionCode.INVALID_FILTER, 'filter: an object of agency, type, errorCode, from, to, transactionId');
    }
    const filter = parseDeadLetterFilter((input.filter ?? {}) as Record<string, unknown>);
    const rate = input.ratePerSecond ?? DEFAULT_REPLAY_RATE;
    if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 1 || rate > MAX_REPLAY_RATE) {
      throw opsError(OpsExceptionCode.INVALID_REQUEST, `ratePerSecond: a whole number from 1 to ${MAX_REPLAY_RATE}`);
    }
    const job = await this.dataSource.transaction(async (m) => {
      const created = await this.jobs.create(m, { filter, scope: operator.agency, reason, requestedBy: operator.username, ratePerSecond: rate });
      await this.audit.record({ actor: actorOf(operator), action: 'replay-job.started', subject: `replay-job:${created.id}`, reason, details: { filter: created.filter, total: created.total, ratePerSecond: rate } }, m);
      return created;
    });
    this.worker.wake();
    return replayJobView(job);
  }

  async list(operator: OperatorPrincipal): Promise<Items<ReplayJob>> {
    return { items: (await this.jobs.list(operator.agency)).map(replayJobView) };
  }

  async get(operator: OperatorPrincipal, id: string): Promise<ReplayJob> {
    const job = await this.jobs.find(id);
    if (!job || (operator.agency !== null && job.scopeAgency !== operator.agency)) throw opsError(OpsExceptionCode.REPLAY_JOB_NOT_FOUND, `no replay job ${id}`);
    return replayJobView(job);
  }
}
