import type { MemberTable, StateLayout } from '../member-state.ts';
import type { ReciprocityIndex } from '../reciprocity.ts';
import type { TrailScratch } from '../trail-scratch.ts';
import type { ScoringEvent } from '../types.ts';

/** What a rule may look at while one event is scored. */
export interface EventContext {
  members: MemberTable;
  layout: StateLayout;
  /** The member's row, and where it starts in `ints` (the table's array, which may grow between events). */
  row: number;
  base: number;
  ints: Int32Array;
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
