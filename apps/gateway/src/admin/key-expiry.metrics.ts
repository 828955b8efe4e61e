import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { KeyExpiryConfig } from '@rabt/auth';
import { MetricsService } from '@rabt/observability';

/**
 * API-key expiry on GET /metrics, read from the database at each scrape (one grouped query on a
 * partial index of live keys with an expiry). Labelled by agency only, so the series stay as few
 * as the agencies; which keys they are is on the operator console and `rabt keys list`.
 */
@Injectable()
export class KeyExpiryMetrics {
  constructor(metrics: MetricsService, config: KeyExpiryConfig, dataSource: DataSource) {
    const soonest = new Gauge({
      name: 'rabt_api_key_soonest_expiry_seconds',
      help: "Seconds until the agency's live API key that expires first does (only agencies with a key that expires)",
      labelNames: ['agency'],
      registers: [metrics.registry],
    });
    new Gauge({
      name: 'rabt_api_keys_expiring',
      help: `Live API keys that expire within RABT_API_KEY_EXPIRY_WARNING_DAYS (${config.warningDays}), by agency`,
      labelNames: ['agency'],
      registers: [metrics.registry],
      async collect() {
        const rows = (await dataSource.query(
          `SELECT agency_code AS agency, extract(epoch FROM min(expires_at) - now())::float8 AS soonest,
                  count(*) FILTER (WHERE expires_at <= now() + make_interval(days => $1))::int AS expiring
             FROM agency_api_key WHERE revoked_at IS NULL AND expires_at > now() GROUP BY agency_code`,
          [config.warningDays],
        )) as { agency: string; soonest: number; expiring: number }[];
        this.reset();
        soonest.reset();
        for (const r of rows) {
          this.set({ agency: r.agency }, r.expiring);
          soonest.set({ agency: r.agency }, Math.max(0, Math.floor(r.soonest)));
        }
      },
    });
  }
}
