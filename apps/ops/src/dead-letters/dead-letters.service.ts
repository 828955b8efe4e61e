import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { findCatalogueEntry } from '@rabt/contracts';
import type { DeadLetterDetail, DeadLetterPage, DeadLetterSummary } from '@rabt/ops-contracts';
import { OpsAudit } from '../audit/ops-audit';
import { actorOf, canActOn, canSee, hasRole, type OperatorPrincipal } from '../auth/roles';
import { OpsExceptionCode, opsError } from '../ops.exception';
import { encodeCursor, type DeadLetterListQuery } from './dead-letter.query';
import { DeadLettersRepository, type DeadLetterRow } from './dead-letters.repository';
import { DeadLetterMetrics } from './dead-letter.metrics';
import { maskSensitive } from './payload.masking';
import { errorAsSeenBy } from './publisher.view';

const notFound = (id: string) => opsError(OpsExceptionCode.DEAD_LETTER_NOT_FOUND, `no dead letter ${id}`);

/** Listing, showing (masked for viewers), replaying and discarding dead letters. */
@Injectable()
export class DeadLettersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deadLetters: DeadLettersRepository,
    private readonly audit: OpsAudit,
    private readonly metrics: DeadLetterMetrics,
  ) {}

  async list(operator: OperatorPrincipal, query: DeadLetterListQuery): Promise<DeadLetterPage> {
    const { items, last, total } = await this.deadLetters.list(query, operator.agency);
    return { items: items.map((d) => ({ ...d, lastError: errorAsSeenBy(operator, d.agency, d.lastStatus, d.lastError) })), nextCursor: last ? encodeCursor(last) : null, total };
  }

  async show(operator: OperatorPrincipal, id: string): Promise<DeadLetterDetail> {
    const row = this.visible(operator, await this.deadLetters.find(id), id);
    const { payload, cursor, ...rest } = row;
    void cursor;
    const { payload: shown, masked } = hasRole(operator.role, 'operator') ? { payload, masked: [] } : maskSensitive(payload, findCatalogueEntry(row.eventType)?.schema);
    const attempts = (await this.deadLetters.attempts(row.deliveryId)).map((a) => ({ ...a, error: errorAsSeenBy(operator, row.agency, a.status, a.error) }));
    return { ...rest, lastError: errorAsSeenBy(operator, row.agency, row.lastStatus, row.lastError), payload: shown, masked, attempts, attemptCount: row.attempts };
  }

  /** Back to pending with the same delivery id (so the same webhook-id); the dispatcher delivers it again. */
  async replay(operator: OperatorPrincipal, id: string, reason: string): Promise<DeadLetterSummary> {
    const summary = await this.dataSource.transaction(async (m) => {
      const row = this.actionable(operator, await this.deadLetters.find(id, m, true), id);
      if (row.state !== 'open') throw opsError(OpsExceptionCode.DEAD_LETTER_NOT_OPEN, `dead letter ${id} is ${row.state}`);
      const [done] = await this.deadLetters.replay(m, [id]);
      if (!done) throw opsError(OpsExceptionCode.DEAD_LETTER_NOT_OPEN, `the delivery of dead letter ${id} is no longer dead`);
      await this.audit.record({ actor: actorOf(operator), action: 'dead-letter.replayed', subject: `dead-letter:${id}`, reason, details: { webhookId: row.webhookId, agency: row.agency, eventType: row.eventType } }, m);
      return summaryOf({ ...row, state: 'replaying' });
    });
    this.metrics.replayed.inc({ agency: summary.agency, type: summary.eventType });
    return summary;
  }

  async discard(operator: OperatorPrincipal, id: string, reason: string): Promise<DeadLetterSummary> {
    return this.dataSource.transaction(async (m) => {
      const row = this.actionable(operator, await this.deadLetters.find(id, m, true), id);
      if (row.state !== 'open' || !(await this.deadLetters.discard(m, id, reason))) throw opsError(OpsExceptionCode.DEAD_LETTER_NOT_OPEN, `dead letter ${id} is ${row.state}`);
      await this.audit.record({ actor: actorOf(operator), action: 'dead-letter.discarded', subject: `dead-letter:${id}`, reason, details: { webhookId: row.webhookId, agency: row.agency, eventType: row.eventType } }, m);
      return summaryOf({ ...row, state: 'discarded', discardReason: reason });
    });
  }

  /** Visible, and a delivery to the operator's own agency (or the operator is Rabt's). */
  private actionable(operator: OperatorPrincipal, row: DeadLetterRow | undefined, id: string): DeadLetterRow {
    const visible = this.visible(operator, row, id);
    if (!canActOn(operator, visible.agency)) {
      throw opsError(OpsExceptionCode.FORBIDDEN_AGENCY, `dead letter ${id} is a delivery to ${visible.agency}; ${operator.agency} may look at it (it published the event) but only ${visible.agency} or Rabt's operators may replay or discard it`);
    }
    return visible;
  }

  /** Another agency's dead letter is answered as not found: its existence is not revealed. */
  private visible(operator: OperatorPrincipal, row: DeadLetterRow | undefined, id: string): DeadLetterRow {
    if (!row || !canSee(operator, [row.agency, row.publisher])) throw notFound(id);
    return row;
  }
}

const summaryOf = (row: DeadLetterRow): DeadLetterSummary => {
  const { payload, cursor, ...summary } = row;
  void payload;
  void cursor;
  return summary;
};
