import { AwardList, MemberTotals, type Collector } from './collectors.ts';
import type { CompiledAction, CompiledVersion, PolicySet } from './compile.ts';
import { groupByMember, type MemberGroups } from './group-events.ts';
import { MemberState } from './member-state.ts';
import { ReciprocityIndex } from './reciprocity.ts';
import type { BadgeRule } from './rules/badge.ts';
import type { EventContext } from './rules/rule.ts';
import { markActive } from './rules/streak.ts';
import { DAY_MS, dateOfWeek, weekOfDay } from './time-zone.ts';
import type { ScoreOptions, ScoreResult, ScoringEvent, TrailStep } from './types.ts';

const NO_ROLES: readonly string[] = [];

/** Whole points; the tiny nudge keeps products like 6 x 0.5 x 1.5 = 4.5 from rounding down by float error. */
const whole = (value: number): number => Math.floor(value + 0.5 + 1e-9);

/**
 * Scores a set of events: every award with its trail and every achievement. The result depends only
 * on the set: copies of an event count once, a voided event counts nowhere, arrival order is irrelevant.
 */
export function scoreMembers(set: PolicySet, events: readonly ScoringEvent[], options: ScoreOptions = {}): ScoreResult {
  const out = new AwardList();
  replay(set, events, out, options);
  return { awards: out.awards, achievements: out.achievements };
}

/** The same scoring, keeping only each member's total points. */
export function totalsByMember(set: PolicySet, events: readonly ScoringEvent[], options: ScoreOptions = {}): Map<number, number> {
  const out = new MemberTotals();
  replay(set, events, out, options);
  out.flush();
  return out.totals;
}

export function replay(set: PolicySet, events: readonly ScoringEvent[], out: Collector, options: ScoreOptions = {}): void {
  const groups = groupByMember(events);
  const state = new MemberState(set.slots);
  const context: EventContext = { state, day: 0, week: 0, reciprocity: reciprocityOf(set, events, groups), steps: [] };
  const member = new MemberReplay(set.versions, context, out);
  const { members, starts, order, voided } = groups;
  for (let g = 0; g < members.length; g++) {
    state.reset(members[g]!, options.rolesOf?.(members[g]!) ?? NO_ROLES);
    member.run(events, order, starts[g]!, starts[g + 1]!, voided);
  }
}

/** Scores one member's events in (at, id) order. */
class MemberReplay {
  constructor(
    private readonly versions: readonly CompiledVersion[],
    private readonly c: EventContext,
    private readonly out: Collector,
  ) {}

  run(events: readonly ScoringEvent[], order: Int32Array, from: number, to: number, voided: Set<number>): void {
    const versions = this.versions;
    const c = this.c;
    let v = -1;
    let lastId = Number.NaN;
    for (let k = from; k < to; k++) {
      const e = events[order[k]!]!;
      if (e.id === lastId) continue;
      lastId = e.id;
      if (voided.size > 0 && voided.has(e.id)) continue;
      while (v + 1 < versions.length && e.at >= versions[v + 1]!.start) v++;
      if (v < 0) continue;
      const version = versions[v]!;
      const action = version.actions.get(e.action);
      if (action === undefined) continue;
      c.day = Math.floor(version.zone.local(e.at) / DAY_MS);
      c.week = weekOfDay(c.day);
      this.score(e, action, version);
    }
  }

  private score(e: ScoringEvent, action: CompiledAction, version: CompiledVersion): void {
    const c = this.c;
    const s = c.state;
    const steps = c.steps;
    steps.length = 0;
    steps.push(action.baseStep);
    let factor = 1;
    for (const gate of action.gates) {
      factor *= gate.apply(e, c);
      if (factor === 0) {
        this.out.event(e, 0, version, steps);
        return;
      }
    }
    const streaks = action.active ? markActive(s, c.day, c.week) : null;
    for (const multiplier of action.multipliers) factor *= multiplier.apply(e, c);
    this.out.event(e, whole(action.points * factor), version, steps);

    const count = ++s.counts[action.slot]!;
    const byCount = version.badges.count[action.slot];
    if (byCount) this.reach(byCount, count, e.at, version);
    if (streaks?.dayStreak) this.reach(version.badges.streak_days, s.dayStreak, e.at, version);
    if (streaks?.weekStreak) this.reach(version.badges.streak_weeks, s.weekStreak, e.at, version);
    this.addMinutes(action.minutes, e.at, version);
  }

  /** Effort toward the weekly goal; the bonus comes once, with the action that meets the goal. */
  private addMinutes(minutes: number, at: number, version: CompiledVersion): void {
    const s = this.c.state;
    const week = this.c.week;
    if (s.goalWeek !== week) {
      s.goalWeek = week;
      s.weekMinutes = 0;
      s.goalMet = false;
    }
    s.weekMinutes += minutes;
    const goal = version.goal;
    if (goal === null || s.goalMet || s.weekMinutes < goal.minutes) return;
    s.goalMet = true;
    s.goalRun = s.lastGoalWeek === week - 1 ? s.goalRun + 1 : 1;
    s.lastGoalWeek = week;
    if (goal.bonus > 0) {
      const date = dateOfWeek(week);
      const steps: TrailStep[] = [
        { rule: 'goal', week: date, minutes: s.weekMinutes, goal: goal.minutes },
        { rule: 'bonus', value: goal.bonus },
      ];
      this.out.goal(s.member, date, goal.bonus, at, version, steps);
    }
    this.reach(version.badges.goal_weeks, s.goalRun, at, version);
  }

  private reach(badges: readonly BadgeRule[], value: number, at: number, version: CompiledVersion): void {
    const s = this.c.state;
    for (const badge of badges) {
      if (!badge.reached(value, s.earned[badge.slot]!)) continue;
      const n = ++s.earned[badge.slot]!;
      const steps: TrailStep[] = [{ rule: 'badge', badge: badge.id, n }];
      if (badge.bonus > 0) steps.push({ rule: 'bonus', value: badge.bonus });
      this.out.badge(s.member, badge.id, n, at, badge.bonus, version, steps);
    }
  }
}

/** Every counted direction of every damped peer signal, so each member's replay can look the other way. */
function reciprocityOf(set: PolicySet, events: readonly ScoringEvent[], groups: MemberGroups): ReciprocityIndex {
  const index = new ReciprocityIndex();
  if (set.damped.size === 0) return index;
  const versions = set.versions;
  for (const e of events) {
    if (!set.damped.has(e.action) || e.peer === undefined || e.peer === null || e.peer === e.member || groups.voided.has(e.id)) continue;
    const version = versionAt(versions, e.at);
    const action = version?.actions.get(e.action);
    if (!version || !action?.peer?.dampsReciprocal) continue;
    index.add(action.slot, e.member, e.peer, weekOfDay(Math.floor(version.zone.local(e.at) / DAY_MS)));
  }
  return index;
}

function versionAt(versions: readonly CompiledVersion[], at: number): CompiledVersion | undefined {
  let found: CompiledVersion | undefined;
  for (const v of versions) if (at >= v.start) found = v;
  return found;
}
