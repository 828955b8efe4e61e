import { describe, expect, it } from 'vitest';
import { ConfigValidationError } from '@rabt/config';
import { loadDispatcherConfig } from './dispatcher.config';

describe('dispatcher configuration', () => {
  it('has defaults that work on one machine', () => {
    const { values } = loadDispatcherConfig({});
    expect(values.http.port).toBe(8084);
    expect(values.dispatcher).toMatchObject({
      groupId: 'rabt-dispatcher',
      retrySchedule: [5e3, 30e3, 120e3, 600e3, 1800e3, 3600e3, 10800e3, 21600e3, 43200e3],
      maxAgeMs: 86_400_000,
      timeoutMs: 10_000,
      keepAliveMs: 4_000,
      endpointConcurrency: 8,
      prefetch: 8,
    });
    expect(values.webhooks.allowHosts).toEqual([]);
  });

  it('reads the schedule, the maximum age and the allow-list', () => {
    const { values } = loadDispatcherConfig({ DISPATCHER_RETRY_SCHEDULE: '200ms, 400ms,1s', DISPATCHER_MAX_AGE: '2h', RABT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });
    expect(values.dispatcher.retrySchedule).toEqual([200, 400, 1000]);
    expect(values.dispatcher.maxAgeMs).toBe(7_200_000);
    expect(values.webhooks.allowHosts).toEqual([{ host: '127.0.0.1' }]);
  });

  it('prefetches one endpoint concurrency by default; 0 turns prefetch off', () => {
    expect(loadDispatcherConfig({ DISPATCHER_ENDPOINT_CONCURRENCY: '32' }).values.dispatcher.prefetch).toBe(32);
    expect(loadDispatcherConfig({ DISPATCHER_ENDPOINT_CONCURRENCY: '32', DISPATCHER_PREFETCH: '0' }).values.dispatcher.prefetch).toBe(0);
    expect(() => loadDispatcherConfig({ DISPATCHER_PREFETCH: '-1' })).toThrow(/DISPATCHER_PREFETCH/);
    expect(() => loadDispatcherConfig({ DISPATCHER_PREFETCH: 'lots' })).toThrow(/DISPATCHER_PREFETCH/);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadDispatcherConfig({ DISPATCHER_RETRY_SCHEDULE: '5s,soon', DISPATCHER_MAX_AGE: 'forever', DISPATCHER_TIMEOUT_MS: '0', DISPATCHER_SESSION_TIMEOUT_MS: '1000', DISPATCHER_KEEP_ALIVE_MS: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems.join('\n');
    for (const name of ['DISPATCHER_RETRY_SCHEDULE', 'DISPATCHER_MAX_AGE', 'DISPATCHER_TIMEOUT_MS', 'DISPATCHER_SESSION_TIMEOUT_MS', 'DISPATCHER_KEEP_ALIVE_MS']) expect(problems).toContain(name);
  });
});
