import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, SCHEMAS_DIR } from '../testing/cli-test.helpers';
import { readFixtures, validateFixtures, type FixtureSet } from './fixture-validation';

const schema = {
  type: 'record',
  name: 'WorkPermitSuspended',
  namespace: 'om.gov.rabt.mom',
  fields: [
    { name: 'workerCivilNumber', type: 'string' },
    { name: 'suspendedFrom', type: { type: 'int', logicalType: 'date' } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};
const good = { workerCivilNumber: '95720418', suspendedFrom: 20269, note: null };
const set = (ok: unknown[], notOk: unknown[]): FixtureSet => ({
  ok: ok.map((data, i) => ({ file: `ok/${i}.json`, data })),
  notOk: notOk.map((data, i) => ({ file: `not-ok/${i}.json`, data })),
});

describe('golden fixtures', () => {
  it('pass when ok/ is accepted and not-ok/ rejected', () => {
    expect(validateFixtures(schema, set([good], [{ ...good, suspendedFrom: '2025-06-30' }]))).toEqual({ problems: [], checked: 2 });
  });

  it('report an ok/ fixture the schema rejects, saying where', () => {
    const { problems } = validateFixtures(schema, set([{ ...good, suspendedFrom: '2025-06-30' }], [{}]));
    expect(problems).toEqual(['ok/0.json is rejected but must be valid: suspendedFrom = "2025-06-30" is not a valid int']);
  });

  it('report a not-ok/ fixture the schema accepts', () => {
    expect(validateFixtures(schema, set([good], [good])).problems).toEqual(['not-ok/0.json is accepted but must be invalid']);
  });

  it('refuse undeclared fields and union-wrapped values (wrapUnions: false)', () => {
    const { problems } = validateFixtures(schema, set([{ ...good, extra: 1 }, { ...good, note: { string: 'x' } }], [{}]));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('undeclared fields are refused');
  });

  it('require both kinds of fixture', () => {
    expect(validateFixtures(schema, undefined).problems[0]).toContain('no golden fixtures');
    expect(validateFixtures(schema, set([], [])).problems).toEqual(['no ok/ fixtures: add at least one valid payload', 'no not-ok/ fixtures: add at least one invalid payload']);
  });

  it('report a schema the gateway could not read payloads with (an ambiguous union)', () => {
    const ambiguous = { type: 'record', name: 'X', fields: [{ name: 'a', type: [{ type: 'record', name: 'A', fields: [] }, { type: 'record', name: 'B', fields: [] }] }] };
    expect(validateFixtures(ambiguous, set([{}], [{}])).problems[0]).toMatch(/^payloads cannot be read with this schema \(avsc, wrapUnions: false\): /);
  });

  it('hold for every type in the repository', () => {
    const catalogue = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'catalogue.json'), 'utf8')) as { types: { type: string; schema: string }[] };
    for (const entry of catalogue.types) {
      const avsc: unknown = JSON.parse(readFileSync(join(SCHEMAS_DIR, entry.schema), 'utf8'));
      const result = validateFixtures(avsc, readFixtures(FIXTURES_DIR, entry.type));
      expect(result.problems, entry.type).toEqual([]);
      expect(result.checked, entry.type).toBeGreaterThanOrEqual(2);
    }
  });
});
