import { VkladError } from '../errors.ts';
import { actionBlock, type SlotCounts } from './member-state.ts';
import type { ActionPolicy, Policy } from './policy-schema.ts';
import { BadgeRule, type Metric } from './rules/badge.ts';
import { AtLeastRule, EqualsRule } from './rules/condition.ts';
import { KindRule, RoleRule } from './rules/multipliers.ts';
import { PeerRule } from './rules/peer.ts';
import type { Rule } from './rules/rule.ts';
import { StreakRule } from './rules/streak.ts';
import { WindowRule } from './rules/window.ts';
import { DAY_MS, TimeZone } from './time-zone.ts';
import type { TrailStep } from './types.ts';

export interface CompiledAction {
  /** Shared by every version that scores the same action, so windows and counts carry over. */
  slot: number;
  /** Where the action's numbers start in a member's row. */
  block: number;
  points: number;
  minutes: number;
  active: boolean;
  baseStep: TrailStep;
  gates: Rule[];
  multipliers: Rule[];
  peer: PeerRule | null;
}

export interface CompiledVersion {
  version: string;
  /** The instant the version takes effect: local midnight of `effective_from`. */
  start: number;
  zone: TimeZone;
  pendingMs: number;
  actions: Map<string, CompiledAction>;
  goal: { minutes: number; bonus: number } | null;
  /** Badges by the metric they watch; count badges by action slot. */
  badges: Record<Exclude<Metric, 'count'>, BadgeRule[]> & { count: BadgeRule[][] };
}

/** Policy versions ready to score with, ordered by effective date. */
export interface PolicySet {
  versions: CompiledVersion[];
  slots: SlotCounts;
  /** Actions whose peer signals are damped when returned, in some version. */
  damped: Set<string>;
}

class Slots {
  private readonly maps = { actions: new Map<string, number>(), peers: new Map<string, number>(), badges: new Map<string, number>() };

  of(kind: keyof SlotCounts, name: string): number {
    const map = this.maps[kind];
    let slot = map.get(name);
    if (slot === undefined) map.set(name, (slot = map.size));
    return slot;
  }

  counts(): SlotCounts {
    return { actions: this.maps.actions.size, peers: this.maps.peers.size, badges: this.maps.badges.size };
  }
}

/** Checks that versions and effective dates are distinct and compiles the rules each policy declares. */
export function policySet(policies: readonly Policy[]): PolicySet {
  const zones = new Map<string, TimeZone>();
  const slots = new Slots();
  const damped = new Set<string>();
  const versions = policies.map((p) => {
    const zone = zones.get(p.timezone) ?? new TimeZone(p.timezone);
    zones.set(p.timezone, zone);
    return compileVersion(p, zone, slots, damped);
  });
  versions.sort((a, b) => a.start - b.start);
  for (let i = 1; i < versions.length; i++) {
    if (versions[i]!.start === versions[i - 1]!.start) throw clash('effective_from', `${versions[i]!.version} takes effect at the same time as ${versions[i - 1]!.version}`);
  }
  const names = new Set(versions.map((v) => v.version));
  if (names.size !== versions.length) throw clash('version', 'two policies have the same version');
  return { versions, slots: slots.counts(), damped };
}

function compileVersion(p: Policy, zone: TimeZone, slots: Slots, damped: Set<string>): CompiledVersion {
  const streak = p.streak ? new StreakRule(p.streak.unit, p.streak.step, p.streak.max) : null;
  const actions = new Map<string, CompiledAction>();
  for (const [key, rule] of Object.entries(p.actions)) {
    const compiled = compileAction(key, rule, p, slots, streak);
    if (compiled.peer?.dampsReciprocal) damped.add(key);
    actions.set(key, compiled);
  }
  const badges: CompiledVersion['badges'] = { count: [], streak_days: [], streak_weeks: [], goal_weeks: [] };
  for (const policy of p.achievements) {
    const badge = new BadgeRule(policy.id, slots.of('badges', policy.id), policy);
    if (badge.countOf === null) badges[badge.metric as Exclude<Metric, 'count'>].push(badge);
    else (badges.count[actions.get(badge.countOf)!.slot] ??= []).push(badge);
  }
  return {
    version: p.version,
    start: zone.midnight(p.effective_from),
    zone,
    pendingMs: p.pending_days * DAY_MS,
    actions,
    goal: p.weekly_goal ?? null,
    badges,
  };
}

function compileAction(key: string, rule: ActionPolicy, p: Policy, slots: Slots, streak: StreakRule | null): CompiledAction {
  const slot = slots.of('actions', key);
  const gates: Rule[] = [];
  if (rule.min_words !== undefined) gates.push(new AtLeastRule('words', rule.min_words));
  for (const [field, condition] of Object.entries(rule.when ?? {})) {
    gates.push('at_least' in condition ? new AtLeastRule(field, condition.at_least) : new EqualsRule(field, condition.equals));
  }
  const peer = rule.peer ? new PeerRule(slot, slots.of('peers', key), rule.peer.distinct, rule.peer.reciprocal) : null;
  if (peer) gates.push(peer);
  if (rule.per_day) gates.push(new WindowRule(slot, 'per_day', rule.per_day, rule.noun));
  if (rule.per_week) gates.push(new WindowRule(slot, 'per_week', rule.per_week, rule.noun));

  const multipliers: Rule[] = [];
  const kind = rule.kind!;
  const kindFactor = p.kinds[kind]!;
  if (kindFactor !== 1) multipliers.push(new KindRule(kind, kindFactor));
  const roleFactor = rule.role === undefined ? undefined : p.roles[rule.role];
  if (roleFactor !== undefined && roleFactor !== 1) multipliers.push(new RoleRule(rule.role!, roleFactor));
  if (streak) multipliers.push(streak);

  return {
    slot,
    block: actionBlock(slot),
    points: rule.points,
    minutes: rule.minutes ?? 0,
    active: rule.active,
    baseStep: Object.freeze({ rule: 'base', value: rule.points }),
    gates,
    multipliers,
    peer,
  };
}

const clash = (field: string, reason: string): VkladError =>
  new VkladError('validation_failed', `The policy set is invalid: ${field}: ${reason}`, [{ field, reason }]);
