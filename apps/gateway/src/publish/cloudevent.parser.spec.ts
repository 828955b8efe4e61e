import { describe, expect, it } from 'vitest';
import { fromBinary, fromStructured } from './cloudevent.parser';
import { GatewayException } from './gateway.exception';

const base = { specversion: '1.0', id: 'e-1', source: 'urn:rabt:agency:mom', type: 'mom.employee.left-work-reported', data: { a: 1 } };

function problemsOf(event: Record<string, unknown>): string {
  try {
    fromStructured(event);
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayException);
    return (e as GatewayException).message;
  }
  throw new Error('expected the event to be refused');
}

describe('CloudEvent parsing', () => {
  it('accepts a minimal structured event and keeps the attributes it knows', () => {
    const { specversion: _, ...attributes } = base;
    expect(fromStructured({ ...base, subject: 's', time: '2026-11-30T08:00:00.123+04:00', transactionid: 'tx-1' })).toStrictEqual({
      ...attributes,
      subject: 's',
      time: '2026-11-30T08:00:00.123+04:00',
      transactionid: 'tx-1',
    });
  });

  it.each([
    ['empty time', { time: '' }, 'time'],
    ['a date without a time', { time: '2026-11-30' }, 'time must be an RFC 3339'],
    ['an impossible date', { time: '2026-13-45T99:00:00Z' }, 'time'],
    ['an empty subject', { subject: '' }, 'subject'],
    ['a numeric subject', { subject: 7 }, 'subject'],
    ['an empty dataschema', { dataschema: '' }, 'dataschema'],
    ['an id with spaces', { id: 'has space' }, 'id must be'],
  ])('refuses %s', (_, change, expected) => {
    expect(problemsOf({ ...base, ...change })).toContain(expected);
  });

  it('reports every problem at once', () => {
    const message = problemsOf({ specversion: '2.0', data: 1 });
    expect(message).toContain('specversion');
    expect(message).toContain('id is required');
    expect(message).toContain('source is required');
    expect(message).toContain('type is required');
  });

  it('binary mode reads ce- headers (percent-decoded) and takes the body as data', () => {
    const event = fromBinary(
      { 'ce-specversion': '1.0', 'ce-id': 'e-2', 'ce-source': 'urn:rabt:agency:mom', 'ce-type': 't.x.y', 'ce-subject': 'report%20one', 'content-type': 'application/json' },
      { a: 2 },
    );
    expect(event).toMatchObject({ id: 'e-2', subject: 'report one', data: { a: 2 } });
  });
});
