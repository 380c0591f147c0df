import type { MemberState, StateLayout } from '../member-state.ts';
import type { ReciprocityIndex } from '../reciprocity.ts';
import type { TrailScratch } from '../trail-scratch.ts';
import type { ScoringEvent } from '../types.ts';

/** What a rule may look at while one event is scored. */
export interface EventContext {
  state: MemberState;
  layout: StateLayout;
  /** Local day and week of the event in the policy's time zone. */
  day: number;
  week: number;
  reciprocity: ReciprocityIndex;
  /** The award's trail so far; a rule that changes the value adds its step. */
  steps: TrailScratch;
}

/**
 * One rule of an action. Gates (conditions, peer checks, windows) run first, and a factor of 0 from a
 * gate means the action does not count at all; multipliers (kind, role, streak) only scale points.
 */
export interface Rule {
  apply(event: ScoringEvent, context: EventContext): number;
}
