import type { CompiledVersion } from './compile.ts';
import { dateOfWeek } from './time-zone.ts';
import type { TrailScratch } from './trail-scratch.ts';
import type { Award, EarnedAchievement, ScoreResult, ScoringEvent, TrailStep } from './types.ts';

/** Where the engine puts what it finds; an event's `steps` are scratch space, copied by whoever keeps them. */
export interface Collector {
  event(event: ScoringEvent, points: number, version: CompiledVersion, steps: TrailScratch): void;
  /** The weekly goal met in local week `week`, with `minutes` against `goal`. */
  goal(member: number, week: number, minutes: number, goal: number, points: number, at: number, version: CompiledVersion): void;
  badge(member: number, badge: string, n: number, at: number, points: number, version: CompiledVersion, steps: readonly TrailStep[]): void;
}

/** Keeps every award with its trail, and every achievement. */
export class AwardList implements Collector, ScoreResult {
  readonly awards: Award[] = [];
  readonly achievements: EarnedAchievement[] = [];

  event(e: ScoringEvent, points: number, v: CompiledVersion, steps: TrailScratch): void {
    this.awards.push({ key: String(e.id), member: e.member, event_id: e.id, points, at: e.at, policy_version: v.version, pending_until: e.at + v.pendingMs, trail: steps.copy() });
  }

  goal(member: number, week: number, minutes: number, goal: number, points: number, at: number, v: CompiledVersion): void {
    const date = dateOfWeek(week);
    const trail: TrailStep[] = [
      { rule: 'goal', week: date, minutes, goal },
      { rule: 'bonus', value: points },
    ];
    this.awards.push({ key: `goal:${member}:${date}`, member, event_id: null, points, at, policy_version: v.version, pending_until: at + v.pendingMs, trail });
  }

  badge(member: number, badge: string, n: number, at: number, points: number, v: CompiledVersion, steps: readonly TrailStep[]): void {
    this.achievements.push({ member, badge, at, n });
    if (points > 0) {
      this.awards.push({ key: `badge:${badge}:${member}:${n}`, member, event_id: null, points, at, policy_version: v.version, pending_until: at + v.pendingMs, trail: steps.slice() });
    }
  }
}
