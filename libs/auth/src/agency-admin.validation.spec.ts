import { describe, expect, it } from 'vitest';
import { AgencyAdminException, AgencyAdminExceptionCode as Code } from './agency-admin.exception';
import { normalizeKeyId, validateAgencyChanges, validateAgencyCode, validateGrant, validateGrantFilter, validateNewAgency, validateNewKey } from './agency-admin.validation';

const REPORTED = 'mom.employee.left-work-reported';

/** The exception `fn` throws: its code, message and the paths of the failing fields. */
function refusal(fn: () => unknown): { code: string; message: string; paths: string[] } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AgencyAdminException);
    const ex = e as AgencyAdminException;
    return { code: ex.code, message: ex.message, paths: ((ex.details?.['errors'] ?? []) as { path: string }[]).map((x) => x.path) };
  }
  throw new Error('expected the input to be refused');
}

describe('agency codes', () => {
  it.each(['mom', 'ita', 'moci', 'm2', 'a'.repeat(16)])('accepts %s', (code) => {
    expect(validateAgencyCode(code)).toBe(code);
  });

  it.each([['m'], ['MOM'], ['2mom'], ['mo-m'], ['mo m'], ['a'.repeat(17)], [''], [42], [undefined]])('refuses %j with INVALID_AGENCY', (code) => {
    expect(refusal(() => validateAgencyCode(code)).code).toBe(Code.INVALID_AGENCY);
  });

  it('uses the code the caller asks for, e.g. INVALID_GRANT for a granting agency', () => {
    expect(refusal(() => validateAgencyCode('X', Code.INVALID_GRANT)).code).toBe(Code.INVALID_GRANT);
  });
});

describe('new agencies', () => {
  it('trims names and keeps the Arabic one as given', () => {
    expect(validateNewAgency({ code: 'mol', nameEn: '  Ministry of Labour ', nameAr: 'وزارة العمل' })).toEqual({ code: 'mol', nameEn: 'Ministry of Labour', nameAr: 'وزارة العمل' });
  });

  it('names every bad field at once', () => {
    const r = refusal(() => validateNewAgency({ code: 'Bad Code', nameEn: '   ', nameAr: 'Ministry' }));
    expect(r.code).toBe(Code.INVALID_AGENCY);
    expect(r.paths).toEqual(['code', 'nameEn', 'nameAr']);
    expect(r.message).toContain('nameAr must be written in Arabic script');
    expect(r.message).toContain('nameEn must not be empty');
  });

  it('requires every field and refuses unknown ones', () => {
    expect(refusal(() => validateNewAgency({ code: 'mol' })).message).toMatch(/nameEn is required; nameAr is required/);
    expect(refusal(() => validateNewAgency({ code: 'mol', nameEn: 'x', nameAr: 'س', status: 'active' })).message).toContain("unknown field 'status'");
  });

  it.each([null, [], 'mol', 7])('refuses a body that is not an object: %j', (body) => {
    expect(refusal(() => validateNewAgency(body)).message).toBe('invalid agency: must be a JSON object');
  });

  it('refuses names longer than the column', () => {
    expect(refusal(() => validateNewAgency({ code: 'mol', nameEn: 'x'.repeat(201), nameAr: 'س' })).paths).toEqual(['nameEn']);
  });
});

describe('changes to an agency', () => {
  it('accepts status, names and rate limits; null resets a rate to the default', () => {
    expect(validateAgencyChanges({ status: 'suspended' })).toEqual({ status: 'suspended' });
    expect(validateAgencyChanges({ ratePerSecond: 50, rateBurst: null, nameEn: 'New' })).toEqual({ ratePerSecond: 50, rateBurst: null, nameEn: 'New' });
  });

  it.each([
    [{}, /nothing to change/],
    [{ status: 'deleted' }, /status must be 'active' or 'suspended'/],
    [{ ratePerSecond: 0 }, /ratePerSecond must be at least 1/],
    [{ rateBurst: 2.5 }, /rateBurst must be a whole number/],
    [{ ratePerSecond: '10' }, /ratePerSecond must be a whole number or null/],
    [{ ratePerSecond: 2_000_000 }, /ratePerSecond must be at most 1000000/],
    [{ code: 'other' }, /unknown field 'code'/],
    [{ nameAr: 'Labour' }, /nameAr must be written in Arabic script/],
  ])('refuses %j', (changes, message) => {
    const r = refusal(() => validateAgencyChanges(changes));
    expect(r.code).toBe(Code.INVALID_AGENCY);
    expect(r.message).toMatch(message);
  });
});

describe('keys', () => {
  it('needs a label; roles default to none and are de-duplicated', () => {
    expect(validateNewKey({ label: ' ci ' })).toEqual({ label: 'ci', roles: [], expiresAt: null });
    expect(validateNewKey({ label: 'ops', roles: ['admin', 'integrator', 'admin'] })).toEqual({ label: 'ops', roles: ['admin', 'integrator'], expiresAt: null });
  });

  const now = new Date('2026-12-08T00:00:00Z');
  const policy = { maxTtlDays: 397, now };

  it.each([
    ['90d', '2027-03-08T00:00:00.000Z'],
    ['12h', '2026-12-08T12:00:00.000Z'],
    ['2027-01-31T00:00:00Z', '2027-01-31T00:00:00.000Z'],
    ['2027-01-31T03:00:00+03:00', '2027-01-31T00:00:00.000Z'],
    ['2027-01-31', '2027-01-31T00:00:00.000Z'],
    ['397d', '2028-01-09T00:00:00.000Z'],
  ])('takes an expiry %s as an ISO-8601 time or a duration from now', (expires, at) => {
    expect(validateNewKey({ label: 'x', expires }, policy).expiresAt?.toISOString()).toBe(at);
  });

  it.each([
    ['2026-12-07T23:59:59Z', /expires must be in the future/],
    ['2026-12-08T00:00:00Z', /expires must be in the future/],
    ['398d', /expires must be at most 397 days from now/],
    ['2030-01-01', /expires must be at most 397 days from now/],
    ['2027-01-31T00:00:00', /expires must be an ISO-8601 time with a zone/],
    ['soon', /expires must be an ISO-8601 time with a zone/],
    ['-5d', /expires must be an ISO-8601 time with a zone/],
    ['2027-13-45', /expires must be an ISO-8601 time with a zone/],
    ['9'.repeat(60) + 'd', /expires must be an ISO-8601 time with a zone/],
    ['9999999d', /expires must be at most 397 days from now/],
    ['9999-12-31', /expires must be at most 397 days from now/],
    ['+275760-09-13T00:00:00Z', /expires must be an ISO-8601 time with a zone/],
  ])('refuses the expiry %s with INVALID_KEY', (expires, message) => {
    const r = refusal(() => validateNewKey({ label: 'x', expires }, policy));
    expect(r.code).toBe(Code.INVALID_KEY);
    expect(r.message).toMatch(message);
  });

  it('bounds the expiry by the configured maximum', () => {
    expect(refusal(() => validateNewKey({ label: 'x', expires: '31d' }, { maxTtlDays: 30, now })).message).toMatch(/at most 30 days/);
  });

  it.each([
    [{}, /label is required/],
    [{ label: '' }, /label must not be empty/],
    [{ label: 'x'.repeat(101) }, /label must be at most 100 characters/],
    [{ label: 'x', roles: ['root'] }, /roles\.0 must be 'integrator' or 'admin'/],
    [{ label: 'x', roles: 'admin' }, /roles must be an array of roles/],
    [{ label: 'x', secret: 'mine' }, /unknown field 'secret'/],
  ])('refuses %j with INVALID_KEY', (input, message) => {
    const r = refusal(() => validateNewKey(input));
    expect(r.code).toBe(Code.INVALID_KEY);
    expect(r.message).toMatch(message);
  });

  it('reads a key id as a UUID or as the 32 hex digits of a token', () => {
    const uuid = '3f2b8c1e-0a4d-4e7f-9b21-5c6d7e8f9a0b';
    expect(normalizeKeyId(uuid)).toBe(uuid);
    expect(normalizeKeyId(uuid.toUpperCase())).toBe(uuid);
    expect(normalizeKeyId(uuid.replace(/-/g, ''))).toBe(uuid);
  });

  it.each(['', 'not-a-key', '3f2b8c1e-0a4d-4e7f-9b21', `rabt_${'0'.repeat(32)}_${'A'.repeat(43)}`, 12])('refuses the key id %j with INVALID_KEY', (id) => {
    expect(refusal(() => normalizeKeyId(id)).code).toBe(Code.INVALID_KEY);
  });
});

describe('grants', () => {
  it('returns the grant with the owner of its type from the catalogue', () => {
    expect(validateGrant({ agency: 'rop', eventType: REPORTED, permission: 'subscribe' })).toEqual({ agency: 'rop', eventType: REPORTED, permission: 'subscribe', owner: 'mom' });
  });

  it('refuses a type that is not in the catalogue with UNKNOWN_EVENT_TYPE', () => {
    const r = refusal(() => validateGrant({ agency: 'rop', eventType: 'mom.employee.teleported', permission: 'subscribe' }));
    expect(r.code).toBe(Code.UNKNOWN_EVENT_TYPE);
    expect(r.message).toContain("'mom.employee.teleported' is not an event type of the catalogue");
  });

  it.each([
    [{ agency: 'rop', eventType: REPORTED, permission: 'read' }, /permission must be 'publish' or 'subscribe'/],
    [{ agency: 'ROP', eventType: REPORTED, permission: 'publish' }, /agency must be 2 to 16 characters/],
    [{ eventType: REPORTED, permission: 'publish' }, /agency is required/],
    [{ agency: 'rop', permission: 'publish' }, /eventType is required/],
    [{ agency: 'rop', eventType: REPORTED, permission: 'publish', grantedBy: 'mom' }, /unknown field 'grantedBy'/],
  ])('refuses %j with INVALID_GRANT', (input, message) => {
    const r = refusal(() => validateGrant(input));
    expect(r.code).toBe(Code.INVALID_GRANT);
    expect(r.message).toMatch(message);
  });

  it('filters: optional agency and known type only', () => {
    expect(validateGrantFilter(undefined)).toEqual({});
    expect(validateGrantFilter({ agency: 'rop', eventType: REPORTED })).toEqual({ agency: 'rop', eventType: REPORTED });
    expect(refusal(() => validateGrantFilter({ eventType: 'nope.nope.nope' })).code).toBe(Code.UNKNOWN_EVENT_TYPE);
    expect(refusal(() => validateGrantFilter({ type: REPORTED })).code).toBe(Code.INVALID_GRANT);
  });
});
