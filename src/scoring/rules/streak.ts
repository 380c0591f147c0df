import type { MemberState } from '../member-state.ts';
import type { ScoringEvent, TrailStep } from '../types.ts';
import type { EventContext, Rule } from './rule.ts';

export const NEW_DAY = 1;
export const NEW_WEEK = 2;

/** Marks the event's day and week active and extends or restarts the member's streaks; says which began. */
export function markActive(s: MemberState, day: number, week: number): number {
  const dayChanged = day !== s.lastActiveDay;
  if (dayChanged) {
    s.dayStreak = day === s.lastActiveDay + 1 ? s.dayStreak + 1 : 1;
    s.lastActiveDay = day;
  }
  const weekChanged = week !== s.lastActiveWeek;
  if (weekChanged) {
    s.weekStreak = week === s.lastActiveWeek + 1 ? s.weekStreak + 1 : 1;
    s.lastActiveWeek = week;
  }
  return (dayChanged ? NEW_DAY : 0) | (weekChanged ? NEW_WEEK : 0);
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
    const s = c.state;
    const length =
      this.unit === 'day' ? (s.lastActiveDay >= c.day - 1 ? s.dayStreak : 0) : s.lastActiveWeek >= c.week - 1 ? s.weekStreak : 0;
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
