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
  /** Request body bytes, refilled at the configured bytes per second up to the byte burst. */
  byteTokens: number;
}

const LIMITS_CACHE_MS = 30_000;

/**
 * Two token buckets per agency (per gateway instance). Events: `rate` per second, up to
 * `burst` at once; each agency's own limits come from its row (rate_per_second, rate_burst),
 * else the configured default, re-read every 30 s. Bytes of request bodies:
 * GATEWAY_RATE_BYTES_PER_SECOND, up to GATEWAY_RATE_BYTES_BURST at once, so that a few large
 * events cost as much as many small ones. A request is let through only if both have room.
 */
@Injectable()
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly loading = new Map<string, Promise<Bucket>>();

  constructor(
    @InjectRepository(AgencyEntity) private readonly agencies: Repository<AgencyEntity>,
    private readonly config: PublishConfig,
  ) {}

  /**
   * Takes `cost` event tokens and `bytes` byte tokens; returns 0 if both are granted, else the
   * seconds until both are available (and takes nothing).
   */
  async take(agency: string, cost: number, bytes = 0, now = Date.now()): Promise<number> {
    const bucket = await this.bucket(agency, now);
    // Never negative: a request that waited for the lookup may be older than the last refill.
    const elapsed = Math.max(0, now - bucket.refilledAt) / 1000;
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + elapsed * bucket.rate);
    bucket.byteTokens = Math.min(this.config.rateBytesBurst, bucket.byteTokens + elapsed * this.config.rateBytesPerSecond);
    bucket.refilledAt = Math.max(bucket.refilledAt, now);
    const wait = Math.max(waitFor(cost, bucket.tokens, bucket.rate, bucket.burst), waitFor(bytes, bucket.byteTokens, this.config.rateBytesPerSecond, this.config.rateBytesBurst));
    if (wait > 0) return wait;
    bucket.tokens -= cost;
    bucket.byteTokens -= bytes;
    return 0;
  }

  /**
   * The agency's bucket. Concurrent requests that find no bucket (the agency's first, or its
   * limits due for a re-read) share one lookup and so one bucket: a burst sent at once cannot
   * each find a full bucket of its own.
   */
  private bucket(agency: string, now: number): Bucket | Promise<Bucket> {
    const bucket = this.buckets.get(agency);
    if (bucket && bucket.limitsUntil >= now) return bucket;
    let loading = this.loading.get(agency);
    if (!loading) {
      loading = this.readLimits(agency, now).finally(() => this.loading.delete(agency));
      this.loading.set(agency, loading);
    }
    return loading;
  }

  private async readLimits(agency: string, now: number): Promise<Bucket> {
    const row = await this.agencies.findOne({ where: { code: agency }, select: { code: true, ratePerSecond: true, rateBurst: true } });
    const rate = row?.ratePerSecond ?? this.config.ratePerSecond;
    const burst = row?.rateBurst ?? this.config.rateBurst;
    const known = this.buckets.get(agency);
    const bucket = known
      ? Object.assign(known, { rate, burst, limitsUntil: now + LIMITS_CACHE_MS })
      : { tokens: burst, refilledAt: now, rate, burst, limitsUntil: now + LIMITS_CACHE_MS, byteTokens: this.config.rateBytesBurst };
    this.buckets.set(agency, bucket);
    return bucket;
  }
}

/** Seconds until `cost` tokens are there at `rate` per second (0: now); more than `burst` never is, so it says how long `cost` takes to earn. */
function waitFor(cost: number, tokens: number, rate: number, burst: number): number {
  if (cost > burst) return Math.ceil(cost / rate);
  if (tokens >= cost) return 0;
  return Math.max(1, Math.ceil((cost - tokens) / rate));
}
