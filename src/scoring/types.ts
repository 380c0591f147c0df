/** An activity event as the engine sees it: already resolved to members, time as epoch ms. */
export interface ScoringEvent {
  id: number;
  member: number;
  action: string;
  at: number;
  object: string | null;
  attributes: Record<string, unknown>;
  /** The other member of a peer signal (for a like received: the giver), resolved by the caller. */
  peer?: number | null;
  /** A copy of the event marked voided takes the event back, whatever other copies say. */
  voided?: boolean;
}

/** Words for an action in trails, like "4th post today". */
export interface Noun {
  en: string;
  ru: string;
}

/** One rule's part in an award, as data; `renderTrail` turns a trail into words. */
export type TrailStep =
  | { rule: 'base'; value: number }
  | { rule: 'when'; field: string; at_least: number; value: unknown; factor: 0 }
  | { rule: 'when'; field: string; equals: string | number | boolean; value: unknown; factor: 0 }
  | { rule: 'peer'; reason: 'self' | 'unknown' | 'repeat'; factor: 0 }
  | { rule: 'peer'; reason: 'reciprocal'; factor: number }
  | { rule: 'per_day' | 'per_week'; nth: number; factor: number; max?: number; noun?: Noun }
  | { rule: 'kind'; kind: string; factor: number }
  | { rule: 'role'; role: string; factor: number }
  | { rule: 'streak'; days: number; factor: number }
  | { rule: 'streak'; weeks: number; factor: number }
  | { rule: 'goal'; week: string; minutes: number; goal: number }
  | { rule: 'badge'; badge: string; n: number }
  | { rule: 'bonus'; value: number };

export interface Award {
  /** Stable across recomputations: the event id, `goal:<member>:<week>` or `badge:<id>:<member>:<n>`. */
  key: string;
  member: number;
  event_id: number | null;
  /** Whole points, never negative. */
  points: number;
  at: number;
  policy_version: string;
  /** Until this instant (epoch ms) the points are not spendable. */
  pending_until: number;
  trail: readonly TrailStep[];
}

export interface EarnedAchievement {
  member: number;
  badge: string;
  at: number;
  /** 1 for the first time the badge is earned, 2 for the second (repeatable badges), ... */
  n: number;
}

export interface ScoreResult {
  /** In time order; a bonus follows the award of the action that earned it. */
  awards: Award[];
  achievements: EarnedAchievement[];
}

export interface ScoreOptions {
  /** The member's roles, for role multipliers; none when omitted. */
  rolesOf?: (member: number) => readonly string[];
}
