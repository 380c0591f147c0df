import { actionBlock, DAY_PERIOD, WEEK_PERIOD } from '../member-state.ts';
import type { Noun, ScoringEvent, TrailStep } from '../types.ts';

type WindowStep = Extract<TrailStep, { rule: 'per_day' | 'per_week' }>;
import type { EventContext, Rule } from './rule.ts';

const CACHED_STEPS = 1024;

/**
 * Per-day or per-week window: the first `full` actions at full value, each further one worth `then`
 * times the one before, none beyond `max`. A window counts only actions that got this far.
 */
export class WindowRule implements Rule {
  private readonly full: number;
  private readonly then: number;
  private readonly max: number;
  /** Where this window's [period, count] sit in a member's row. */
  private readonly offset: number;
  private readonly steps: WindowStep[] = [];

  constructor(
    slot: number,
    private readonly unit: 'per_day' | 'per_week',
    window: { full?: number | undefined; then?: number | undefined; max?: number | undefined },
    private readonly noun?: Noun,
  ) {
    this.then = window.then ?? 0;
    this.offset = actionBlock(slot) + (unit === 'per_day' ? DAY_PERIOD : WEEK_PERIOD);
    this.max = window.max ?? Number.POSITIVE_INFINITY;
    this.full = window.full ?? this.max;
  }

  apply(_event: ScoringEvent, c: EventContext): number {
    const period = this.unit === 'per_day' ? c.day : c.week;
    const ints = c.ints;
    const at = c.base + this.offset;
    if (ints[at] !== period) {
      ints[at] = period;
      ints[at + 1] = 0;
    }
    const nth = ++ints[at + 1]!;
    if (nth <= this.full) return 1;
    const step = this.stepFor(nth);
    c.steps.push(step);
    return step.factor;
  }

  private stepFor(nth: number): WindowStep {
    const cached = this.steps[nth];
    if (cached) return cached;
    const over = nth > this.max || this.then === 0;
    const step: WindowStep = Object.freeze({
      rule: this.unit,
      nth,
      factor: over ? 0 : this.then ** (nth - this.full),
      ...(over ? { max: this.then === 0 ? this.full : this.max } : {}),
      ...(this.noun ? { noun: this.noun } : {}),
    });
    if (nth < CACHED_STEPS) this.steps[nth] = step;
    return step;
  }
}
