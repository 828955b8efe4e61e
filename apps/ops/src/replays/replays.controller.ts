import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OperatorPrincipal } from '../auth/roles';
import { CurrentOperator, RequireRole } from '../auth/session.guard';
import { ReplaysService } from './replays.service';

@ApiTags('dead letters')
@Controller('v1/replays')
export class ReplaysController {
  constructor(private readonly replays: ReplaysService) {}

  @Post()
  @HttpCode(202)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Bulk replay: {filter: {agency?, type?, errorCode?, from?, to?, transactionId?}, reason, ratePerSecond? (default 50)} → 202 ReplayJob' })
  start(@CurrentOperator() operator: OperatorPrincipal, @Body() body: unknown) {
    return this.replays.start(operator, body);
  }

  @Get()
  @ApiOperation({ summary: 'The latest bulk replays' })
  list(@CurrentOperator() operator: OperatorPrincipal) {
    return this.replays.list(operator);
  }

  @Get(':id')
  @ApiOperation({ summary: "A bulk replay's progress" })
  get(@CurrentOperator() operator: OperatorPrincipal, @Param('id') id: string) {
    return this.replays.get(operator, id);
  }
}
