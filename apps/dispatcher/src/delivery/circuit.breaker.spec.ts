import { describe, expect, it } from 'vitest';
import { CircuitBreaker, CircuitBreakers, type BreakerState } from './circuit.breaker';
import { EndpointLimiter } from './endpoint.limiter';

const options = { failures: 3, windowMs: 10_000, cooldownMs: 5_000 };

describe('circuit breaker', () => {
  it('opens after N consecutive failures within the window, and refuses until the cooldown is over', () => {
    const changes: BreakerState[] = [];
    const b = new CircuitBreaker(options, (s) => changes.push(s));
    b.failed(0);
    b.failed(100);
    expect(b.permit(200)).toEqual({ allowed: true, probe: false });
    b.failed(200);
    expect(b.state(300)).toBe('open');
    expect(b.permit(300)).toEqual({ allowed: false, retryAt: 5_200 });
    expect(b.wouldAllow(5_199)).toBe(false);
    expect(changes).toEqual(['open']);
  });

  it('failures spread wider than the window, or broken by a success, do not open it', () => {
    const b = new CircuitBreaker(options);
    b.failed(0);
    b.failed(6_000);
    b.failed(12_000); // the first is older than the window by now
    expect(b.state(12_000)).toBe('closed');
    b.succeeded();
    b.failed(12_100);
    b.failed(12_200);
    expect(b.state(12_300)).toBe('closed');
  });

  it('half-opens after the cooldown: one probe goes, the others wait; its success closes the circuit', () => {
    const b = new CircuitBreaker(options);
    for (const t of [0, 1, 2]) b.failed(t);
    expect(b.permit(5_002)).toEqual({ allowed: true, probe: true });
    expect(b.state(5_002)).toBe('half-open');
    expect(b.permit(5_003)).toEqual({ allowed: false, retryAt: 6_003 });
    expect(b.wouldAllow(5_003)).toBe(false);
    b.succeeded();
    expect(b.state(5_004)).toBe('closed');
    expect(b.permit(5_004)).toEqual({ allowed: true, probe: false });
  });

  it('a failed probe opens it again for another cooldown', () => {
    const b = new CircuitBreaker(options);
    for (const t of [0, 1, 2]) b.failed(t);
    expect(b.permit(6_000)).toMatchObject({ allowed: true, probe: true });
    b.failed(6_500);
    expect(b.permit(6_600)).toEqual({ allowed: false, retryAt: 11_500 });
  });

  it('a probe that ended without an answer lets the next one through', () => {
    const b = new CircuitBreaker(options);
    for (const t of [0, 1, 2]) b.failed(t);
    expect(b.permit(6_000)).toMatchObject({ allowed: true, probe: true });
    b.released(true);
    expect(b.permit(6_001)).toMatchObject({ allowed: true, probe: true });
  });

  it('breakers are per endpoint: one open circuit blocks only its endpoint', () => {
    const seen: string[] = [];
    const all = new CircuitBreakers(options, (endpoint, state) => seen.push(`${endpoint} ${state}`));
    for (const t of [0, 1, 2]) all.for('http://a').failed(t);
    all.for('http://b').succeeded();
    expect(all.blocked(10)).toEqual(['http://a']);
    expect(all.for('http://b').permit(10)).toMatchObject({ allowed: true });
    expect(seen).toEqual(['http://a open']);
  });
});

describe('endpoint limiter', () => {
  it('allows `limit` per endpoint, independently, and frees slots on release', () => {
    const l = new EndpointLimiter(2);
    expect([l.tryAcquire('a'), l.tryAcquire('a'), l.tryAcquire('a'), l.tryAcquire('b')]).toEqual([true, true, false, true]);
    expect(l.partlyBusy()).toEqual(new Map([['a', 0], ['b', 1]]));
    l.release('a');
    l.release('b');
    expect(l.partlyBusy()).toEqual(new Map([['a', 1]]));
    expect(l.tryAcquire('a')).toBe(true);
  });
});
