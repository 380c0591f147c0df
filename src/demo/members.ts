import { CITIES, numericId, personName, username } from './names.ts';
import type { Rng } from './random.ts';
import type { DemoMember, Persona } from './types.ts';

/** How a member behaves; the generator's private counterpart of a DemoMember, same index. */
export interface Profile {
  persona: Persona;
  forum: string | null;
  course: string | null;
  telegram: string | null;
  /** Around on day indices [from, to): some join during the window, some drop out. */
  from: number;
  to: number;
  /** Scales the daily chance of showing up; for lurkers it is the chance itself. */
  intensity: number;
  /** Usual start of a session, Moscow hours. */
  hour: number;
  city: string;
  /** The ambassador who brought a member who joined during the window, or -1. */
  referrer: number;
}

/** Persona sizes, scaled from the ~500-a-week community the defaults describe. */
export function personaCounts(members: number, activeWeekly: number): Record<Persona, number> {
  const s = activeWeekly / 500;
  const counts: Record<Persona, number> = {
    daily_learner: Math.round(120 * s),
    weekend_crammer: Math.round(80 * s),
    forum_writer: Math.round(50 * s),
    course_author: Math.max(2, Math.round(15 * s)),
    mentor: Math.max(2, Math.round(30 * s)),
    ambassador: Math.max(1, Math.round(20 * s)),
    occasional: Math.round(380 * s),
    lurker: 0,
  };
  const core = Object.values(counts).reduce((a, b) => a + b, 0);
  if (core > members) throw new RangeError(`${members} members cannot hold an active core of ${core}; raise members or lower activeWeekly`);
  counts.lurker = members - core;
  return counts;
}

// Chance of having each identity: everyone active learns on the platform; the forum and Telegram are optional.
const IDENTITY_CHANCE: Record<Persona, { forum: number; course: number; telegram: number }> = {
  daily_learner: { forum: 0.55, course: 1, telegram: 0.45 },
  weekend_crammer: { forum: 0.35, course: 1, telegram: 0.35 },
  forum_writer: { forum: 1, course: 1, telegram: 0.5 },
  course_author: { forum: 1, course: 1, telegram: 0.6 },
  mentor: { forum: 1, course: 1, telegram: 0.7 },
  ambassador: { forum: 0.7, course: 1, telegram: 1 },
  occasional: { forum: 0.4, course: 0.95, telegram: 0.4 },
  lurker: { forum: 0.2, course: 0.9, telegram: 0.25 },
};

const ROLE_WORK: Persona[] = ['course_author', 'mentor', 'ambassador'];

export function buildMembers(rng: Rng, members: number, activeWeekly: number, days: number): { members: DemoMember[]; profiles: Profile[] } {
  const counts = personaCounts(members, activeWeekly);
  const personas = rng.shuffle((Object.keys(counts) as Persona[]).flatMap((p) => Array<Persona>(counts[p]).fill(p)));
  const taken = { forum: new Set<string>(), course: new Set<string>(), telegram: new Set<string>() };
  const demo: DemoMember[] = [];
  const profiles: Profile[] = [];
  for (const persona of personas) {
    const name = personName(rng);
    const chance = IDENTITY_CHANCE[persona];
    const forum = rng.chance(chance.forum) ? username(rng, name, taken.forum) : null;
    let course = rng.chance(chance.course) ? numericId(rng, 100_000, 9_999_999, taken.course) : null;
    const telegram = rng.chance(chance.telegram) ? numericId(rng, 100_000_000, 7_999_999_999, taken.telegram) : null;
    if (!forum && !course && !telegram) course = numericId(rng, 100_000, 9_999_999, taken.course);
    const identities = [
      ...(forum ? [{ provider: 'forum', external_id: forum }] : []),
      ...(course ? [{ provider: 'course', external_id: course }] : []),
      ...(telegram ? [{ provider: 'telegram', external_id: telegram }] : []),
    ];
    demo.push({ persona, display_name: name.display, roles: rolesOf(rng, persona), identities });
    profiles.push({ persona, forum, course, telegram, ...lifetime(rng, persona, days), ...rhythm(rng, persona, days), city: rng.pick(CITIES), referrer: -1 });
  }
  assignOperators(rng, demo);
  assignReferrers(rng, profiles);
  return { members: demo, profiles };
}

function rolesOf(rng: Rng, persona: Persona): string[] {
  if (persona === 'course_author') return rng.chance(0.4) ? ['student', 'author', 'teacher'] : ['student', 'author'];
  if (persona === 'mentor') return rng.chance(0.2) ? ['student', 'mentor', 'teacher'] : ['student', 'mentor'];
  if (persona === 'ambassador') return ['student', 'ambassador'];
  return ['student'];
}

function lifetime(rng: Rng, persona: Persona, days: number): { from: number; to: number } {
  const staff = ROLE_WORK.includes(persona);
  const from = rng.chance(persona === 'lurker' ? 0.15 : staff ? 0.05 : 0.2) ? rng.int(0, Math.floor(days * 0.85)) : -1;
  const leaves = persona !== 'lurker' && rng.chance(staff ? 0.05 : 0.15);
  const to = leaves ? rng.int(Math.max(from, 0) + 14, days + 13) : Number.POSITIVE_INFINITY;
  return { from, to };
}

function rhythm(rng: Rng, persona: Persona, days: number): { intensity: number; hour: number } {
  switch (persona) {
    case 'daily_learner': {
      // Most study after work; a few before it.
      const hour = rng.chance(0.2) ? rng.normal(6.8, 0.4) : rng.normal(20.3, 0.9);
      return { intensity: rng.float(0.75, 1.15), hour: clamp(hour, 5.5, 22.8) };
    }
    case 'weekend_crammer':
      return { intensity: rng.float(0.7, 1.1), hour: rng.float(9.5, 15) };
    case 'lurker': {
      // Most never do anything; the rest read a handful of sections over the year.
      const sessions = rng.chance(0.73) ? 0 : rng.pick([1, 1, 1, 2, 2, 3, 4]);
      return { intensity: sessions / days, hour: rng.float(11, 23) };
    }
    case 'occasional':
      return { intensity: rng.float(0.7, 1.2), hour: clamp(rng.normal(20, 1.5), 8, 23) };
    default:
      return { intensity: rng.float(0.8, 1.15), hour: rng.float(9, 20) };
  }
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

function assignOperators(rng: Rng, members: DemoMember[]): void {
  const candidates = members.filter((m) => m.persona === 'occasional' || m.persona === 'daily_learner' || m.persona === 'mentor');
  const operators = rng.int(2, 3);
  for (let i = 0; i < operators && candidates.length > 0; i++) {
    const [chosen] = candidates.splice(rng.int(0, candidates.length - 1), 1);
    chosen!.roles.push('operator');
  }
}

/** Some members who join during the window were brought by an ambassador who was already around. */
function assignReferrers(rng: Rng, profiles: Profile[]): void {
  const ambassadors = profiles.flatMap((p, i) => (p.persona === 'ambassador' && p.course ? [i] : []));
  for (const profile of profiles) {
    if (profile.from < 0 || profile.persona === 'ambassador' || !rng.chance(0.3)) continue;
    const eligible = ambassadors.filter((a) => profiles[a]!.from <= profile.from && profiles[a]!.to > profile.from);
    if (eligible.length > 0) profile.referrer = rng.pick(eligible);
  }
}
