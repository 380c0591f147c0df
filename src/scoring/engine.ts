import { AwardList, type Collector } from './collectors.ts';
import type { CompiledAction, CompiledVersion, PolicySet } from './compile.ts';
import {
  COUNT,
  DAY_STREAK,
  GOAL_MET,
  GOAL_RUN,
  GOAL_WEEK,
  LAST_GOAL_WEEK,
  MemberTable,
  StateLayout,
  WEEK_MINUTES,
  WEEK_STREAK,
} from './member-state.ts';
import type { ReciprocityIndex } from './reciprocity.ts';
import { prepare } from './prepare.ts';
import type { BadgeRule } from './rules/badge.ts';
import type { EventContext } from './rules/rule.ts';
import { markActive, NEW_DAY, NEW_WEEK } from './rules/streak.ts';
import { DAY_MS, weekOfDay } from './time-zone.ts';
import { TrailScratch } from './trail-scratch.ts';
import type { ScoreOptions, ScoreResult, ScoringEvent, TrailStep } from './types.ts';

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
  const members = replay(set, events, DISCARD, options);
  const totals = new Map<number, number>();
  for (let row = 0; row < members.size; row++) totals.set(members.ids[row]!, members.points[row]!);
  return totals;
}

/** Replays the events in (at, id) order, keeping one small row of state per member; returns the rows. */
export function replay(set: PolicySet, events: readonly ScoringEvent[], out: Collector, options: ScoreOptions = {}): MemberTable {
  const { order, reciprocity } = prepare(set, events);
  const run = new Replay(set, reciprocity, out, options);
  const n = events.length;
  for (let k = 0; k < n; ) {
    // Copies of an event are adjacent in replay order; any copy marked voided voids them all.
    const e = events[order === null ? k : order[k]!]!;
    let voided = e.voided === true;
    let next = k + 1;
    for (; next < n; next++) {
      const copy = events[order === null ? next : order[next]!]!;
      if (copy.id !== e.id || copy.at !== e.at) break;
      voided ||= copy.voided === true;
    }
    if (!voided) run.event(e);
    k = next;
  }
  return run.members;
}

class Replay {
  readonly members: MemberTable;
  private readonly c: EventContext;
  private v = -1;

  constructor(
    private readonly set: PolicySet,
    reciprocity: ReciprocityIndex,
    private readonly out: Collector,
    private readonly options: ScoreOptions,
  ) {
    const layout = new StateLayout(set.slots);
    this.members = new MemberTable(layout);
    this.c = { members: this.members, layout, row: 0, base: 0, ints: this.members.ints, day: 0, week: 0, reciprocity, steps: new TrailScratch() };
  }

  event(e: ScoringEvent): void {
    const versions = this.set.versions;
    while (this.v + 1 < versions.length && e.at >= versions[this.v + 1]!.start) this.v++;
    if (this.v < 0) return;
    const version = versions[this.v]!;
    const action = version.actions.get(e.action);
    if (action === undefined) return;
    const c = this.c;
    c.row = this.members.rowOf(e.member, this.options.rolesOf);
    c.ints = this.members.ints;
    c.base = c.row * c.layout.stride;
    c.day = Math.floor(version.zone.local(e.at) / DAY_MS);
    c.week = weekOfDay(c.day);
    this.score(e, action, version);
  }

  private score(e: ScoringEvent, action: CompiledAction, version: CompiledVersion): void {
    const c = this.c;
    c.steps.start(action.baseStep);
    let factor = 1;
    for (const gate of action.gates) {
      factor *= gate.apply(e, c);
      if (factor === 0) {
        this.out.event(e, 0, version, c.steps);
        return;
      }
    }
    const began = action.active ? markActive(c) : 0;
    for (const multiplier of action.multipliers) factor *= multiplier.apply(e, c);
    const points = whole(action.points * factor);
    this.members.points[c.row]! += points;
    this.out.event(e, points, version, c.steps);

    const count = ++c.ints[c.base + action.block + COUNT]!;
    const byCount = version.badges.count[action.slot];
    if (byCount) this.reach(byCount, count, e.at, version);
    if (began & NEW_DAY) this.reach(version.badges.streak_days, c.ints[c.base + DAY_STREAK]!, e.at, version);
    if (began & NEW_WEEK) this.reach(version.badges.streak_weeks, c.ints[c.base + WEEK_STREAK]!, e.at, version);
    this.addMinutes(action.minutes, e.at, version);
  }

  /** Effort toward the weekly goal; the bonus comes once, with the action that meets the goal. */
  private addMinutes(minutes: number, at: number, version: CompiledVersion): void {
    const { ints, base, week } = this.c;
    if (ints[base + GOAL_WEEK] !== week) {
      ints[base + GOAL_WEEK] = week;
      ints[base + WEEK_MINUTES] = 0;
      ints[base + GOAL_MET] = 0;
    }
    const spent = (ints[base + WEEK_MINUTES] = ints[base + WEEK_MINUTES]! + minutes);
    const goal = version.goal;
    if (goal === null || ints[base + GOAL_MET] === 1 || spent < goal.minutes) return;
    ints[base + GOAL_MET] = 1;
    const run = (ints[base + GOAL_RUN] = ints[base + LAST_GOAL_WEEK] === week - 1 ? ints[base + GOAL_RUN]! + 1 : 1);
    ints[base + LAST_GOAL_WEEK] = week;
    if (goal.bonus > 0) {
      this.members.points[this.c.row]! += goal.bonus;
      this.out.goal(this.members.ids[this.c.row]!, week, spent, goal.minutes, goal.bonus, at, version);
    }
    this.reach(version.badges.goal_weeks, run, at, version);
  }

  private reach(badges: readonly BadgeRule[], value: number, at: number, version: CompiledVersion): void {
    const { ints, base, layout: L, row } = this.c;
    for (const badge of badges) {
      const slot = base + L.badges + badge.slot;
      if (!badge.reached(value, ints[slot]!)) continue;
      const n = ++ints[slot]!;
      const steps: TrailStep[] = [{ rule: 'badge', badge: badge.id, n }];
      if (badge.bonus > 0) steps.push({ rule: 'bonus', value: badge.bonus });
      this.members.points[row]! += badge.bonus;
      this.out.badge(this.members.ids[row]!, badge.id, n, at, badge.bonus, version, steps);
    }
  }
}
