import type { CompiledVersion } from './compile.ts';
import type { Award, EarnedAchievement, ScoreResult, ScoringEvent, TrailStep } from './types.ts';

/** Where the engine puts what it finds; `steps` is scratch space, copied by whoever keeps it. */
export interface Collector {
  event(event: ScoringEvent, points: number, version: CompiledVersion, steps: readonly TrailStep[]): void;
  goal(member: number, week: string, points: number, at: number, version: CompiledVersion, steps: readonly TrailStep[]): void;
  badge(member: number, badge: string, n: number, at: number, points: number, version: CompiledVersion, steps: readonly TrailStep[]): void;
}

/** Keeps every award with its trail, and every achievement. */
export class AwardList implements Collector, ScoreResult {
  readonly awards: Award[] = [];
  readonly achievements: EarnedAchievement[] = [];

  event(e: ScoringEvent, points: number, v: CompiledVersion, steps: readonly TrailStep[]): void {
    this.awards.push({ key: String(e.id), member: e.member, event_id: e.id, points, at: e.at, policy_version: v.version, pending_until: e.at + v.pendingMs, trail: steps.slice() });
  }

  goal(member: number, week: string, points: number, at: number, v: CompiledVersion, steps: readonly TrailStep[]): void {
    this.awards.push({ key: `goal:${member}:${week}`, member, event_id: null, points, at, policy_version: v.version, pending_until: at + v.pendingMs, trail: steps.slice() });
  }

  badge(member: number, badge: string, n: number, at: number, points: number, v: CompiledVersion, steps: readonly TrailStep[]): void {
    this.achievements.push({ member, badge, at, n });
    if (points > 0) {
      this.awards.push({ key: `badge:${badge}:${member}:${n}`, member, event_id: null, points, at, policy_version: v.version, pending_until: at + v.pendingMs, trail: steps.slice() });
    }
  }
}

/** Only each member's total: what a replay over a long history needs when no one asks why. */
export class MemberTotals implements Collector {
  readonly totals = new Map<number, number>();
  private member = Number.NaN;
  private sum = 0;

  private add(member: number, points: number): void {
    if (member !== this.member) {
      this.flush();
      this.member = member;
      this.sum = this.totals.get(member) ?? 0;
    }
    this.sum += points;
  }

  /** Writes the running member's sum; the engine calls it when it is done. */
  flush(): void {
    if (!Number.isNaN(this.member)) this.totals.set(this.member, this.sum);
  }

  event(e: ScoringEvent, points: number): void {
    this.add(e.member, points);
  }

  goal(member: number, _week: string, points: number): void {
    this.add(member, points);
  }

  badge(member: number, _badge: string, _n: number, _at: number, points: number): void {
    this.add(member, points);
  }
}
