import { describe, expect, it } from 'vitest';
import { CATALOGUES, dirOf, formatters, isMessageKey, parseLang, translate } from './i18n';

describe('message catalogues', () => {
  it('English and Arabic have exactly the same keys', () => {
    expect(Object.keys(CATALOGUES.ar).sort()).toEqual(Object.keys(CATALOGUES.en).sort());
  });

  it('no message is empty, and each Arabic message uses the same {parameters} as its English one', () => {
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(CATALOGUES.en)) {
      const arabic = CATALOGUES.ar[key as keyof typeof CATALOGUES.ar];
      expect(text.trim(), key).not.toBe('');
      expect(arabic.trim(), key).not.toBe('');
      expect(params(arabic), key).toEqual(params(text));
    }
  });

  it('the Arabic catalogue is really Arabic: most of its messages contain Arabic letters', () => {
    const arabic = Object.values(CATALOGUES.ar).filter((s) => /[\u0600-\u06FF]/.test(s));
    expect(arabic.length / Object.keys(CATALOGUES.ar).length).toBeGreaterThan(0.9);
  });
});

describe('translate', () => {
  it('fills parameters and leaves unknown ones visible', () => {
    expect(translate('en', 'replayJob.progress', { done: 3, total: 10, skipped: 1 })).toBe('3 of 10 replayed, 1 skipped');
    expect(translate('en', 'deadLetters.total', {})).toBe('{count} matching');
  });

  it('knows which problem codes have a message', () => {
    expect(isMessageKey('error.INVALID_CREDENTIALS')).toBe(true);
    expect(isMessageKey('error.SOMETHING_NEW')).toBe(false);
    expect(isMessageKey('toString')).toBe(false);
  });
});

describe('direction, locale and formatting', () => {
  it('Arabic is right to left, English left to right', () => {
    expect(dirOf('ar')).toBe('rtl');
    expect(dirOf('en')).toBe('ltr');
  });

  it('accepts only the two languages from storage', () => {
    expect(parseLang('ar')).toBe('ar');
    expect(parseLang('fr')).toBeNull();
    expect(parseLang(null)).toBeNull();
  });

  it('formats numbers with the locale (Arabic-Indic digits in ar-OM)', () => {
    expect(formatters('en').number(12345)).toBe('12,345');
    expect(formatters('ar').number(12)).toMatch(/^[\u0660-\u0669]+$/);
    expect(formatters('en').dateTime(null)).toBe('—');
  });
});
