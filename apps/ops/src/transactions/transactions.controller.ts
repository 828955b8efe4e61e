import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page, TransactionSummary } from '@rabt/ops-contracts';
import { TRANSACTION_STATES, transactionView } from '@rabt/persistence';
import type { TransactionView } from '@rabt/sdk';
import { canSee, type OperatorPrincipal } from '../auth/roles';
import { CurrentOperator } from '../auth/session.guard';
import { OpsExceptionCode, opsError } from '../ops.exception';
import { TransactionsRepository } from './transactions.repository';

const encode = (startedUs: string, id: string) => Buffer.from(JSON.stringify([startedUs, id])).toString('base64url');
function decode(cursor: string): { startedUs: string; id: string } {
  try {
    const [startedUs, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof startedUs === 'string' && /^\d{1,18}$/.test(startedUs) && typeof id === 'string' && id.length <= 64) return { startedUs, id };
  } catch {
    // falls through
  }
  throw opsError(OpsExceptionCode.INVALID_CURSOR, 'cursor: pass the nextCursor of the previous page unchanged');
}

/** Cross-agency transactions; an agency account sees those its agency is party to. */
@ApiTags('transactions')
@Controller('v1/transactions')
export class TransactionsController {
  constructor(private readonly transactions: TransactionsRepository) {}

  @Get()
  @ApiOperation({ summary: 'Transactions, newest first: query state, workflow, limit (≤200), cursor' })
  async list(@CurrentOperator() operator: OperatorPrincipal, @Query() q: Record<string, string | undefined>): Promise<Page<TransactionSummary>> {
    const errors: string[] = [];
    if (q['state'] && !(TRANSACTION_STATES as readonly string[]).includes(q['state'])) errors.push(`state: one of ${TRANSACTION_STATES.join(', ')}`);
    if (q['workflow'] && !/^[a-z0-9-]{1,100}$/.test(q['workflow'])) errors.push('workflow: a workflow name');
    const limit = q['limit'] ? Number(q['limit']) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) errors.push('limit: a whole number from 1 to 200');
    if (errors.length) throw opsError(OpsExceptionCode.INVALID_FILTER, errors.join('; '), { errors });
    const rows = await this.transactions.page({
      scope: operator.agency,
      limit,
      ...(q['state'] ? { state: q['state'] } : {}),
      ...(q['workflow'] ? { workflow: q['workflow'] } : {}),
      ...(q['cursor'] ? { after: decode(q['cursor']) } : {}),
    });
    const page = rows.slice(0, limit);
    const last = rows.length > limit ? page[page.length - 1] : undefined;
    return {
      items: page.map((t) => ({ id: t.id, workflow: t.workflow, state: t.state, startedAt: t.started_at.toISOString(), updatedAt: t.updated_at.toISOString(), parties: t.parties })),
      nextCursor: last ? encode(last.started_us, last.id) : null,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: "A transaction: state, steps and timeline (the gateway's TransactionView)" })
  async view(@CurrentOperator() operator: OperatorPrincipal, @Param('id') id: string): Promise<TransactionView> {
    const record = id.length <= 64 ? await this.transactions.read(id) : null;
    if (!record || !canSee(operator, record.transaction.parties)) throw opsError(OpsExceptionCode.TRANSACTION_NOT_FOUND, `no transaction ${id}`);
    return transactionView(record);
  }
}
