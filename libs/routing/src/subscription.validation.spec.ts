import { describe, expect, it } from 'vitest';
import { SubscriptionException, SubscriptionExceptionCode } from './subscription.exception';
import { validateNewSubscription, validateSubscriptionFilter, validateSubscriptionId } from './subscription.validation';

const REPORTED = 'mom.employee.left-work-reported';

function refusal(input: unknown, validate: (i: unknown) => unknown = validateNewSubscription): SubscriptionException {
  try {
    validate(input);
  } catch (e) {
    expect(e).toBeInstanceOf(SubscriptionException);
    return e as SubscriptionException;
  }
  throw new Error('expected a refusal');
}

describe('validateNewSubscription', () => {
  it('normalises a valid subscription: absent parts become null or false', () => {
    expect(validateNewSubscription({ agency: 'rop', eventType: REPORTED, inbox: true })).toEqual({ agency: 'rop', eventType: REPORTED, filter: null, projection: null, webhookUrl: null, inbox: true });
    expect(
      validateNewSubscription({ agency: 'rop', eventType: ` ${REPORTED} `, filter: 'data.reason == "ABSCONDED"', projection: ['reason'], webhook: { url: ' https://hooks.rop.gov.om/x ' }, inbox: false }),
    ).toEqual({ agency: 'rop', eventType: REPORTED, filter: 'data.reason == "ABSCONDED"', projection: ['reason'], webhookUrl: 'https://hooks.rop.gov.om/x', inbox: false });
  });

  it('refuses a subscription without a delivery method', () => {
    for (const input of [
      { agency: 'rop', eventType: REPORTED },
      { agency: 'rop', eventType: REPORTED, inbox: false },
      { agency: 'rop', eventType: REPORTED, webhook: null },
    ]) {
      const e = refusal(input);
      expect(e.code).toBe(SubscriptionExceptionCode.INVALID_SUBSCRIPTION);
      expect(e.message).toBe('invalid subscription: webhook no delivery method: give a webhook ({"url": "https://…"}) or "inbox": true, or both');
    }
  });

  it('names every problem at once', () => {
    const e = refusal({ agency: 'ROP', eventType: 7, filter: 3, projection: 'reason', webhook: { url: 1, secret: 'mine' }, inbox: 'yes', colour: 'blue' });
    expect(e.code).toBe(SubscriptionExceptionCode.INVALID_SUBSCRIPTION);
    expect((e.details!['errors'] as { path: string }[]).map((x) => x.path).sort()).toEqual(['', 'agency', 'eventType', 'filter', 'inbox', 'projection', 'webhook', 'webhook.url']);
    expect(e.message).toMatch(/unknown field 'colour'/);
    expect(e.message).toMatch(/webhook unknown field 'secret'/);
    expect(refusal({ agency: 'rop', eventType: 7 }).message).toBe('invalid subscription: eventType must be a string; webhook no delivery method: give a webhook ({"url": "https://…"}) or "inbox": true, or both');
    expect(refusal({ agency: 'rop', eventType: REPORTED, inbox: true, projection: [] }).message).toMatch(/projection must name at least one field/);
    expect(refusal('{"agency":"rop"}').message).toBe('invalid subscription: must be a JSON object');
    expect(refusal({ eventType: REPORTED, inbox: true }).message).toBe('invalid subscription: agency is required');
  });
});

describe('validateSubscriptionFilter and validateSubscriptionId', () => {
  it('filters by agency, type and state', () => {
    expect(validateSubscriptionFilter({ agency: 'rop', state: 'disabled' })).toEqual({ agency: 'rop', state: 'disabled' });
    expect(validateSubscriptionFilter(undefined)).toEqual({});
    expect(refusal({ state: 'paused' }, validateSubscriptionFilter).message).toMatch(/state must be active or disabled/);
  });

  it('an id that is not a UUID names no subscription', () => {
    expect(validateSubscriptionId('3F2B8C1E-0A4D-4E7F-9B21-5C6D7E8F9A0B')).toBe('3f2b8c1e-0a4d-4e7f-9b21-5c6d7e8f9a0b');
    const e = refusal("1' OR '1'='1", validateSubscriptionId);
    expect(e.code).toBe(SubscriptionExceptionCode.SUBSCRIPTION_NOT_FOUND);
  });
});
