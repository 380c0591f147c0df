import { describe, expect, it } from 'vitest';
import { en } from '../../src/web/i18n/en.ts';
import { fill, localeOf, preferredLang } from '../../src/web/i18n/index.ts';
import { ru } from '../../src/web/i18n/ru.ts';

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const at = (o: object, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], o);

describe('languages', () => {
  it('has every string in both languages, with the same placeholders', () => {
    expect(keys(ru)).toEqual(keys(en));
    for (const key of keys(en)) {
      const [e, r] = [at(en, key), at(ru, key)];
      if (typeof e === 'string') expect(placeholders(r as string), key).toEqual(placeholders(e));
      expect(r, key).not.toBe('');
    }
  });

  it('writes numbers, dates and plurals as each language does', () => {
    const [r, e] = [localeOf('ru'), localeOf('en')];
    expect(r.number(1234567)).toBe('1\u00a0234\u00a0567');
    expect(e.number(1234567)).toBe('1,234,567');
    expect(r.count(1, r.t.plural.points)).toBe('1 балл');
    expect(r.count(3, r.t.plural.points)).toBe('3 балла');
    expect(r.count(11, r.t.plural.points)).toBe('11 баллов');
    expect(r.count(21, r.t.plural.days)).toBe('21 день');
    expect(r.count(1.5, r.t.plural.points)).toBe('1,5 балла');
    expect(e.count(1, e.t.plural.points)).toBe('1 point');
    expect(e.count(2, e.t.plural.points)).toBe('2 points');
    // Dates in the community's zone: 22:30 UTC is already the next day in Moscow.
    expect(r.date(Date.parse('2025-10-14T22:30:00Z'))).toBe('15 окт. 2025 г.');
    expect(e.date(Date.parse('2025-10-14T22:30:00Z'))).toBe('15 Oct 2025');
  });

  it('starts in Russian unless the browser asks for English first', () => {
    expect(preferredLang(undefined)).toBe('ru');
    expect(preferredLang('en-GB,en;q=0.9,ru;q=0.8')).toBe('en');
    expect(preferredLang('de-DE,ru;q=0.5,en;q=0.3')).toBe('ru');
    expect(preferredLang('de-DE')).toBe('ru');
    expect(fill('{a} and {b}, {c}', { a: 1, b: 'x' })).toBe('1 and x, {c}');
  });
});
