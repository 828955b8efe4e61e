import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAvroSchema, readerCanRead } from '@rabt/avro';
import { CATALOGUE, catalogueEntry, EventTypes, type AvroRecordSchema } from '@rabt/contracts';
import { WORKSPACE_ROOT } from '@rabt/testing';
import { projectionFor } from './projection';
import { SubscriptionException, SubscriptionExceptionCode } from './subscription.exception';

const REPORTED = catalogueEntry(EventTypes.MomEmployeeLeftWorkReported);
const okFixtures = (type: string) => {
  const dir = join(WORKSPACE_ROOT, 'test/fixtures', type, 'ok');
  return readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>);
};
const avro = (schema: unknown) => parseAvroSchema(JSON.stringify(schema)).type;

function refusal(fields: string[]): SubscriptionException {
  try {
    projectionFor(REPORTED, fields);
  } catch (e) {
    expect((e as SubscriptionException).code).toBe(SubscriptionExceptionCode.INVALID_PROJECTION);
    return e as SubscriptionException;
  }
  throw new Error('expected a refusal');
}

describe('projectionFor', () => {
  it('keeps the asked fields in schema order, adds the partition key, and says so', () => {
    const p = projectionFor(REPORTED, ['reason', 'passportNumber', 'reason']);
    expect(p.fields).toEqual(['workerCivilNumber', 'passportNumber', 'reason']);
    expect(p.addedPartitionKey).toBe(true);
    expect(projectionFor(REPORTED, ['reason', 'workerCivilNumber']).addedPartitionKey).toBe(false);
  });

  it('derives the projected schema: same namespace, name + Projected, the kept fields with their docs and attributes', () => {
    const { schema } = projectionFor(REPORTED, ['reason', 'workerName']);
    expect(schema).toMatchObject({ type: 'record', name: 'EmployeeLeftWorkReportedProjected', namespace: 'om.gov.rabt.mom', aliases: ['om.gov.rabt.mom.EmployeeLeftWorkReported'] });
    expect(schema.doc).toMatch(/^Projection of om\.gov\.rabt\.mom\.EmployeeLeftWorkReported to the fields workerCivilNumber, workerName, reason\. An employer reported/);
    const original = (name: string) => REPORTED.schema.fields.find((f) => f.name === name);
    expect(schema.fields).toEqual([original('workerCivilNumber'), original('workerName'), original('reason')]);
    expect(schema.fields[0]!['rabt.sensitive']).toBe(true);
  });

  it('every catalogue type: projected schemas parse, read the full events, and hold the projected fixtures', () => {
    for (const entry of CATALOGUE) {
      const some = entry.schema.fields.filter((_, i) => i % 2 === 1).map((f) => f.name);
      const p = projectionFor(entry, some);
      const projected = avro(p.schema);
      expect(readerCanRead(projected, avro(entry.schema)), entry.type).toEqual([]);
      for (const data of okFixtures(entry.type)) {
        const out = p.project(data);
        expect(Object.keys(out), entry.type).toEqual(p.fields.filter((f) => f in data));
        expect(projected.isValid(out), `${entry.type} ${JSON.stringify(out)}`).toBe(true);
        expect(out[entry.partitionKey]).toBe(data[entry.partitionKey]);
      }
    }
  });

  it('projects data by picking fields, never copying others or inventing absent ones', () => {
    const p = projectionFor(REPORTED, ['reason', 'passportNumber']);
    const [data] = okFixtures(REPORTED.type);
    expect(p.project(data!)).toEqual({ workerCivilNumber: data!['workerCivilNumber'], passportNumber: data!['passportNumber'], reason: data!['reason'] });
    expect(p.project({ workerCivilNumber: '1', reason: 'OTHER' })).toEqual({ workerCivilNumber: '1', reason: 'OTHER' });
  });

  it('refuses unknown fields, listing every one and the fields there are', () => {
    const e = refusal(['reason', 'salary', 'workerName.nameEn', 'ssn']);
    expect(e.message).toMatch(/^invalid projection of mom\.employee\.left-work-reported: 'salary' is not a field of mom\.employee\.left-work-reported; 'workerName\.nameEn' is not a top-level field: only whole top-level fields can be projected \(e\.g\. 'workerName'\); 'ssn' is not a field/);
    expect(e.message).toMatch(/Its fields are: reportId, workerCivilNumber, workerName, /);
    expect(e.details).toMatchObject({ errors: [{ path: 'projection' }, { path: 'projection' }, { path: 'projection' }], fields: REPORTED.schema.fields.map((f) => f.name) });
    expect(refusal([]).message).toMatch(/must name at least one field/);
    expect(refusal(['nope'])).toBeInstanceOf(SubscriptionException);
  });

  it('inlines a named type whose defining field was dropped, so the projected schema stands alone', () => {
    const officer = { type: 'record', name: 'Officer', fields: [{ name: 'id', type: 'string' }] };
    const schema: AvroRecordSchema = {
      type: 'record',
      name: 'CaseOpened',
      namespace: 'om.gov.rabt.rop',
      fields: [
        { name: 'caseId', type: 'string' },
        { name: 'openedBy', type: officer },
        { name: 'reviewedBy', type: ['null', 'Officer'], default: null },
        { name: 'approvedBy', type: 'om.gov.rabt.rop.Officer' },
      ],
    };
    const p = projectionFor({ type: 'rop.case.opened', schema, partitionKey: 'caseId' }, ['reviewedBy', 'approvedBy']);
    expect(p.schema.fields[1]!.type).toEqual(['null', { ...officer, namespace: 'om.gov.rabt.rop' }]);
    expect(p.schema.fields[2]!.type).toBe('om.gov.rabt.rop.Officer');
    const type = avro(p.schema);
    expect(type.isValid({ caseId: 'C1', reviewedBy: { id: 'o1' }, approvedBy: { id: 'o2' } })).toBe(true);
    expect(readerCanRead(type, avro(schema))).toEqual([]);
  });
});
