import { en } from './en.ts';
import { ru } from './ru.ts';

export type Lang = 'ru' | 'en';
export const LANGS: readonly Lang[] = ['ru', 'en'];
export type Dictionary = typeof en;

const DICTIONARIES: Record<Lang, Dictionary> = { en, ru };

export const isLang = (value: unknown): value is Lang => value === 'ru' || value === 'en';

/** A language's words and its ways of writing numbers and dates. */
export interface Locale {
  lang: Lang;
  t: Dictionary;
  number(n: number): string;
  percent(fraction: number): string;
  date(at: number | Date): string;
  /** Day and month only, for chart labels. */
  dayMonth(at: number | Date): string;
  dateTime(at: number | Date): string;
  /** Picks the plural form for n: [one, few, many] in Russian, [one, other] in English. */
  plural(n: number, forms: readonly string[]): string;
  /** A number with its noun in the right form: "1 point", "5 баллов". */
  count(n: number, forms: readonly string[]): string;
}

const cache = new Map<string, Locale>();

/** `timeZone` is where the community lives: dates are written as its members see their days. */
export function localeOf(lang: Lang, timeZone = 'Europe/Moscow'): Locale {
  const key = `${lang}|${timeZone}`;
  let locale = cache.get(key);
  if (locale) return locale;
  const tag = lang === 'ru' ? 'ru-RU' : 'en-GB';
  const numbers = new Intl.NumberFormat(tag);
  const percents = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  const dates = new Intl.DateTimeFormat(tag, { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
  const dayMonths = new Intl.DateTimeFormat(tag, { timeZone, day: '2-digit', month: '2-digit' });
  const times = new Intl.DateTimeFormat(tag, { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const rules = new Intl.PluralRules(tag);
  const order = lang === 'ru' ? ['one', 'few', 'many'] : ['one', 'other'];
  locale = {
    lang,
    t: DICTIONARIES[lang],
    number: (n) => numbers.format(n),
    percent: (f) => percents.format(f),
    date: (at) => dates.format(at),
    dayMonth: (at) => dayMonths.format(at),
    dateTime: (at) => times.format(at),
    // Russian fractions ("1,5 балла") take the form of 2-4.
    plural: (n, forms) => forms[order.indexOf(rules.select(n)) === -1 ? 1 : order.indexOf(rules.select(n))] ?? forms.at(-1) ?? '',
    count: (n, forms) => `${numbers.format(n)} ${locale!.plural(n, forms)}`,
  };
  cache.set(key, locale);
  return locale;
}

/** Fills {name} placeholders. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));

/** The language a browser prefers, of the two: Russian unless it asks for English first. */
export function preferredLang(acceptLanguage: string | undefined): Lang {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (isLang(tag)) return tag;
  }
  return 'ru';
}
