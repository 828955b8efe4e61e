import { describe, expect, it } from 'vitest';
import { endpointDecision, tokenMatches } from './endpoint-access';

const TOKEN = 't'.repeat(40);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('access to /metrics and /docs', () => {
  it('with a token, wants exactly that token as Bearer or as the Basic password', () => {
    const access = { token: TOKEN, open: true };
    expect(endpointDecision(access, `Bearer ${TOKEN}`)).toBe('ok');
    expect(endpointDecision(access, `bearer ${TOKEN}`)).toBe('ok');
    expect(endpointDecision(access, basic('prometheus', TOKEN))).toBe('ok');
    expect(endpointDecision(access, undefined)).toBe('unauthenticated');
    expect(endpointDecision(access, `Bearer ${TOKEN}x`)).toBe('unauthenticated');
    expect(endpointDecision(access, `Bearer ${TOKEN.slice(1)}`)).toBe('unauthenticated');
    expect(endpointDecision(access, basic(TOKEN, 'x'))).toBe('unauthenticated');
    expect(endpointDecision(access, TOKEN)).toBe('unauthenticated');
  });

  it('without a token, is open or closed as configured', () => {
    expect(endpointDecision({ open: true }, undefined)).toBe('ok');
    expect(endpointDecision({ open: false }, `Bearer ${TOKEN}`)).toBe('closed');
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokenMatches('', TOKEN)).toBe(false);
    expect(tokenMatches('a'.repeat(1000), TOKEN)).toBe(false);
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
  });
});
