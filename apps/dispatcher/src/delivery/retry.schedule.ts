// What happens after an attempt: delivered, gone, retried later (when), or dead. Pure functions,
// so the whole policy is unit-tested without a clock or a network.

import { formatDuration, parseDuration } from '@rabt/config';

/** DISPATCHER_RETRY_SCHEDULE: comma-separated durations, the delays before the 2nd, 3rd, … attempt. */
export function parseSchedule(text: string): number[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new RangeError('must list at least one delay, e.g. 5s,30s,2m');
  if (parts.length > 100) throw new RangeError('must list at most 100 delays');
  return parts.map(parseDuration);
}

/**
 * A `Retry-After` header (RFC 9110: delay-seconds or an HTTP-date) → milliseconds from `now`;
 * undefined when absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** `ms` randomised by ±`jitter` (0.2 = ±20 %), so retries of many deliveries do not stampede. */
export function jittered(ms: number, jitter: number, random: () => number = Math.random): number {
  return Math.max(0, Math.round(ms * (1 + jitter * (2 * random() - 1))));
}

/** What an attempt gave: an HTTP status, or none with the reason (timeout, connection, DNS). */
export interface AttemptResult {
  readonly status: number | null;
  readonly error: string | null;
  /** From a Retry-After header, in ms. */
  readonly retryAfterMs?: number;
}

export interface RetryPolicy {
  readonly schedule: readonly number[];
  readonly jitter: number;
  readonly maxAgeMs: number;
}

export type Decision =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'gone'; readonly reason: string }
  | { readonly kind: 'retry'; readonly at: Date; readonly error: string }
  | { readonly kind: 'dead'; readonly error: string };

export const isSuccess = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

/** The error an unsuccessful attempt is recorded with. */
export function describeFailure(result: AttemptResult): string {
  if (result.status === null) return result.error ?? 'no answer';
  const prefix = result.status >= 300 && result.status < 400 ? `HTTP ${result.status} (redirects are not followed)` : `HTTP ${result.status}`;
  return result.error ? `${prefix}: ${result.error}` : prefix;
}

/**
 * After attempt number `attemptsMade` (1 = the first) of a delivery created at `createdAt`:
 * 2xx delivered; 410 gone; anything else retried after the schedule's next delay (jittered), or
 * after Retry-After when the receiver sent one, unless the schedule is used up or the retry
 * would fall after the maximum age, which makes it dead.
 */
export function decide(result: AttemptResult, attemptsMade: number, createdAt: Date, now: number, policy: RetryPolicy, random: () => number = Math.random): Decision {
  if (isSuccess(result.status)) return { kind: 'delivered' };
  if (result.status === 410) return { kind: 'gone', reason: `the webhook answered 410 Gone${result.error ? `: ${result.error}` : ''}` };
  const error = describeFailure(result);
  const next = policy.schedule[attemptsMade - 1];
  if (next === undefined) return { kind: 'dead', error: `gave up after ${attemptsMade} attempts (retry schedule used up); last error: ${error}` };
  const delay = result.retryAfterMs ?? jittered(next, policy.jitter, random);
  const at = now + delay;
  if (at > createdAt.getTime() + policy.maxAgeMs) return { kind: 'dead', error: `gave up after ${attemptsMade} attempts (maximum age ${formatDuration(policy.maxAgeMs)} reached); last error: ${error}` };
  return { kind: 'retry', at: new Date(at), error };
}

/** Whether a delivery is past its maximum age (checked before an attempt, too). */
export const isExpired = (createdAt: Date, now: number, maxAgeMs: number): boolean => now > createdAt.getTime() + maxAgeMs;
