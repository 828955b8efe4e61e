import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AgencyEntity } from '@rabt/persistence';
import { PublishConfig } from '../config/gateway.config';

interface Bucket {
  tokens: number;
  refilledAt: number;
  rate: number;
  burst: number;
  limitsUntil: number;
}

const LIMITS_CACHE_MS = 30_000;

/**
 * A token bucket per agency (per gateway instance): `rate` events per second, up to `burst` at
 * once. Each agency's own limits come from its row (rate_per_second, rate_burst), else the
 * configured default, re-read every 30 s.
 */
@Injectable()
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    @InjectRepository(AgencyEntity) private readonly agencies: Repository<AgencyEntity>,
    private readonly config: PublishConfig,
  ) {}

  /** Takes `cost` tokens; returns 0 if granted, else the seconds until that many are available. */
  async take(agency: string, cost: number, now = Date.now()): Promise<number> {
    const bucket = await this.bucket(agency, now);
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * bucket.rate);
    bucket.refilledAt = now;
    if (cost > bucket.burst) return Math.ceil(cost / bucket.rate);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((cost - bucket.tokens) / bucket.rate));
  }

  private async bucket(agency: string, now: number): Promise<Bucket> {
    let bucket = this.buckets.get(agency);
    if (!bucket || bucket.limitsUntil < now) {
      const row = await this.agencies.findOne({ where: { code: agency }, select: { code: true, ratePerSecond: true, rateBurst: true } });
      const rate = row?.ratePerSecond ?? this.config.ratePerSecond;
      const burst = row?.rateBurst ?? this.config.rateBurst;
      bucket = bucket ? Object.assign(bucket, { rate, burst, limitsUntil: now + LIMITS_CACHE_MS }) : { tokens: burst, refilledAt: now, rate, burst, limitsUntil: now + LIMITS_CACHE_MS };
      this.buckets.set(agency, bucket);
    }
    return bucket;
  }
}
