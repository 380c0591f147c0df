import type { BadgePolicy } from '../policy-schema.ts';

/** What a badge watches; each metric grows by one at a time or restarts at one. */
export type Metric = 'count' | 'streak_days' | 'streak_weeks' | 'goal_weeks';

export class BadgeRule {
  readonly metric: Metric;
  readonly threshold: number;
  readonly countOf: string | null;
  readonly repeat: boolean;
  readonly bonus: number;

  constructor(
    readonly id: string,
    readonly slot: number,
    policy: BadgePolicy,
  ) {
    const when = policy.when;
    this.metric = when.count ? 'count' : when.streak_days ? 'streak_days' : when.streak_weeks ? 'streak_weeks' : 'goal_weeks';
    this.threshold = when.count?.at_least ?? when.streak_days ?? when.streak_weeks ?? when.goal_weeks!;
    this.countOf = when.count?.action ?? null;
    this.repeat = policy.repeat;
    this.bonus = policy.bonus;
  }

  /** Whether the metric's new value earns the badge (again); `earned` is how many times it was earned. */
  reached(value: number, earned: number): boolean {
    return this.repeat ? value > 0 && value % this.threshold === 0 : earned === 0 && value >= this.threshold;
  }
}
