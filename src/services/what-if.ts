import type { Database, Queryable } from '../db/database.ts';
import { type Policy, policySet, scoreMembers } from '../scoring/index.ts';
import { rolesOf } from '../store/members.ts';
import { currentPolicies, parseWithCatalogue } from '../store/policies.ts';
import { memberEvents, signalsTo } from '../store/scoring-events.ts';

export interface Gain {
  member: number;
  current: number;
  candidate: number;
  difference: number;
}

export interface Share {
  current: number;
  candidate: number;
}

export interface WhatIfReport {
  candidate: { version: string; effective_from: string };
  members: number;
  events: number;
  total: Share;
  gainers: Gain[];
  losers: Gain[];
  by_action: Record<string, Share>;
  by_kind: Record<string, Share>;
  by_role: Record<string, Share>;
}

/**
 * Replays the whole history under the policies as they are and as they would be with the candidate
 * adopted (in place of a version of the same name or date), and reports who and what gains or loses. Writes
 * nothing; peer signals are taken as the last scoring pass resolved them.
 */
export async function whatIf(db: Database, candidateText: string, options: { top?: number; chunk?: number } = {}): Promise<WhatIfReport> {
  const candidate = await parseWithCatalogue(db, candidateText);
  const current = await currentPolicies(db);
  const adopted = [...current.policies.filter((p) => p.version !== candidate.version && p.effective_from !== candidate.effective_from), candidate];
  const sets = { current: current.set, candidate: policySet(adopted) };
  const damped = new Set([...sets.current.damped, ...sets.candidate.damped]);
  const byVersion = (policies: Policy[]) => new Map(policies.map((p) => [p.version, p]));
  const versions = { current: byVersion(current.policies), candidate: byVersion(adopted) };

  const totals = new Map<number, Share>();
  const report: WhatIfReport = {
    candidate: { version: candidate.version, effective_from: candidate.effective_from },
    members: 0,
    events: 0,
    total: { current: 0, candidate: 0 },
    gainers: [],
    losers: [],
    by_action: {},
    by_kind: {},
    by_role: {},
  };
  const add = (table: Record<string, Share>, key: string, side: keyof Share, points: number) => {
    (table[key] ??= { current: 0, candidate: 0 })[side] += points;
  };

  const members = await everyMember(db);
  const chunk = options.chunk ?? 1000;
  for (let start = 0; start < members.length; start += chunk) {
    const scope = members.slice(start, start + chunk);
    const inScope = new Set(scope);
    const events = (await memberEvents(db, scope)).concat(await signalsTo(db, scope, damped));
    const actionOf = new Map(events.map((e) => [e.id, e.action]));
    const roles = await rolesOf(db, scope);
    report.events += events.filter((e) => inScope.has(e.member)).length;
    for (const side of ['current', 'candidate'] as const) {
      for (const award of scoreMembers(sets[side], events, { rolesOf: (m) => roles.get(m) ?? [] }).awards) {
        if (!inScope.has(award.member) || award.points === 0) continue;
        const share = totals.get(award.member) ?? { current: 0, candidate: 0 };
        share[side] += award.points;
        totals.set(award.member, share);
        report.total[side] += award.points;
        // Goal and badge bonuses are reported as such; an action's kind and role are as its policy says.
        const action = award.event_id === null ? award.key.split(':')[0]! : actionOf.get(award.event_id)!;
        const rule = versions[side].get(award.policy_version)!.actions[action];
        add(report.by_action, action, side, award.points);
        add(report.by_kind, rule?.kind ?? 'bonus', side, award.points);
        add(report.by_role, rule?.role ?? 'bonus', side, award.points);
      }
    }
  }
  const gains = [...totals].map(([member, s]) => ({ member, ...s, difference: s.candidate - s.current }));
  const top = options.top ?? 10;
  report.members = gains.length;
  report.gainers = gains.filter((g) => g.difference > 0).sort((a, b) => b.difference - a.difference || a.member - b.member).slice(0, top);
  report.losers = gains.filter((g) => g.difference < 0).sort((a, b) => a.difference - b.difference || a.member - b.member).slice(0, top);
  return report;
}

async function everyMember(db: Queryable): Promise<number[]> {
  const rows = await db.query<{ member_id: number }>('select distinct member_id from events where member_id is not null order by member_id');
  return rows.map((r) => r.member_id);
}

