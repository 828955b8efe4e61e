import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OperatorPrincipal } from '../auth/roles';
import { CurrentOperator, RequireRole, requireReason } from '../auth/session.guard';
import { parseDeadLetterListQuery } from './dead-letter.query';
import { DeadLettersService } from './dead-letters.service';

@ApiTags('dead letters')
@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiOperation({ summary: 'Dead letters, newest first: query agency, type, errorCode, from, to, transactionId, state (default open), limit (≤200), cursor' })
  list(@CurrentOperator() operator: OperatorPrincipal, @Query() query: Record<string, unknown>) {
    return this.deadLetters.list(operator, parseDeadLetterListQuery(query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One dead letter: the CloudEvent (sensitive fields masked for viewers) and its attempts' })
  show(@CurrentOperator() operator: OperatorPrincipal, @Param('id') id: string) {
    return this.deadLetters.show(operator, id);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Deliver again with the same webhook-id: {reason}; 409 DEAD_LETTER_NOT_OPEN' })
  replay(@CurrentOperator() operator: OperatorPrincipal, @Param('id') id: string, @Body() body: unknown) {
    return this.deadLetters.replay(operator, id, requireReason(body));
  }

  @Post(':id/discard')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Discard for good: {reason}; 409 DEAD_LETTER_NOT_OPEN' })
  discard(@CurrentOperator() operator: OperatorPrincipal, @Param('id') id: string, @Body() body: unknown) {
    return this.deadLetters.discard(operator, id, requireReason(body));
  }
}
