import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SSRF_REFUSAL_PREFIX } from './dead-letter.error-code';
import { DELIVERY_ERROR_CLASSES, deliveryErrorClass, SUSPENDED_SUBSCRIBER_PREFIX } from './delivery-error-class';

describe('deliveryErrorClass', () => {
  it.each([
    [204, null, null],
    [null, null, null],
    [503, 'HTTP 503: <html>db 10.0.0.5 down</html>', 'http_5xx'],
    [404, 'HTTP 404: not here', 'http_4xx'],
    [302, 'HTTP 302 (redirects are not followed)', 'http_3xx'],
    [199, 'HTTP 199', 'http_other'],
    [500, null, 'http_5xx'],
    [null, 'timed out after 10000 ms', 'timeout'],
    [null, 'connect ECONNREFUSED 10.1.1.1:443', 'connection_refused'],
    [null, 'read ECONNRESET', 'connection_reset'],
    [null, 'socket hang up', 'connection_reset'],
    [null, 'connect EHOSTUNREACH 10.2.2.2:443', 'unreachable'],
    [null, 'getaddrinfo ENOTFOUND hooks.example', 'dns_failure'],
    [null, 'self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN)', 'tls_error'],
    [null, `${SSRF_REFUSAL_PREFIX}: hooks.example resolves to a private address (10.9.8.7)`, 'ssrf_refused'],
    [null, `${SUSPENDED_SUBSCRIBER_PREFIX}: agency 'rop' is suspended`, 'subscriber_suspended'],
    [null, 'maximum age 24 h reached before another attempt; last error: none (never attempted)', 'max_age'],
    [null, 'maximum age 24 h reached before another attempt; last error: timed out after 10000 ms', 'timeout'],
    [null, 'maximum age 24 h reached before another attempt; last error: HTTP 500: secret body', 'http_5xx'],
    [422, 'gave up after 3 attempts (retry schedule used up); last error: HTTP 422: secret body', 'http_4xx'],
    [null, 'something nobody expected: 10.0.0.1', 'other'],
  ] as const)('(%s, %s) → %s', (status, error, expected) => {
    expect(deliveryErrorClass(status, error)).toBe(expected);
  });

  it('answers only a class of the closed list (or null), whatever the text: no text of the subscriber passes', () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 100, max: 599 })), fc.option(fc.string({ maxLength: 200 })), fc.constantFrom('', 'HTTP 500: ', 'maximum age 1 h reached; last error: ', `${SSRF_REFUSAL_PREFIX}: `), (status, error, prefix) => {
        const answer = deliveryErrorClass(status, error === null ? null : prefix + error);
        expect(answer === null || (DELIVERY_ERROR_CLASSES as readonly string[]).includes(answer)).toBe(true);
      }),
    );
  });
});
