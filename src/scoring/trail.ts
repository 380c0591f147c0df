import type { TrailStep } from './types.ts';

export type Language = 'en' | 'ru';

const factor = (f: number): string => `x${Number(f.toFixed(3))}`;

const ordinalEn = (n: number): string => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
};

/** Russian plural: 1 день, 2 дня, 5 дней. */
const pluralRu = (n: number, one: string, few: string, many: string): string => {
  const tens = n % 100;
  const units = n % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  return units >= 2 && units <= 4 ? few : many;
};

const KINDS_RU: Record<string, string> = { learning: 'обучение', contribution: 'вклад' };

type Step<R extends TrailStep['rule']> = Extract<TrailStep, { rule: R }>;
type Renderers = { [R in TrailStep['rule']]: (step: Step<R>) => string };

const EN: Renderers = {
  base: (s) => `base ${s.value}`,
  when: (s) => ('at_least' in s ? `${s.field} ${String(s.value)} below ${s.at_least} x0` : `${s.field} ${String(s.value)}, not ${String(s.equals)} x0`),
  peer: (s) =>
    s.reason === 'self' ? 'from oneself x0'
    : s.reason === 'unknown' ? 'from an unknown member x0'
    : s.reason === 'repeat' ? 'again from the same member x0'
    : `returned the same week ${factor(s.factor)}`,
  per_day: (s) => windowEn(s, 'today'),
  per_week: (s) => windowEn(s, 'this week'),
  kind: (s) => `${s.kind} ${factor(s.factor)}`,
  role: (s) => `${s.role} ${factor(s.factor)}`,
  streak: (s) => ('days' in s ? `streak ${s.days} days ${factor(s.factor)}` : `streak ${s.weeks} weeks ${factor(s.factor)}`),
  goal: (s) => `weekly goal ${s.goal} min met (${s.minutes} min, week of ${s.week})`,
  badge: (s) => (s.n > 1 ? `badge ${s.badge} (${s.n} times)` : `badge ${s.badge}`),
  bonus: (s) => `bonus ${s.value}`,
};

const RU: Renderers = {
  base: (s) => `база ${s.value}`,
  when: (s) => ('at_least' in s ? `${s.field} ${String(s.value)} меньше ${s.at_least} x0` : `${s.field} ${String(s.value)}, а не ${String(s.equals)} x0`),
  peer: (s) =>
    s.reason === 'self' ? 'от самого себя x0'
    : s.reason === 'unknown' ? 'от неизвестного участника x0'
    : s.reason === 'repeat' ? 'повторно от того же участника x0'
    : `взаимно в ту же неделю ${factor(s.factor)}`,
  per_day: (s) => windowRu(s, 'за день'),
  per_week: (s) => windowRu(s, 'за неделю'),
  kind: (s) => `${KINDS_RU[s.kind] ?? s.kind} ${factor(s.factor)}`,
  role: (s) => `роль ${s.role} ${factor(s.factor)}`,
  streak: (s) =>
    'days' in s ? `серия ${s.days} ${pluralRu(s.days, 'день', 'дня', 'дней')} ${factor(s.factor)}` : `серия ${s.weeks} ${pluralRu(s.weeks, 'неделя', 'недели', 'недель')} ${factor(s.factor)}`,
  goal: (s) => `недельная цель ${s.goal} мин выполнена (${s.minutes} мин, неделя с ${s.week})`,
  badge: (s) => (s.n > 1 ? `значок ${s.badge} (${s.n}-й раз)` : `значок ${s.badge}`),
  bonus: (s) => `бонус ${s.value}`,
};

function windowEn(s: Step<'per_day' | 'per_week'>, when: string): string {
  const what = `${ordinalEn(s.nth)}${s.noun ? ` ${s.noun.en}` : ''} ${when}`;
  return s.max === undefined ? `${what} ${factor(s.factor)}` : `${what}, over ${s.max} x0`;
}

function windowRu(s: Step<'per_day' | 'per_week'>, when: string): string {
  const what = `${s.nth}-й ${s.noun ? s.noun.ru : 'раз'} ${when}`;
  return s.max === undefined ? `${what} ${factor(s.factor)}` : `${what}, сверх ${s.max} x0`;
}

/** "base 6, 4th post today x0.5, contribution x1.5, streak 9 days x1.16 = 5" */
export function renderTrail(trail: readonly TrailStep[], points: number, language: Language = 'en'): string {
  const say = language === 'ru' ? RU : EN;
  const parts = trail.map((step) => (say[step.rule] as (s: TrailStep) => string)(step));
  return `${parts.join(', ')} = ${points}`;
}
