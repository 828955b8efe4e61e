import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { formatDuration, parseDuration } from '@rabt/config';
import type { Dashboard } from '@rabt/ops-contracts';
import type { OperatorPrincipal } from '../auth/roles';
import { CurrentOperator } from '../auth/session.guard';
import { OpsExceptionCode, opsError } from '../ops.exception';
import { DashboardRepository } from './dashboard.repository';

const MAX_WINDOW_MS = 24 * 3_600_000;

@ApiTags('dashboard')
@Controller('v1/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardRepository) {}

  @Get()
  @ApiOperation({ summary: 'Per-minute published/delivered/failed, per-agency totals and transaction states over `window` (default 15m, at most 24h)' })
  async get(@CurrentOperator() operator: OperatorPrincipal, @Query('window') window = '15m'): Promise<Dashboard> {
    let windowMs: number;
    try {
      windowMs = parseDuration(window);
    } catch {
      throw opsError(OpsExceptionCode.INVALID_FILTER, 'window: a duration such as 15m, 1h or 24h');
    }
    if (windowMs < 60_000 || windowMs > MAX_WINDOW_MS) throw opsError(OpsExceptionCode.INVALID_FILTER, 'window: from 1m to 24h');
    const [series, agencies, sla] = await Promise.all([this.dashboard.perMinute(windowMs, operator.agency), this.dashboard.perAgency(windowMs, operator.agency), this.dashboard.sla(operator.agency)]);
    return {
      window: formatDuration(windowMs),
      series: series.map((m) => ({ t: m.t.toISOString(), published: m.published, delivered: m.delivered, failed: m.failed })),
      agencies: agencies.map((a) => ({ agency: a.agency, published: a.published, delivered: a.delivered, failed: a.failed, deadLetters: a.dead_letters })),
      sla,
    };
  }
}
