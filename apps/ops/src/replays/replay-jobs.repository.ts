import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ReplayJob, ReplayJobState } from '@rabt/ops-contracts';
import { ReplayJobEntity, type ReplayFilter } from '@rabt/persistence';
import type { DeadLetterFilter } from '../dead-letters/dead-letter.query';
import { filterConditions } from '../dead-letters/dead-letters.repository';

/** A replay_job row as the ops API answers it. */
export const replayJobView = (j: ReplayJobEntity): ReplayJob => ({
  id: j.id,
  state: j.state,
  filter: j.filter,
  reason: j.reason,
  requestedBy: j.requestedBy,
  total: j.total,
  done: j.done,
  skipped: j.skipped,
  ratePerSecond: j.ratePerSecond,
  createdAt: j.createdAt.toISOString(),
  finishedAt: j.finishedAt?.toISOString() ?? null,
});

/** The stored filter (dates as ISO text) back as a query filter. */
export const storedFilter = (f: ReplayFilter): DeadLetterFilter => ({
  ...(f.agency ? { agency: f.agency } : {}),
  ...(f.type ? { type: f.type } : {}),
  ...(f.errorCode ? { errorCode: f.errorCode as DeadLetterFilter['errorCode'] } : {}),
  ...(f.from ? { from: new Date(f.from) } : {}),
  ...(f.to ? { to: new Date(f.to) } : {}),
  ...(f.transactionId ? { transactionId: f.transactionId } : {}),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** replay_job rows: creating a job (with its total), taking the next one to work on under lock, its pages. */
@Injectable()
export class ReplayJobsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A running job over the open dead letters matching `filter` now (later ones are not part of it). */
  async create(manager: EntityManager, job: { filter: DeadLetterFilter; scope: string | null; reason: string; requestedBy: string; ratePerSecond: number }): Promise<ReplayJobEntity> {
    const params: unknown[] = [];
    const where = [...filterConditions(job.filter, job.scope, params, 'act'), `dl.state = 'open'`];
    const stored: ReplayFilter = {
      ...(job.filter.agency ? { agency: job.filter.agency } : {}),
      ...(job.filter.type ? { type: job.filter.type } : {}),
      ...(job.filter.errorCode ? { errorCode: job.filter.errorCode } : {}),
      ...(job.filter.from ? { from: job.filter.from.toISOString() } : {}),
      ...(job.filter.to ? { to: job.filter.to.toISOString() } : {}),
      ...(job.filter.transactionId ? { transactionId: job.filter.transactionId } : {}),
    };
    const n = params.length;
    const [row] = (await manager.query(
      `INSERT INTO replay_job (filter, scope_agency, reason, requested_by, rate_per_second, up_to, total)
       SELECT $${n + 1}::jsonb, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, now(), count(*)::int
         FROM dead_letter dl JOIN delivery d ON d.id = dl.delivery_id
        WHERE ${where.join(' AND ')} AND dl.created_at <= now()
       RETURNING id`,
      [...params, JSON.stringify(stored), job.scope, job.reason, job.requestedBy, job.ratePerSecond],
    )) as { id: string }[];
    return manager.findOneByOrFail(ReplayJobEntity, { id: row!.id });
  }

  async find(id: string): Promise<ReplayJobEntity | null> {
    return UUID.test(id) ? this.dataSource.manager.findOneBy(ReplayJobEntity, { id }) : null;
  }

  async list(scope: string | null): Promise<ReplayJobEntity[]> {
    return this.dataSource.manager.find(ReplayJobEntity, { where: scope ? { scopeAgency: scope } : {}, order: { createdAt: 'DESC' }, take: 100 });
  }

  /**
   * The oldest running job no other ops instance holds, locked for `manager`'s transaction
   * (SKIP LOCKED: two instances never work the same page of a job).
   */
  async takeRunning(manager: EntityManager): Promise<ReplayJobEntity | undefined> {
    const [row] = (await manager.query(`SELECT id FROM replay_job WHERE state = 'running' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`)) as { id: string }[];
    return row ? manager.findOneByOrFail(ReplayJobEntity, { id: row.id }) : undefined;
  }

  /** The job's next page: open dead letters after its position, oldest first. */
  async nextPage(manager: EntityManager, job: ReplayJobEntity, size: number): Promise<string[]> {
    const params: unknown[] = [];
    const where = [...filterConditions(storedFilter(job.filter), job.scopeAgency, params, 'act'), `dl.state = 'open'`];
    params.push(job.upTo);
    where.push(`dl.created_at <= $${params.length}`);
    if (job.positionCreatedAt && job.positionId) {
      params.push(job.positionId);
      // The stored position's exact timestamp (microseconds) comes from the job row itself.
      where.push(`(dl.created_at, dl.id) > ((SELECT position_created_at FROM replay_job WHERE id = $${params.length + 1}), $${params.length}::uuid)`);
      params.push(job.id);
    }
    params.push(size);
    const rows = (await manager.query(
      `SELECT dl.id FROM dead_letter dl JOIN delivery d ON d.id = dl.delivery_id WHERE ${where.join(' AND ')} ORDER BY dl.created_at, dl.id LIMIT $${params.length}`,
      params,
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** After a page: progress and the new position, in the page's transaction. */
  async advance(manager: EntityManager, jobId: string, lastId: string, done: number, skipped: number): Promise<void> {
    await manager.query(
      `UPDATE replay_job SET done = done + $3, skipped = skipped + $4,
              position_id = $2, position_created_at = (SELECT created_at FROM dead_letter WHERE id = $2)
        WHERE id = $1`,
      [jobId, lastId, done, skipped],
    );
  }

  async finish(manager: EntityManager, jobId: string, state: ReplayJobState, error: string | null = null): Promise<void> {
    // Dead letters counted in the total but no longer open when reached (replayed or discarded one by one meanwhile) were skipped.
    await manager.query(`UPDATE replay_job SET state = $2, error = $3, finished_at = now(), skipped = GREATEST(skipped, total - done) WHERE id = $1`, [jobId, state, error]);
  }
}
