import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * A dependency the service cannot serve without (Kafka, Postgres, …). `/health/ready` is up
 * only while every registered indicator is up.
 */
export abstract class ReadinessIndicator {
  abstract readonly key: string;
  abstract isReady(): Promise<HealthIndicatorResult>;
}

export const READINESS_INDICATORS = Symbol('READINESS_INDICATORS');
