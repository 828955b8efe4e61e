import { describe, expect, it } from 'vitest';
import { classifyDeadLetterError } from './dead-letter.error-code';

describe('classifyDeadLetterError', () => {
  it.each([
    [null, 'refused by the SSRF guard: 10.0.0.1 is a private address', 'ADDRESS_REFUSED'],
    [500, 'gave up after 3 attempts (maximum age 24h reached); last error: HTTP 500', 'MAX_AGE'],
    [null, 'maximum age 24h reached before another attempt; last error: none (never attempted)', 'MAX_AGE'],
    [400, 'gave up after 10 attempts (retry schedule used up); last error: HTTP 400: bad', 'HTTP_4XX'],
    [503, 'gave up after 10 attempts (retry schedule used up); last error: HTTP 503', 'HTTP_5XX'],
    [null, 'gave up after 10 attempts (retry schedule used up); last error: timed out after 10000 ms', 'TIMEOUT'],
    [null, 'gave up after 3 attempts (retry schedule used up); last error: connect ECONNREFUSED 127.0.0.1:9', 'CONNECTION'],
    [302, 'gave up after 3 attempts (retry schedule used up); last error: HTTP 302 (redirects are not followed)', 'OTHER'],
    [null, 'cannot sign the webhook: bad key', 'OTHER'],
  ])('%s %s → %s', (status, error, code) => {
    expect(classifyDeadLetterError(status, error)).toBe(code);
  });
});
