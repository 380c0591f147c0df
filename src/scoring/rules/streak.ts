import { DAY_STREAK, LAST_ACTIVE_DAY, LAST_ACTIVE_WEEK, WEEK_STREAK } from '../member-state.ts';
import type { ScoringEvent, TrailStep } from '../types.ts';
import type { EventContext, Rule } from './rule.ts';

export const NEW_DAY = 1;
export const NEW_WEEK = 2;

/** Marks the event's day and week active and extends or restarts the member's streaks; says which began. */
export function markActive(c: EventContext): number {
  const { ints, base, day, week } = c;
  let began = 0;
  const lastDay = ints[base + LAST_ACTIVE_DAY]!;
  if (day !== lastDay) {
    ints[base + DAY_STREAK] = day === lastDay + 1 ? ints[base + DAY_STREAK]! + 1 : 1;
    ints[base + LAST_ACTIVE_DAY] = day;
    began |= NEW_DAY;
  }
  const lastWeek = ints[base + LAST_ACTIVE_WEEK]!;
  if (week !== lastWeek) {
    ints[base + WEEK_STREAK] = week === lastWeek + 1 ? ints[base + WEEK_STREAK]! + 1 : 1;
    ints[base + LAST_ACTIVE_WEEK] = week;
    began |= NEW_WEEK;
  }
  return began;
}

/** Consecutive active days (or weeks) multiply points by 1 + min(max, step x (length - 1)). */
export class StreakRule implements Rule {
  private readonly steps: TrailStep[] = [];

  constructor(
    private readonly unit: 'day' | 'week',
    private readonly step: number,
    private readonly max: number,
  ) {}

  apply(_event: ScoringEvent, c: EventContext): number {
    const { ints, base } = c;
    const length =
      this.unit === 'day' ?
        ints[base + LAST_ACTIVE_DAY]! >= c.day - 1 ? ints[base + DAY_STREAK]! : 0
      : ints[base + LAST_ACTIVE_WEEK]! >= c.week - 1 ? ints[base + WEEK_STREAK]! : 0;
    if (length < 2) return 1;
    const factor = 1 + Math.min(this.max, this.step * (length - 1));
    if (factor === 1) return 1;
    let cached = this.steps[length];
    if (!cached) {
      cached = Object.freeze(this.unit === 'day' ? { rule: 'streak', days: length, factor } : { rule: 'streak', weeks: length, factor });
      this.steps[length] = cached;
    }
    c.steps.push(cached);
    return factor;
  }
}
