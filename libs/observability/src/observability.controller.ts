import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { MetricsService } from './metrics.service';
import { READINESS_INDICATORS, ReadinessIndicator } from './readiness.indicator';

@Controller()
export class ObservabilityController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly metrics: MetricsService,
    @Inject(READINESS_INDICATORS) private readonly readiness: ReadinessIndicator[],
  ) {}

  /** The process is alive and its event loop turns; says nothing about dependencies. */
  @Get('health/live')
  @HealthCheck({ swaggerDocumentation: false })
  live() {
    return this.health.check([async () => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) })]);
  }

  /** Every dependency answers: 200 when all are up, 503 (with which is down) otherwise. */
  @Get('health/ready')
  @HealthCheck({ swaggerDocumentation: false })
  ready() {
    return this.health.check(this.readiness.map((r) => () => r.isReady()));
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async prometheus(@Res() reply: FastifyReply): Promise<void> {
    const body = await this.metrics.registry.metrics();
    await reply.header('Content-Type', this.metrics.registry.contentType).send(body);
  }
}
