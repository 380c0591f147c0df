import { describe, expect, it } from 'vitest';
import { renderTrail, type TrailStep } from '../../src/scoring/index.ts';

describe('trails in words', () => {
  it('given ordinals, then 1st, 2nd, 3rd, 11th, 12th, 21st, 22nd, 113th read naturally', () => {
    const nth = (n: number) => renderTrail([{ rule: 'per_day', nth: n, factor: 0.5 }], 1);
    expect([1, 2, 3, 11, 12, 21, 22, 113].map(nth)).toEqual(
      ['1st', '2nd', '3rd', '11th', '12th', '21st', '22nd', '113th'].map((o) => `${o} today x0.5 = 1`),
    );
  });

  it('given Russian, then streak days take the right plural', () => {
    const streak = (days: number) => renderTrail([{ rule: 'streak', days, factor: 1.1 }], 1, 'ru');
    expect([1, 2, 5, 11, 21, 22, 25].map(streak)).toEqual(
      ['1 день', '2 дня', '5 дней', '11 дней', '21 день', '22 дня', '25 дней'].map((d) => `серия ${d} x1.1 = 1`),
    );
  });

  it('given every kind of step, then each has English and Russian words', () => {
    const trail: TrailStep[] = [
      { rule: 'base', value: 6 },
      { rule: 'when', field: 'status', equals: 'accepted', value: 'draft', factor: 0 },
      { rule: 'peer', reason: 'unknown', factor: 0 },
      { rule: 'per_week', nth: 31, factor: 0, max: 30, noun: { en: 'post', ru: 'пост' } },
      { rule: 'role', role: 'mentor', factor: 1.2 },
      { rule: 'streak', weeks: 3, factor: 1.04 },
      { rule: 'badge', badge: 'steady-4-weeks', n: 2 },
      { rule: 'bonus', value: 100 },
    ];
    expect(renderTrail(trail, 0)).toBe(
      'base 6, status draft, not accepted x0, from an unknown member x0, 31st post this week, over 30 x0, mentor x1.2, streak 3 weeks x1.04, badge steady-4-weeks (2 times), bonus 100 = 0',
    );
    expect(renderTrail(trail, 0, 'ru')).toBe(
      'база 6, status draft, а не accepted x0, от неизвестного участника x0, 31-й пост за неделю, сверх 30 x0, роль mentor x1.2, серия 3 недели x1.04, значок steady-4-weeks (2-й раз), бонус 100 = 0',
    );
  });

  it('given a factor with a long fraction, then it is shown to three places', () => {
    expect(renderTrail([{ rule: 'per_day', nth: 13, factor: 0.8 ** 3 }], 1)).toBe('13th today x0.512 = 1');
    expect(renderTrail([{ rule: 'per_day', nth: 14, factor: 0.8 ** 4 }], 1)).toBe('14th today x0.41 = 1');
  });
});
