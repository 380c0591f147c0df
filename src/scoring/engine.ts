import { AwardList, type Collector } from './collectors.ts';
import type { CompiledAction, CompiledVersion, PolicySet } from './compile.ts';
import { forEachFact, nextFact, replayOrder } from './event-order.ts';
import { MemberState, StateLayout } from './member-state.ts';
import { ReciprocityIndex } from './reciprocity.ts';
import { TrailScratch } from './trail-scratch.ts';
import type { BadgeRule } from './rules/badge.ts';
import type { EventContext } from './rules/rule.ts';
import { markActive, NEW_DAY, NEW_WEEK } from './rules/streak.ts';
import { DAY_MS, dateOfWeek, weekOfDay } from './time-zone.ts';
import type { ScoreOptions, ScoreResult, ScoringEvent, TrailStep } from './types.ts';

const NO_ROLES: readonly string[] = [];

/** Whole points; the tiny nudge keeps products like 6 x 0.5 x 1.5 = 4.5 from rounding down by float error. */
const whole = (value: number): number => Math.floor(value + 0.5 + 1e-9);

/**
 * Scores a set of events: every award with its trail, in time order, and every achievement. The
 * result depends only on the set: copies of an event count once, a voided event counts nowhere
 * (nor do its knock-on effects), and arrival order does not matter.
 */
export function scoreMembers(set: PolicySet, events: readonly ScoringEvent[], options: ScoreOptions = {}): ScoreResult {
  const out = new AwardList();
  replay(set, events, out, options);
  return { awards: out.awards, achievements: out.achievements };
}

const DISCARD: Collector = { event() {}, goal() {}, badge() {} };

/** The same scoring, keeping only each member's total points. */
export function totalsByMember(set: PolicySet, events: readonly ScoringEvent[], options: ScoreOptions = {}): Map<number, number> {
  const totals = new Map<number, number>();
  for (const [member, state] of replay(set, events, DISCARD, options)) totals.set(member, state.points);
  return totals;
}

/** Replays the events in time order, keeping a small state per member; returns those states. */
export function replay(set: PolicySet, events: readonly ScoringEvent[], out: Collector, options: ScoreOptions = {}): Map<number, MemberState> {
  const order = replayOrder(events);
  const run = new Replay(set, reciprocityOf(set, events, order), out, options);
  const n = events.length;
  for (let k = 0; k < n; ) {
    const e = events[order === null ? k : order[k]!]!;
    const next = nextFact(events, order, k);
    if (next < 0) k = -next;
    else {
      run.event(e);
      k = next;
    }
  }
  return run.states;
}

class Replay {
  readonly states = new Map<number, MemberState>();
  private readonly layout: StateLayout;
  private readonly c: EventContext;
  private v = -1;

  constructor(
    private readonly set: PolicySet,
    reciprocity: ReciprocityIndex,
    private readonly out: Collector,
    private readonly options: ScoreOptions,
  ) {
    this.layout = new StateLayout(set.slots);
    this.c = { state: undefined as unknown as MemberState, layout: this.layout, day: 0, week: 0, reciprocity, steps: new TrailScratch() };
  }

  event(e: ScoringEvent): void {
    const versions = this.set.versions;
    while (this.v + 1 < versions.length && e.at >= versions[this.v + 1]!.start) this.v++;
    if (this.v < 0) return;
    const version = versions[this.v]!;
    const action = version.actions.get(e.action);
    if (action === undefined) return;
    let state = this.states.get(e.member);
    if (state === undefined) {
      state = new MemberState(e.member, this.options.rolesOf?.(e.member) ?? NO_ROLES, this.layout);
      this.states.set(e.member, state);
    }
    const c = this.c;
    c.state = state;
    c.day = Math.floor(version.zone.local(e.at) / DAY_MS);
    c.week = weekOfDay(c.day);
    this.score(e, action, version);
  }

  private score(e: ScoringEvent, action: CompiledAction, version: CompiledVersion): void {
    const c = this.c;
    const s = c.state;
    const steps = c.steps;
    steps.start(action.baseStep);
    let factor = 1;
    for (const gate of action.gates) {
      factor *= gate.apply(e, c);
      if (factor === 0) {
        this.out.event(e, 0, version, steps);
        return;
      }
    }
    const began = action.active ? markActive(s, c.day, c.week) : 0;
    for (const multiplier of action.multipliers) factor *= multiplier.apply(e, c);
    const points = whole(action.points * factor);
    s.points += points;
    this.out.event(e, points, version, steps);

    const count = ++s.nums[this.layout.counts + action.slot]!;
    const byCount = version.badges.count[action.slot];
    if (byCount) this.reach(byCount, count, e.at, version);
    if (began & NEW_DAY) this.reach(version.badges.streak_days, s.dayStreak, e.at, version);
    if (began & NEW_WEEK) this.reach(version.badges.streak_weeks, s.weekStreak, e.at, version);
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
      s.points += goal.bonus;
      this.out.goal(s.member, date, goal.bonus, at, version, steps);
    }
    this.reach(version.badges.goal_weeks, s.goalRun, at, version);
  }

  private reach(badges: readonly BadgeRule[], value: number, at: number, version: CompiledVersion): void {
    const s = this.c.state;
    for (const badge of badges) {
      const slot = this.layout.badges + badge.slot;
      if (!badge.reached(value, s.nums[slot]!)) continue;
      const n = ++s.nums[slot]!;
      const steps: TrailStep[] = [{ rule: 'badge', badge: badge.id, n }];
      if (badge.bonus > 0) steps.push({ rule: 'bonus', value: badge.bonus });
      s.points += badge.bonus;
      this.out.badge(s.member, badge.id, n, at, badge.bonus, version, steps);
    }
  }
}

/** Every direction of every damped peer signal, gathered first: a like returned on Friday damps Monday's too. */
function reciprocityOf(set: PolicySet, events: readonly ScoringEvent[], order: Int32Array | null): ReciprocityIndex {
  const index = new ReciprocityIndex();
  if (set.damped.size === 0) return index;
  const versions = set.versions;
  let v = -1;
  forEachFact(events, order, (e) => {
    if (!set.damped.has(e.action)) return;
    while (v + 1 < versions.length && e.at >= versions[v + 1]!.start) v++;
    const version = versions[v];
    const action = version?.actions.get(e.action);
    if (!version || !action?.peer?.dampsReciprocal || e.peer === undefined || e.peer === null || e.peer === e.member) return;
    index.add(action.slot, e.member, e.peer, weekOfDay(Math.floor(version.zone.local(e.at) / DAY_MS)));
  });
  return index;
}
