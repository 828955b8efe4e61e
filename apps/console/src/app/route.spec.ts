import { describe, expect, it } from 'vitest';
import { hrefOf, parseHash, type Route } from './route';

describe('hash routes', () => {
  it('round-trip every screen, including a full dead-letter filter and IDs that need escaping', () => {
    const routes: Route[] = [
      { name: 'dashboard' },
      { name: 'dead-letters', filter: { agency: 'mom', type: 'mom.employee.left-work-reported', errorCode: 'HTTP_5XX', from: '2026-11-30T08:00:00.000Z', to: '2026-11-30T09:00:00.000Z', transactionId: 'tx-1', state: 'open' } },
      { name: 'dead-letters', filter: {} },
      { name: 'dead-letter', id: 'a/b c' },
      { name: 'events', id: 'evt-1', source: 'urn:rabt:agency:mom' },
      { name: 'events' },
      { name: 'transactions' },
      { name: 'transaction', id: 'tx 1' },
      { name: 'schemas', subject: 'rabt.mom.employee-value' },
      { name: 'schemas' },
      { name: 'agencies', agency: 'rop' },
    ];
    for (const route of routes) expect(parseHash(hrefOf(route))).toEqual(route);
  });

  it('anything unknown (or nothing) is the dashboard', () => {
    expect(parseHash('')).toEqual({ name: 'dashboard' });
    expect(parseHash('#/nowhere')).toEqual({ name: 'dashboard' });
  });

  it('drops empty and unknown filter parameters', () => {
    expect(parseHash('#/dead-letters?agency=&type=x&evil=1')).toEqual({ name: 'dead-letters', filter: { type: 'x' } });
  });
});
