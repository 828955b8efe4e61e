import { describe, expect, it } from 'vitest';
import { catalogueEntry, EventTypes } from '@rabt/contracts';
import { compileFilter, evaluateFilter, MAX_FILTER_LENGTH } from './cel-filter';
import { SubscriptionException, SubscriptionExceptionCode } from './subscription.exception';

const REPORTED = catalogueEntry(EventTypes.MomEmployeeLeftWorkReported);
const event = { id: 'evt-1', source: 'urn:rabt:agency:mom', type: REPORTED.type, subject: 'LWR-2025-0048173', time: '2025-05-18T06:42:10Z', transactionid: 'tx-1' };
const absconded = {
  reportId: 'LWR-2025-0048173',
  workerCivilNumber: '118364205',
  reason: 'ABSCONDED',
  passportNumber: 'EE0634127',
  lastWorkingDay: 20222,
  workerLastKnownAddress: { governorate: 'Muscat', wilayat: 'Seeb', details: 'Al Mawaleh South' },
};
const contractEnded = { ...absconded, reason: 'CONTRACT_ENDED', passportNumber: null, workerLastKnownAddress: null };

const matches = (source: string, data: unknown, attributes: Record<string, unknown> = event) => evaluateFilter(compileFilter(source, REPORTED), { event: attributes, data });

/** The INVALID_FILTER refusal of `source` (fails the test when it compiles). */
function refusal(source: string): SubscriptionException {
  try {
    compileFilter(source, REPORTED);
  } catch (e) {
    expect(e).toBeInstanceOf(SubscriptionException);
    expect((e as SubscriptionException).code).toBe(SubscriptionExceptionCode.INVALID_FILTER);
    return e as SubscriptionException;
  }
  throw new Error(`expected ${source} to be refused`);
}

describe('compileFilter + evaluateFilter: realistic filters', () => {
  it('data.reason == "ABSCONDED"', () => {
    expect(matches('data.reason == "ABSCONDED"', absconded)).toEqual({ matches: true });
    expect(matches('data.reason == "ABSCONDED"', contractEnded)).toEqual({ matches: false });
  });

  it('data.workerLastKnownAddress.governorate == "Muscat": a null address is no match, with the error to log', () => {
    expect(matches('data.workerLastKnownAddress.governorate == "Muscat"', absconded)).toEqual({ matches: true });
    expect(matches('data.workerLastKnownAddress.governorate == "Muscat"', { ...absconded, workerLastKnownAddress: { ...absconded.workerLastKnownAddress, governorate: 'Dhofar' } })).toEqual({ matches: false });
    const result = matches('data.workerLastKnownAddress.governorate == "Muscat"', contractEnded);
    expect(result).toEqual({ matches: false, error: expect.stringMatching(/governorate/) });
  });

  it('event.subject.startsWith("LWR-"): an event without a subject is no match', () => {
    expect(matches('event.subject.startsWith("LWR-")', absconded)).toEqual({ matches: true });
    expect(matches('event.subject.startsWith("LWR-")', absconded, { ...event, subject: 'X-1' })).toEqual({ matches: false });
    const { subject: _subject, ...withoutSubject } = event;
    expect(matches('event.subject.startsWith("LWR-")', absconded, withoutSubject)).toMatchObject({ matches: false, error: expect.stringMatching(/subject/) });
    expect(matches('has(event.subject) && event.subject.startsWith("LWR-")', absconded, withoutSubject)).toEqual({ matches: false });
  });

  it('has(data.passportNumber) && data.passportNumber != null', () => {
    const source = 'has(data.passportNumber) && data.passportNumber != null';
    expect(matches(source, absconded)).toEqual({ matches: true });
    expect(matches(source, contractEnded)).toEqual({ matches: false });
    const { passportNumber: _p, ...withoutPassport } = absconded;
    expect(matches(source, withoutPassport)).toEqual({ matches: false });
  });

  it('numbers from JSON are CEL ints, so arithmetic and comparisons work', () => {
    expect(matches('data.lastWorkingDay + 1 > 20222 && data.lastWorkingDay % 2 == 0', absconded)).toEqual({ matches: true });
    expect(matches('data.reason in ["ABSCONDED", "DECEASED"] && event.transactionid == "tx-1"', absconded)).toEqual({ matches: true });
    expect(matches('timestamp(event.time) > timestamp("2025-01-01T00:00:00Z")', absconded)).toEqual({ matches: true });
  });

  it('sees only the CloudEvents attributes it declares, and only as strings', () => {
    expect(matches('event.type == "mom.employee.left-work-reported" && event.source == "urn:rabt:agency:mom"', absconded, { ...event, partitionkey: '1' })).toEqual({ matches: true });
    expect(matches('has(event.subject)', absconded, { ...event, subject: 42 })).toEqual({ matches: false });
  });

  it('a result that is not true or false at run time is no match, with an error', () => {
    const filter = compileFilter('data.reason', REPORTED);
    expect(evaluateFilter(filter, { event, data: absconded })).toEqual({ matches: false, error: 'the filter gave "ABSCONDED", not true or false' });
  });

  it('data that is not an object is no match, never a throw', () => {
    for (const data of [null, 'text', 42, []]) expect(matches('data.reason == "ABSCONDED"', data).matches).toBe(false);
  });
});

describe('compileFilter refuses at creation, with a clear message', () => {
  it('syntax errors, with their position', () => {
    const e = refusal('data.reason == ');
    expect(e.message).toBe('invalid filter: Unexpected token: EOF (at character 16)');
    expect(e.details).toMatchObject({ errors: [{ path: 'filter', message: 'Unexpected token: EOF', position: { start: 15, end: 15 } }], highlighted: expect.stringContaining('data.reason ==') });
    expect(refusal('data.reason == "A" ||').message).toMatch(/^invalid filter: Unexpected token: EOF \(at character 22\)$/);
    expect(refusal('data.reason = "A"').message).toMatch(/^invalid filter: /);
  });

  it('variables other than event and data, and unknown event attributes', () => {
    expect(refusal('payload.reason == "ABSCONDED"').message).toBe('invalid filter: Unknown variable: payload (at character 1)');
    expect(refusal('event.partitionkey == "1"').message).toMatch(/No such key: partitionkey/);
  });

  it('data fields the type does not have, at any depth, naming the fields it has', () => {
    expect(refusal('data.reasn == "ABSCONDED"').message).toMatch(/^invalid filter: data\.reasn is not a field of mom\.employee\.left-work-reported: its fields are reportId, workerCivilNumber, .*reason, .*\(at character 1\)$/);
    expect(refusal('has(data.workerLastKnownAddress.governate)').message).toMatch(/data\.workerLastKnownAddress\.governate is not a field of data\.workerLastKnownAddress: its fields are governorate, wilayat, details/);
    expect(refusal('data.reason.code == "x"').message).toMatch(/data\.reason has no fields, so data\.reason\.code cannot exist/);
    // Without a target type, fields are not checked (the router compiles stored filters so).
    expect(compileFilter('data.reasn == "ABSCONDED"').source).toBe('data.reasn == "ABSCONDED"');
  });

  it('expressions that cannot be a condition', () => {
    expect(refusal('1 + 2').message).toBe('invalid filter: must be a condition (true or false), but gives a value of type int');
    expect(refusal('"yes"').message).toMatch(/type string/);
  });

  it('regular expressions (ReDoS), empty and oversized sources', () => {
    expect(refusal('data.reasonDetails.matches("(a+)+$")').message).toMatch(/regular expressions are not allowed/);
    expect(refusal('matches(data.reasonDetails, "a")').message).toMatch(/regular expressions are not allowed/);
    expect(refusal('   ').message).toMatch(/must not be empty/);
    const long = Array.from({ length: 200 }, (_, i) => `data.reason == "R${i}"`).join(' || ');
    expect(long.length).toBeGreaterThan(MAX_FILTER_LENGTH);
    expect(refusal(long).message).toMatch(new RegExp(`at most ${MAX_FILTER_LENGTH} are allowed`));
  });

  it('never evaluates JavaScript: CEL source is data, not code', () => {
    expect(() => compileFilter('process.exit(1)', REPORTED)).toThrow(SubscriptionException);
    expect(() => compileFilter('constructor.constructor("return process")()', REPORTED)).toThrow(SubscriptionException);
    expect(matches('data.reason == "constructor"', { reason: 'constructor' })).toEqual({ matches: true });
  });
});
