import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE } from '../config/dispatcher.config';
import { decide, describeFailure, isExpired, jittered, parseRetryAfter, parseSchedule, type RetryPolicy } from './retry.schedule';

const created = new Date('2026-01-01T00:00:00.000Z');
const t0 = created.getTime();
const policy: RetryPolicy = { schedule: parseSchedule('200ms,400ms,800ms'), jitter: 0, maxAgeMs: 60_000 };
const middle = () => 0.5;

describe('durations and the schedule', () => {
  it('the default schedule is about 5 s, 30 s, 2 m, 10 m, 30 m, 1 h, 3 h, 6 h, 12 h', () => {
    expect(parseSchedule(DEFAULT_RETRY_SCHEDULE)).toEqual([5e3, 30e3, 120e3, 600e3, 1800e3, 3600e3, 10800e3, 21600e3, 43200e3]);
    expect(() => parseSchedule(' , ')).toThrow(/at least one/);
  });

  it('jitter stays within ±share and is centred', () => {
    expect(jittered(1000, 0.2, () => 0)).toBe(800);
    expect(jittered(1000, 0.2, () => 1)).toBe(1200);
    expect(jittered(1000, 0.2, middle)).toBe(1000);
    expect(jittered(1000, 0, Math.random)).toBe(1000);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates; a past date is now; junk is ignored', () => {
    expect(parseRetryAfter('3', t0)).toBe(3000);
    expect(parseRetryAfter(new Date(t0 + 7000).toUTCString(), t0)).toBe(7000);
    expect(parseRetryAfter(new Date(t0 - 7000).toUTCString(), t0)).toBe(0);
    expect(parseRetryAfter(undefined, t0)).toBeUndefined();
    expect(parseRetryAfter('soon', t0)).toBeUndefined();
    expect(parseRetryAfter('-5', t0)).toBeUndefined();
  });
});

describe('what follows an attempt', () => {
  it('2xx is delivered, whatever the attempt', () => {
    expect(decide({ status: 204, error: null }, 4, created, t0, policy)).toEqual({ kind: 'delivered' });
  });

  it('410 is gone', () => {
    expect(decide({ status: 410, error: null }, 1, created, t0, policy)).toMatchObject({ kind: 'gone', reason: expect.stringContaining('410') });
  });

  it('5xx, other 4xx, 3xx, timeouts and connection errors are retried on the schedule', () => {
    expect(decide({ status: 500, error: null }, 1, created, t0, policy, middle)).toEqual({ kind: 'retry', at: new Date(t0 + 200), error: 'HTTP 500' });
    expect(decide({ status: 400, error: null }, 2, created, t0, policy, middle)).toMatchObject({ kind: 'retry', at: new Date(t0 + 400) });
    expect(decide({ status: 302, error: null }, 3, created, t0, policy, middle)).toMatchObject({ kind: 'retry', at: new Date(t0 + 800), error: 'HTTP 302 (redirects are not followed)' });
    expect(decide({ status: null, error: 'timed out after 1000 ms' }, 1, created, t0, policy)).toMatchObject({ kind: 'retry', error: 'timed out after 1000 ms' });
  });

  it('Retry-After replaces the scheduled delay', () => {
    expect(decide({ status: 503, error: null, retryAfterMs: 5000 }, 1, created, t0, policy)).toMatchObject({ kind: 'retry', at: new Date(t0 + 5000) });
  });

  it('the attempt after the last delay fails for good: dead, with the last error', () => {
    expect(decide({ status: null, error: 'connect ECONNREFUSED 127.0.0.1:9' }, 4, created, t0, policy)).toEqual({
      kind: 'dead',
      error: 'gave up after 4 attempts (retry schedule used up); last error: connect ECONNREFUSED 127.0.0.1:9',
    });
  });

  it('a retry that would fall after the maximum age is dead instead', () => {
    const short = { ...policy, maxAgeMs: 1000 };
    expect(decide({ status: 500, error: null }, 1, created, t0 + 900, short)).toMatchObject({ kind: 'dead', error: expect.stringContaining('maximum age 1s reached') });
    expect(decide({ status: 500, error: null, retryAfterMs: 2000 }, 1, created, t0, short)).toMatchObject({ kind: 'dead' });
    expect(isExpired(created, t0 + 1001, 1000)).toBe(true);
    expect(isExpired(created, t0 + 1000, 1000)).toBe(false);
  });

  it('names the failure with the receiver\'s words when there are any', () => {
    expect(describeFailure({ status: 500, error: 'database down' })).toBe('HTTP 500: database down');
    expect(describeFailure({ status: null, error: null })).toBe('no answer');
  });
});
