import { describe, expect, it } from 'vitest';
import { PermanentError, toKafkaMessage, type ConsumedRecord } from '@rabt/kafka';
import { toTransactionEvent } from './workflow-events.consumer';

const record = (attributes: Record<string, string>): ConsumedRecord => {
  const m = toKafkaMessage({ id: 'e1', source: 'urn:rabt:agency:rop', type: 'rop.residence.absconding-registered', time: '2026-11-30T08:00:00.000Z', ...attributes }, Buffer.from([0, 0, 0, 0, 1]));
  return { topic: 't', partition: 0, offset: '0', key: m.key, value: m.value, headers: m.headers, timestamp: '1764489600000' };
};

describe('a consumed record as a transaction event', () => {
  it('reads id, source, type, time, the agency from the source, and the transactionid', () => {
    expect(toTransactionEvent(record({ transactionid: 'tx-1' }))).toEqual({
      transactionId: 'tx-1',
      event: { source: 'urn:rabt:agency:rop', id: 'e1', type: 'rop.residence.absconding-registered', agency: 'rop', time: new Date('2026-11-30T08:00:00.000Z') },
    });
  });

  it('skips a record without a usable transactionid or id, or not from an agency source', () => {
    expect(toTransactionEvent(record({}))).toEqual({ skip: 'no-transactionid' });
    expect(toTransactionEvent(record({ transactionid: 'tx-1', source: 'https://example.org' }))).toEqual({ skip: 'not-an-agency-source' });
    expect(toTransactionEvent(record({ transactionid: 'x'.repeat(65) }))).toEqual({ skip: 'unusable-attributes' });
    expect(toTransactionEvent(record({ transactionid: 'tx 1' }))).toEqual({ skip: 'unusable-attributes' });
    expect(toTransactionEvent(record({ transactionid: 'tx-1', id: 'e'.repeat(201) }))).toEqual({ skip: 'unusable-attributes' });
  });

  it('a record that is not a CloudEvent is a permanent error (dead-lettered)', () => {
    expect(() => toTransactionEvent({ topic: 't', partition: 0, offset: '0', key: null, value: Buffer.from('x'), headers: {}, timestamp: '0' })).toThrow(PermanentError);
  });
});
