// Languages of the console: English (ltr) and Arabic (rtl). The choice sets <html lang dir> and is
// kept in localStorage; numbers and dates go through Intl with the chosen locale.
import { ar } from './messages.ar';
import { en, type Catalogue, type MessageKey } from './messages.en';

export type Lang = 'en' | 'ar';
export type { MessageKey };

export const CATALOGUES: Readonly<Record<Lang, Catalogue>> = { en, ar };
export const LANGS: readonly Lang[] = ['en', 'ar'];
/** Each language's name in itself, for the switch. */
export const LANG_NAMES: Readonly<Record<Lang, string>> = { en: 'English', ar: 'العربية' };
export const LANG_STORAGE_KEY = 'rabt.console.lang';

const LOCALES: Readonly<Record<Lang, string>> = { en: 'en-GB', ar: 'ar-OM' };

export type Params = Readonly<Record<string, string | number>>;

export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Whether `key` names a message (for keys built from wire values such as problem codes). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

export function dirOf(lang: Lang): 'ltr' | 'rtl' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

export function localeOf(lang: Lang): string {
  return LOCALES[lang];
}

export function parseLang(value: string | null | undefined): Lang | null {
  return value === 'en' || value === 'ar' ? value : null;
}

export interface Formatters {
  number(value: number, options?: Intl.NumberFormatOptions): string;
  /** Date and time, or the "none" mark for null. */
  dateTime(value: string | null | undefined): string;
  time(value: string): string;
}

export function formatters(lang: Lang): Formatters {
  const locale = localeOf(lang);
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  return {
    number: (value, options) => new Intl.NumberFormat(locale, options).format(value),
    dateTime: (value) => (value ? dateTime.format(new Date(value)) : CATALOGUES[lang]['common.none']),
    time: (value) => time.format(new Date(value)),
  };
}
