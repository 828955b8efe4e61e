import { describe, expect, it } from 'vitest';
import { bulkFilter, fromLocalInput, normaliseFilter, toLocalInput } from './dead-letter.filter';

describe('dead-letter filter', () => {
  it('datetime-local values round-trip through ISO instants (minutes precision)', () => {
    const local = '2026-11-30T09:45';
    expect(toLocalInput(fromLocalInput(local))).toBe(local);
    expect(fromLocalInput('')).toBe('');
    expect(toLocalInput(undefined)).toBe('');
    expect(toLocalInput('not a date')).toBe('');
  });

  it('drops empty values and trims the rest', () => {
    expect(normaliseFilter({ agency: ' mom ', type: '', transactionId: '   ' })).toEqual({ agency: 'mom' });
  });

  it('a bulk replay takes the filter without its state', () => {
    expect(bulkFilter({ agency: 'rop', state: 'open', errorCode: 'HTTP_5XX' })).toEqual({ agency: 'rop', errorCode: 'HTTP_5XX' });
  });
});
