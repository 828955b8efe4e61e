import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { LoggingConfig } from '@rabt/config';

/**
 * One Prometheus registry per service instance. Libraries and apps register their own
 * metrics on `registry`; `/metrics` exposes it.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(logging: LoggingConfig) {
    this.registry.setDefaultLabels({ service: logging.service });
    collectDefaultMetrics({ register: this.registry, prefix: 'rabt_' });
    this.httpRequests = new Counter({
      name: 'rabt_http_requests_total',
      help: 'HTTP requests answered, by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'rabt_http_request_duration_seconds',
      help: 'HTTP request latency, by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }
}
