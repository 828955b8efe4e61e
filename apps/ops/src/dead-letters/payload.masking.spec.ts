import { describe, expect, it } from 'vitest';
import { findCatalogueEntry, type AvroRecordSchema } from '@rabt/contracts';
import { MASK, maskSensitive } from './payload.masking';

const schema: AvroRecordSchema = {
  type: 'record',
  name: 'Example',
  namespace: 'om.gov.rabt.test',
  fields: [
    { name: 'civilNumber', type: 'string', 'rabt.sensitive': true },
    { name: 'nationality', type: 'string' },
    { name: 'name', type: { type: 'record', name: 'Name', fields: [{ name: 'en', type: 'string', 'rabt.sensitive': true }, { name: 'script', type: 'string' }] } },
    { name: 'alias', type: ['null', 'Name'], default: null },
    { name: 'dependants', type: { type: 'array', items: { type: 'record', name: 'Dependant', fields: [{ name: 'civilNumber', type: 'string', 'rabt.sensitive': true }] } } },
    { name: 'note', type: ['null', 'string'], default: null, 'rabt.sensitive': true },
  ],
};

describe('maskSensitive', () => {
  it('masks sensitive fields at any depth (records, unions by name, arrays) and lists their paths', () => {
    const event = {
      id: 'e1',
      source: 'urn:rabt:agency:mom',
      data: { civilNumber: '12345678', nationality: 'IND', name: { en: 'Ravi', script: 'latin' }, alias: { en: 'R', script: 'latin' }, dependants: [{ civilNumber: '1' }, { civilNumber: '2' }], note: null },
    };
    const { payload, masked } = maskSensitive(event, schema);
    expect(payload['data']).toEqual({
      civilNumber: MASK,
      nationality: 'IND',
      name: { en: MASK, script: 'latin' },
      alias: { en: MASK, script: 'latin' },
      dependants: [{ civilNumber: MASK }, { civilNumber: MASK }],
      note: null,
    });
    expect(masked).toEqual(['data.civilNumber', 'data.name.en', 'data.alias.en', 'data.dependants[0].civilNumber', 'data.dependants[1].civilNumber']);
    expect(event.data.civilNumber).toBe('12345678'); // the input is not changed
  });

  it('leaves fields a projection removed alone, and an event without a schema as it is', () => {
    expect(maskSensitive({ data: { nationality: 'IND' } }, schema)).toEqual({ payload: { data: { nationality: 'IND' } }, masked: [] });
    expect(maskSensitive({ data: { x: 1 } }, undefined).masked).toEqual([]);
  });

  it('masks what the real catalogue marks sensitive', () => {
    const entry = findCatalogueEntry('mom.worker.service-transfer-requested')!;
    const { masked } = maskSensitive({ data: { requestId: 'r1', workerCivilNumber: '12345678', workerName: { nameEn: 'a', nameAr: 'b' }, nationality: 'IND' } }, entry.schema);
    expect(masked).toEqual(['data.workerCivilNumber', 'data.workerName']);
  });
});
