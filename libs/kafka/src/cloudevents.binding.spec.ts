import { describe, expect, it } from 'vitest';
import { CloudEventsBindingError, fromKafkaMessage, toKafkaMessage } from './cloudevents.binding';

const asConsumed = (m: ReturnType<typeof toKafkaMessage>) => ({
  key: m.key === null ? null : Buffer.from(m.key),
  value: m.value,
  headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Buffer.from(v)])),
  timestamp: m.timestamp ?? '0',
});

describe('CloudEvents Kafka binding (binary mode)', () => {
  const attributes = {
    id: 'evt-1',
    source: 'urn:rabt:agency:mom',
    type: 'mom.employee.left-work-reported',
    subject: 'report-77',
    time: '2026-11-30T08:00:00.000Z',
    dataschema: 'urn:rabt:schema:42',
    transactionid: 'tx-9',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    partitionkey: '12345678',
  };
  const avro = Buffer.from([0, 0, 0, 0, 42, 2, 4, 6]);

  it('puts attributes in ce_ headers, the partition key in the key and the data untouched in the value', () => {
    const m = toKafkaMessage(attributes, avro);
    expect(m.key).toBe('12345678');
    expect(m.value.equals(avro)).toBe(true);
    expect(m.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: 'evt-1',
      ce_source: 'urn:rabt:agency:mom',
      ce_type: 'mom.employee.left-work-reported',
      ce_subject: 'report-77',
      ce_time: '2026-11-30T08:00:00.000Z',
      ce_dataschema: 'urn:rabt:schema:42',
      ce_transactionid: 'tx-9',
      ce_traceparent: attributes.traceparent,
      'content-type': 'application/avro',
    });
    expect(Object.values(m.headers).every((v) => typeof v === 'string')).toBe(true);
  });

  it('reads back the same attributes and bytes from a consumed record', () => {
    const back = fromKafkaMessage(asConsumed(toKafkaMessage(attributes, avro)));
    expect(back.attributes).toMatchObject({ ...attributes, specversion: '1.0', datacontenttype: 'application/avro' });
    expect(back.data.equals(avro)).toBe(true);
  });

  it('refuses a record without CloudEvents headers', () => {
    expect(() => fromKafkaMessage({ key: null, value: avro, headers: {}, timestamp: '0' })).toThrow(CloudEventsBindingError);
  });

  it('refuses attributes the spec forbids', () => {
    expect(() => toKafkaMessage({ ...attributes, type: '' }, avro)).toThrow(/type/);
    expect(() => toKafkaMessage({ ...attributes, time: 'yesterday' }, avro)).toThrow(/time/);
  });
});
