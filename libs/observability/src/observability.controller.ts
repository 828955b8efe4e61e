import { Controller, Get, Header, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
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

  /**
   * Every dependency answers: 200 when all are up, 503 with terminus' own report (which one
   * is down, and why) otherwise — a load balancer and an operator read the same document.
   */
  @Get('health/ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    try {
      await reply.status(200).send(await this.health.check(this.readiness.map((r) => () => r.isReady())));
    } catch (e) {
      if (!(e instanceof ServiceUnavailableException)) throw e;
      await reply.status(503).header('Cache-Control', 'no-store').send(e.getResponse());
    }
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async prometheus(@Res() reply: FastifyReply): Promise<void> {
    const body = await this.metrics.registry.metrics();
    await reply.header('Content-Type', this.metrics.registry.contentType).send(body);
  }
}
