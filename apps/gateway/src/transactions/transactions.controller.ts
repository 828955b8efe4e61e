import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@rabt/auth';
import { STEP_STATES, TRANSACTION_STATES } from '@rabt/persistence';
import { Caller } from '../auth/bearer-auth.guard';
import { TransactionsService } from './transactions.service';

const PROBLEM = { description: 'application/problem+json with a stable `code`' };
const dateTime = (description: string, nullable = false) => ({ type: 'string', format: 'date-time', description, ...(nullable ? { nullable: true } : {}) });

const TRANSACTION = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'the transactionid of the event that started it' },
    workflow: { type: 'string', example: 'employee-left-work' },
    workflowVersion: { type: 'integer', example: 1 },
    state: { type: 'string', enum: [...TRANSACTION_STATES] },
    startedAt: dateTime('when the workflow service took in the trigger'),
    completedAt: dateTime('when it completed, or was compensated; null while running or compensating', true),
    steps: {
      type: 'array',
      description: 'in definition order',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', example: 'register-absconding' },
          agency: { type: 'string', example: 'rop' },
          awaits: { type: 'string', example: 'rop.residence.absconding-registered' },
          state: { type: 'string', enum: [...STEP_STATES], description: 'waiting = current; breached = current and past its SLA; skipped = never done before a withdrawal' },
          becameCurrentAt: dateTime('when the step became current', true),
          slaDueAt: dateTime('when its SLA runs out', true),
          completedAt: dateTime('when its event was recorded', true),
          eventId: { type: 'string', nullable: true, description: 'CloudEvents id of the event that completed it' },
          breachedAt: dateTime('when its SLA breach was raised (kept after the step completes)', true),
        },
      },
    },
    timeline: {
      type: 'array',
      description: 'in time order: the trigger, each agency event, each rabt.transaction.* emission (agency ita), breaches',
      items: {
        type: 'object',
        properties: {
          at: dateTime('the event time (for agency events, their CloudEvents time)'),
          agency: { type: 'string' },
          type: { type: 'string', description: 'CloudEvents type' },
          eventId: { type: 'string' },
          what: { type: 'string', description: 'a sentence for people' },
        },
      },
    },
  },
};

@ApiTags('transactions')
@ApiBearerAuth()
@Controller('v1/transactions')
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @Get(':id')
  @ApiOperation({
    summary: 'State and timeline of a cross-agency transaction',
    description:
      'The workflow it runs, its state, each step (who owes what, since when, its SLA and whether it was breached) and a per-agency timeline. Only agencies party to the transaction (the trigger\'s publisher, every step\'s and compensation\'s agency) and the operator (ita) may read it; to anyone else it does not exist (404).',
  })
  @ApiParam({ name: 'id', description: 'the transactionid (the gateway answers it when the trigger is published)' })
  @ApiResponse({ status: 200, schema: TRANSACTION })
  @ApiResponse({ status: 401, ...PROBLEM })
  @ApiResponse({ status: 404, description: 'TRANSACTION_NOT_FOUND: no such transaction, or the agency is not party to it (the same answer for both)' })
  find(@Caller() caller: Principal, @Param('id') id: string) {
    return this.transactions.view(caller, id);
  }
}
