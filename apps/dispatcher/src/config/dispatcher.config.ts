import { z } from 'zod';
import { auditFragment } from '@rabt/audit';
import { secretKeyFragment } from '@rabt/auth';
import { configTypes, databaseFragment, fragment, httpFragment, kafkaFragment, loadConfig, loggingFragment, parseDuration, schemaRegistryClientFragment } from '@rabt/config';
import { webhookPolicyFragment } from '@rabt/routing';
import { parseSchedule } from '../delivery/retry.schedule';

export const DISPATCHER_SERVICE = 'dispatcher';
export const DEFAULT_RETRY_SCHEDULE = '5s,30s,2m,10m,30m,1h,3h,6h,12h';

/** How deliveries are taken in, attempted, retried and given up. */
export abstract class DispatcherConfig {
  /** Kafka consumer group of the inbox intake. */
  abstract readonly groupId: string;
  /** Delays before the 2nd, 3rd, … attempt (ms); one more attempt than entries. */
  abstract readonly retrySchedule: readonly number[];
  /** ± share of each delay randomised (0.2 = ±20 %). */
  abstract readonly retryJitter: number;
  /** A delivery older than this is dead-lettered instead of retried (ms). */
  abstract readonly maxAgeMs: number;
  /** One attempt: connect, send, and the whole answer (ms). */
  abstract readonly timeoutMs: number;
  /**
   * How long a connection to an endpoint is kept open idle for the next attempt (ms); shorter when
   * the receiver's `Keep-Alive: timeout=` says so. Below the receivers' own idle timeouts, so that
   * an attempt never goes out on a connection the receiver is closing.
   */
  abstract readonly keepAliveMs: number;
  /** Attempts in flight per endpoint (URL origin). */
  abstract readonly endpointConcurrency: number;
  /** Attempts in flight in all. */
  abstract readonly maxInFlight: number;
  /** Deliveries claimed per query. */
  abstract readonly claimBatch: number;
  /**
   * Claims an endpoint may hold waiting in this process beyond its free slots, so a freed slot
   * starts the next attempt without a claim round trip (0: claim only what the slots take now).
   */
  abstract readonly prefetch: number;
  /** How often due deliveries are looked for when nothing woke the worker (ms). */
  abstract readonly pollMs: number;
  /** A claim's lease: timeout + this grace; a crashed dispatcher's claims are retried after it (ms). */
  abstract readonly leaseGraceMs: number;
  abstract readonly breakerFailures: number;
  abstract readonly breakerWindowMs: number;
  abstract readonly breakerCooldownMs: number;
  /** How long a subscription read from Postgres is reused (ms). */
  abstract readonly subscriptionCacheMs: number;
  /** How often new agencies' inbox topics are looked for (ms). */
  abstract readonly topicRefreshMs: number;
  /** Inbox partitions taken in concurrently. */
  abstract readonly intakeConcurrency: number;
  /** How often the waiting deliveries of removed subscriptions are ended as gone (ms). */
  abstract readonly orphanSweepMs: number;
  /** How long the intake group waits for a silent member (a killed dispatcher) before reassigning its partitions (ms). */
  abstract readonly sessionTimeoutMs: number;
  /**
   * Rabt's client certificate (OU=service, CN=dispatcher, from Rabt's CA), presented to every
   * HTTPS endpoint that asks for one (mutual TLS), and an extra CA trusted for endpoints' server
   * certificates besides the system's: PEM file paths, read at start (webhook.tls.ts).
   */
  abstract readonly tls: { readonly clientCertFile?: string; readonly clientKeyFile?: string; readonly caFile?: string };
}

const duration = (name: string) =>
  z.string().superRefine((value, ctx) => {
    try {
      parseDuration(value);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `${name}: ${(e as Error).message}` });
    }
  });

const dispatcherFragment = () =>
  fragment({
    token: DispatcherConfig,
    env: {
      DISPATCHER_GROUP_ID: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, { message: 'must be 1-200 characters of A-Z a-z 0-9 . _ -' }).default('rabt-dispatcher'),
      DISPATCHER_RETRY_SCHEDULE: z
        .string()
        .default(DEFAULT_RETRY_SCHEDULE)
        .superRefine((value, ctx) => {
          try {
            parseSchedule(value);
          } catch (e) {
            ctx.addIssue({ code: 'custom', message: (e as Error).message });
          }
        }),
      DISPATCHER_RETRY_JITTER: z.coerce.number({ message: 'must be a number' }).min(0, { message: 'must be between 0 and 1' }).max(1, { message: 'must be between 0 and 1' }).default(0.2),
      DISPATCHER_MAX_AGE: duration('a duration').default('24h'),
      DISPATCHER_TIMEOUT_MS: configTypes.positiveInt.max(300_000, { message: 'must be at most 300000' }).default(10_000),
      // Below the 5 s idle timeout of Node's and Apache's servers (nginx: 75 s).
      DISPATCHER_KEEP_ALIVE_MS: configTypes.positiveInt.max(600_000, { message: 'must be at most 600000' }).default(4_000),
      DISPATCHER_ENDPOINT_CONCURRENCY: configTypes.positiveInt.max(1000).default(8),
      DISPATCHER_MAX_IN_FLIGHT: configTypes.positiveInt.max(10_000).default(256),
      DISPATCHER_CLAIM_BATCH: configTypes.positiveInt.max(1000).default(100),
      // Unset: one endpoint concurrency's worth (a second round of attempts ready to go).
      DISPATCHER_PREFETCH: z.coerce
        .number({ message: 'must be a number' })
        .int({ message: 'must be a whole number' })
        .min(0, { message: 'must be 0 (no prefetch) or more' })
        .max(1000, { message: 'must be at most 1000' })
        .optional(),
      DISPATCHER_POLL_MS: configTypes.positiveInt.default(500),
      DISPATCHER_LEASE_GRACE_MS: configTypes.positiveInt.default(30_000),
      DISPATCHER_BREAKER_FAILURES: configTypes.positiveInt.default(5),
      DISPATCHER_BREAKER_WINDOW_MS: configTypes.positiveInt.default(60_000),
      DISPATCHER_BREAKER_COOLDOWN_MS: configTypes.positiveInt.default(30_000),
      DISPATCHER_SUBSCRIPTION_CACHE_MS: z.coerce.number({ message: 'must be a number' }).int().min(0).default(2_000),
      DISPATCHER_TOPIC_REFRESH_MS: configTypes.positiveInt.default(60_000),
      DISPATCHER_INTAKE_CONCURRENCY: configTypes.positiveInt.max(64).default(4),
      DISPATCHER_ORPHAN_SWEEP_MS: configTypes.positiveInt.default(30_000),
      DISPATCHER_TLS_CLIENT_CERT: z.string().min(1).optional(),
      DISPATCHER_TLS_CLIENT_KEY: z.string().min(1).optional(),
      DISPATCHER_TLS_CA: z.string().min(1).optional(),
      DISPATCHER_SESSION_TIMEOUT_MS: configTypes.positiveInt.min(6_000, { message: 'must be at least 6000 (the broker minimum)' }).max(300_000).default(30_000),
    },
    map: (e): DispatcherConfig => ({
      groupId: e.DISPATCHER_GROUP_ID,
      retrySchedule: parseSchedule(e.DISPATCHER_RETRY_SCHEDULE),
      retryJitter: e.DISPATCHER_RETRY_JITTER,
      maxAgeMs: parseDuration(e.DISPATCHER_MAX_AGE),
      timeoutMs: e.DISPATCHER_TIMEOUT_MS,
      keepAliveMs: e.DISPATCHER_KEEP_ALIVE_MS,
      endpointConcurrency: e.DISPATCHER_ENDPOINT_CONCURRENCY,
      maxInFlight: e.DISPATCHER_MAX_IN_FLIGHT,
      claimBatch: e.DISPATCHER_CLAIM_BATCH,
      prefetch: e.DISPATCHER_PREFETCH ?? e.DISPATCHER_ENDPOINT_CONCURRENCY,
      pollMs: e.DISPATCHER_POLL_MS,
      leaseGraceMs: e.DISPATCHER_LEASE_GRACE_MS,
      breakerFailures: e.DISPATCHER_BREAKER_FAILURES,
      breakerWindowMs: e.DISPATCHER_BREAKER_WINDOW_MS,
      breakerCooldownMs: e.DISPATCHER_BREAKER_COOLDOWN_MS,
      subscriptionCacheMs: e.DISPATCHER_SUBSCRIPTION_CACHE_MS,
      topicRefreshMs: e.DISPATCHER_TOPIC_REFRESH_MS,
      intakeConcurrency: e.DISPATCHER_INTAKE_CONCURRENCY,
      sessionTimeoutMs: e.DISPATCHER_SESSION_TIMEOUT_MS,
      orphanSweepMs: e.DISPATCHER_ORPHAN_SWEEP_MS,
      tls: {
        ...(e.DISPATCHER_TLS_CLIENT_CERT ? { clientCertFile: e.DISPATCHER_TLS_CLIENT_CERT } : {}),
        ...(e.DISPATCHER_TLS_CLIENT_KEY ? { clientKeyFile: e.DISPATCHER_TLS_CLIENT_KEY } : {}),
        ...(e.DISPATCHER_TLS_CA ? { caFile: e.DISPATCHER_TLS_CA } : {}),
      },
    }),
  });

/** Everything the dispatcher reads from its environment, validated once at start. */
export const dispatcherConfigFragments = () => ({
  http: httpFragment('DISPATCHER_PORT', 8084),
  logging: loggingFragment(DISPATCHER_SERVICE),
  kafka: kafkaFragment(`rabt-${DISPATCHER_SERVICE}`),
  database: databaseFragment(),
  registry: schemaRegistryClientFragment(),
  secrets: secretKeyFragment(),
  webhooks: webhookPolicyFragment(),
  dispatcher: dispatcherFragment(),
  audit: auditFragment(),
});

export const loadDispatcherConfig = (env?: Record<string, string | undefined>) => loadConfig(DISPATCHER_SERVICE, dispatcherConfigFragments(), env);
export type DispatcherAppConfig = ReturnType<typeof loadDispatcherConfig>;
