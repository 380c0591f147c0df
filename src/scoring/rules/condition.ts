import type { ScoringEvent, TrailStep } from '../types.ts';
import type { EventContext, Rule } from './rule.ts';

/** An action counts only when a numeric attribute is at least a threshold (`min_words: 50`). */
export class AtLeastRule implements Rule {
  constructor(
    private readonly field: string,
    private readonly threshold: number,
  ) {}

  apply(event: ScoringEvent, context: EventContext): number {
    const value = event.attributes[this.field];
    if (typeof value === 'number' && value >= this.threshold) return 1;
    context.steps.push({ rule: 'when', field: this.field, at_least: this.threshold, value: value ?? null, factor: 0 });
    return 0;
  }
}

/** An action counts only when an attribute has a stated value (`status: accepted`). */
export class EqualsRule implements Rule {
  constructor(
    private readonly field: string,
    private readonly expected: string | number | boolean,
  ) {}

  apply(event: ScoringEvent, context: EventContext): number {
    const value = event.attributes[this.field];
    if (value === this.expected) return 1;
    const step: TrailStep = { rule: 'when', field: this.field, equals: this.expected, value: value ?? null, factor: 0 };
    context.steps.push(step);
    return 0;
  }
}
