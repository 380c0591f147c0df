import type { Queryable } from '../../db/database.ts';
import type { Policy } from '../../scoring/index.ts';
import { TimeZone } from '../../scoring/time-zone.ts';
import { currentPolicies } from '../../store/policies.ts';

export type Title = { en: string; ru: string };

/** What pages need of the scoring policy in force and of the catalogue. */
export interface PolicyFacts {
  policy: Policy | null;
  zone: TimeZone;
  goalMinutes: number;
  actionTitles: Map<string, Title>;
}

let cached: { fingerprint: string; facts: PolicyFacts; version: (at: number) => Policy | null } | null = null;

/**
 * Policies and the catalogue change rarely; parsing them on every page would not be rare. They are
 * parsed again only when a cheap fingerprint (adoptions, catalogue edits) changes.
 */
export async function policyFacts(db: Queryable, now: number): Promise<PolicyFacts> {
  const [print] = await db.query<{ fingerprint: string }>(
    `select concat((select count(*) from policies), '|', (select max(adopted_at) from policies), '|',
       (select count(*) from action_types), '|', (select max(updated_at) from action_types)) as fingerprint`,
  );
  if (!cached || cached.fingerprint !== print!.fingerprint) {
    const { policies } = await currentPolicies(db);
    const titles = await db.query<{ key: string; title_en: string; title_ru: string }>('select key, title_en, title_ru from action_types');
    const actionTitles = new Map(titles.map((r) => [r.key, { en: r.title_en, ru: r.title_ru }]));
    const starts = policies.map((p) => zoneOf(p.timezone).midnight(p.effective_from));
    const version = (at: number): Policy | null => policies.filter((_, i) => starts[i]! <= at).at(-1) ?? policies[0] ?? null;
    cached = { fingerprint: print!.fingerprint, facts: { policy: null, zone: new TimeZone('Europe/Moscow'), goalMinutes: 600, actionTitles }, version };
  }
  const policy = cached.version(now);
  return {
    ...cached.facts,
    policy,
    zone: policy ? zoneOf(policy.timezone) : cached.facts.zone,
    goalMinutes: policy?.weekly_goal?.minutes ?? 600,
  };
}

const zones = new Map<string, TimeZone>();
function zoneOf(name: string): TimeZone {
  let zone = zones.get(name);
  if (!zone) zones.set(name, (zone = new TimeZone(name)));
  return zone;
}
