import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { KeyExpiryConfig } from '@rabt/auth';
import { MetricsService } from '@rabt/observability';

interface AgencyExpiry {
  readonly agency: string;
  /** Seconds until the agency's first live key expires. */
  readonly soonest: number;
  /** Live keys that expire within the warning window. */
  readonly expiring: number;
}

/**
 * API-key expiry on GET /metrics, read from the database at each scrape (one grouped query on a
 * partial index of live keys with an expiry, shared by both gauges). Labelled by agency only, so
 * the series stay as few as the agencies; which keys they are is on the operator console and in
 * `rabt keys list`.
 */
@Injectable()
export class KeyExpiryMetrics {
  private pending: Promise<AgencyExpiry[]> | undefined;

  constructor(
    metrics: MetricsService,
    private readonly config: KeyExpiryConfig,
    private readonly dataSource: DataSource,
  ) {
    const load = () => this.load();
    new Gauge({
      name: 'rabt_api_keys_expiring',
      help: `Live API keys that expire within RABT_API_KEY_EXPIRY_WARNING_DAYS (${config.warningDays}), by agency`,
      labelNames: ['agency'],
      registers: [metrics.registry],
      async collect() {
        const rows = await load();
        this.reset();
        for (const r of rows) this.set({ agency: r.agency }, r.expiring);
      },
    });
    new Gauge({
      name: 'rabt_api_key_soonest_expiry_seconds',
      help: "Seconds until the agency's first live API key to expire does (agencies with such a key only)",
      labelNames: ['agency'],
      registers: [metrics.registry],
      async collect() {
        const rows = await load();
        this.reset();
        for (const r of rows) this.set({ agency: r.agency }, r.soonest);
      },
    });
  }

  /** One query per scrape: both gauges collect at once and share it. */
  private load(): Promise<AgencyExpiry[]> {
    if (!this.pending) {
      this.pending = this.query().finally(() => setTimeout(() => (this.pending = undefined), 1_000).unref());
    }
    return this.pending;
  }

  private async query(): Promise<AgencyExpiry[]> {
    const rows = (await this.dataSource.query(
      `SELECT agency_code AS agency, extract(epoch FROM min(expires_at) - now())::float8 AS soonest,
              count(*) FILTER (WHERE expires_at <= now() + make_interval(days => $1))::int AS expiring
         FROM agency_api_key WHERE revoked_at IS NULL AND expires_at > now() GROUP BY agency_code`,
      [this.config.warningDays],
    )) as { agency: string; soonest: number; expiring: number }[];
    return rows.map((r) => ({ agency: r.agency, soonest: Math.max(0, Math.floor(r.soonest)), expiring: r.expiring }));
  }
}
