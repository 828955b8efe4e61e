import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '@rabt/observability';

/** The gateway's publish metrics (on GET /metrics). */
@Injectable()
export class PublishMetrics {
  /** Events accepted (durably stored), by publishing agency and type. */
  readonly published: Counter<'agency' | 'type'>;

  constructor(metrics: MetricsService) {
    this.published = new Counter({ name: 'rabt_published_total', help: 'Events accepted by the gateway, by publishing agency and type', labelNames: ['agency', 'type'], registers: [metrics.registry] });
  }
}
