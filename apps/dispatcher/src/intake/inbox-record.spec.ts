import { describe, expect, it } from 'vitest';
import { deliveryId, newDelivery, structuredEvent, webhookBody } from './inbox-record';

const attributes = {
  id: 'evt-1',
  source: 'urn:rabt:agency:mom',
  type: 'mom.employee.left-work-reported',
  subject: 'report-77',
  time: '2026-11-30T08:00:00.000Z',
  dataschema: 'http://registry/schemas/ids/7',
  transactionid: 'tx-9',
  partitionkey: '118364205',
};

describe('webhook-id', () => {
  it('is the same for the same (subscription, source, event id) and differs otherwise', () => {
    const id = deliveryId('sub-a', 'urn:rabt:agency:mom', 'evt-1');
    expect(id).toMatch(/^msg_[A-Za-z0-9_-]{32}$/);
    expect(deliveryId('sub-a', 'urn:rabt:agency:mom', 'evt-1')).toBe(id);
    expect(deliveryId('sub-b', 'urn:rabt:agency:mom', 'evt-1')).not.toBe(id);
    expect(deliveryId('sub-a', 'urn:rabt:agency:rop', 'evt-1')).not.toBe(id);
    expect(deliveryId('sub-a', 'urn:rabt:agency:mom', 'evt-2')).not.toBe(id);
  });
});

describe('the delivered CloudEvent', () => {
  it('is structured JSON: the attributes, datacontenttype application/json, and the decoded data', () => {
    expect(structuredEvent(attributes, { a: 1 })).toEqual({ specversion: '1.0', ...attributes, datacontenttype: 'application/json', data: { a: 1 } });
    expect(structuredEvent({ id: 'x', source: 's', type: 't' }, null)).toEqual({ specversion: '1.0', id: 'x', source: 's', type: 't', datacontenttype: 'application/json', data: null });
  });

  it('is sent with its attributes in a fixed order and data last, whatever order it was stored in', () => {
    const stored = { data: { z: 1 }, type: 't', id: 'x', specversion: '1.0', source: 's', datacontenttype: 'application/json' };
    expect(webhookBody(stored)).toBe('{"specversion":"1.0","id":"x","source":"s","type":"t","datacontenttype":"application/json","data":{"z":1}}');
  });

  it('a delivery row keeps the record key as the ordering key and where the record was', () => {
    const record = { topic: 'rabt.inbox.rop', partition: 2, offset: '41', key: '118364205', value: Buffer.alloc(0), headers: {}, timestamp: '0' };
    expect(newDelivery(record, { id: 'sub-a', agencyCode: 'rop' }, attributes, {})).toMatchObject({
      id: deliveryId('sub-a', attributes.source, attributes.id),
      agencyCode: 'rop',
      eventType: attributes.type,
      transactionId: 'tx-9',
      orderingKey: '118364205',
      inboxTopic: 'rabt.inbox.rop',
      inboxPartition: 2,
      inboxOffset: '41',
    });
  });
});
