import { describe, expect, it } from 'vitest';
import { OpsException } from '../ops.exception';
import { decodeCursor, encodeCursor, parseDeadLetterFilter, parseDeadLetterListQuery } from './dead-letter.query';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof OpsException ? e.code : 'other';
  }
  return undefined;
};

describe('dead-letter list query', () => {
  it('defaults to open, 50, no cursor', () => {
    expect(parseDeadLetterListQuery({})).toEqual({ state: 'open', limit: 50 });
  });

  it('parses every filter', () => {
    const q = parseDeadLetterListQuery({ agency: 'rop', type: 'mom.employee.left-work-reported', errorCode: 'HTTP_5XX', from: '2026-11-30T00:00:00Z', to: '2026-11-30T12:00:00Z', transactionId: 'tx-1', state: 'replayed', limit: '200' });
    expect(q).toMatchObject({ agency: 'rop', errorCode: 'HTTP_5XX', state: 'replayed', limit: 200, transactionId: 'tx-1' });
    expect(q.from?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it.each([
    [{ errorCode: 'HTTP_418' }],
    [{ agency: 'MOM' }],
    [{ from: 'yesterday' }],
    [{ from: '2026-12-01T00:00:00Z', to: '2026-11-30T00:00:00Z' }],
    [{ state: 'lost' }],
    [{ limit: '0' }],
    [{ limit: '201' }],
    [{ limit: '1e2' }],
    [{ type: ['a', 'b'] }],
  ])('refuses %j with INVALID_FILTER', (raw) => {
    expect(codeOf(() => parseDeadLetterListQuery(raw))).toBe('INVALID_FILTER');
  });

  it('round-trips a cursor and refuses anything else with INVALID_CURSOR', () => {
    const c = { createdAtUs: '1764480800123456', id: '0b7c4f7e-6c1a-4c59-9a3e-2f0d1d2c3b4a' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    for (const bad of ['x', 'eyJ4IjoxfQ', Buffer.from('["1",  "not-a-uuid"]').toString('base64url'), '!!!', 'a'.repeat(300)]) {
      expect(codeOf(() => parseDeadLetterListQuery({ cursor: bad }))).toBe('INVALID_CURSOR');
    }
  });

  it('the bulk filter takes the same fields and nothing else matters', () => {
    expect(parseDeadLetterFilter({ agency: 'mom', errorCode: 'TIMEOUT' })).toEqual({ agency: 'mom', errorCode: 'TIMEOUT' });
  });
});
