import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../src/catalogue/default-catalogue.ts';
import type { EventInput } from '../../src/core/event.ts';
import { type DemoCommunity, type DemoOptions, type Persona, generateCommunity } from '../../src/demo/community.ts';
import { checkEvent } from '../../src/schemas/check-event.ts';

const END = new Date('2026-11-21T00:00:00+03:00');
const DAY_MS = 86_400_000;
/** Big enough for every persona and kind of event, small enough to validate every event quickly. */
const SMALL: DemoOptions = { seed: 7, end: END, members: 3000, days: 56, activeWeekly: 150 };

const SOURCE_OF: Record<string, string> = Object.fromEntries(
  DEFAULT_CATALOGUE.map((a) => [
    a.key,
    a.key.startsWith('forum.') ? 'forum'
    : a.key.startsWith('telegram.') ? 'telegram'
    : a.key.startsWith('event.') || a.key === 'ambassador.meetup.hosted' || a.key === 'mentor.session.held' ? 'events'
    : 'course',
  ]),
);

const all = (community: DemoCommunity, batchSize = 5000): EventInput[] => [...community.events(batchSize)].flat();
const identity = (e: EventInput): string => {
  const actor = e.actor as { provider: string; external_id: string };
  return `${actor.provider}:${actor.external_id}`;
};

function firstBatches(community: DemoCommunity, count: number, size: number): EventInput[][] {
  const out: EventInput[][] = [];
  for (const batch of community.events(size)) {
    out.push(batch);
    if (out.length === count) break;
  }
  return out;
}

function owners(community: DemoCommunity): Map<string, number> {
  const map = new Map<string, number>();
  community.members.forEach((m, i) => m.identities.forEach((id) => map.set(`${id.provider}:${id.external_id}`, i)));
  return map;
}

/** Monday of the ISO week of the event's Moscow local date. */
function isoWeek(occurredAt: string): string {
  const date = new Date(`${occurredAt.slice(0, 10)}T00:00:00Z`);
  const weekday = date.getUTCDay() || 7;
  return new Date(date.getTime() - (weekday - 1) * DAY_MS).toISOString().slice(0, 10);
}

/** Checks that need the whole stream but little memory; returns what it counted. */
function checkStream(community: DemoCommunity, options: DemoOptions, batchSize: number) {
  const owner = owners(community);
  const start = options.end.getTime() - (options.days ?? 365) * DAY_MS;
  const seen = new Set<string>();
  const weeks = new Map<string, Set<number>>();
  const problems: string[] = [];
  let total = 0;
  let last = -Infinity;
  for (const batch of community.events(batchSize)) {
    if (batch.length === 0 || batch.length > batchSize) problems.push(`batch of ${batch.length}`);
    for (const e of batch) {
      total += 1;
      const at = Date.parse(e.occurred_at);
      if (at < last) problems.push(`${e.source_event_id} goes back in time`);
      last = at;
      if (at < start || at >= options.end.getTime()) problems.push(`${e.source_event_id} at ${e.occurred_at} is outside the window`);
      if (!e.occurred_at.endsWith('+03:00')) problems.push(`${e.occurred_at} is not Moscow time`);
      const key = `${e.source}\u0000${e.source_event_id}`;
      if (seen.has(key)) problems.push(`${e.source}/${e.source_event_id} repeats`);
      seen.add(key);
      if (SOURCE_OF[e.action] !== e.source) problems.push(`${e.action} from ${e.source}`);
      const member = owner.get(identity(e));
      if (member === undefined) problems.push(`${identity(e)} belongs to nobody`);
      else {
        const week = isoWeek(e.occurred_at);
        let actors = weeks.get(week);
        if (!actors) weeks.set(week, (actors = new Set()));
        actors.add(member);
      }
      if (e.action === 'forum.like.received' && `forum:${String(e.attributes?.giver)}` === identity(e)) problems.push(`self-like ${e.source_event_id}`);
      if (problems.length > 20) throw new Error(problems.join('\n'));
    }
  }
  return { total, weeks, problems };
}

describe('generateCommunity: determinism', () => {
  it('gives identical members, content and events for the same seed', () => {
    const a = generateCommunity(SMALL);
    const b = generateCommunity(SMALL);
    expect(b.members).toEqual(a.members);
    expect(b.content).toEqual(a.content);
    expect(firstBatches(b, 3, 1000)).toEqual(firstBatches(a, 3, 1000));
    const totalA = all(a).length;
    expect(all(b).length).toBe(totalA);
    // Replaying the same community starts history over rather than continuing it.
    expect(all(a).length).toBe(totalA);
  });

  it('gives a different community for a different seed', () => {
    const a = generateCommunity(SMALL);
    const b = generateCommunity({ ...SMALL, seed: SMALL.seed + 1 });
    expect(b.members.map((m) => m.display_name)).not.toEqual(a.members.map((m) => m.display_name));
    expect(firstBatches(b, 1, 1000)).not.toEqual(firstBatches(a, 1, 1000));
  });

  it('rejects options it cannot honour', () => {
    expect(() => generateCommunity({ ...SMALL, days: 0 })).toThrow(RangeError);
    expect(() => generateCommunity({ ...SMALL, members: 100 })).toThrow(RangeError);
    expect(() => generateCommunity({ ...SMALL, end: new Date('nope') })).toThrow(RangeError);
    expect(() => generateCommunity(SMALL).events(0)).toThrow(RangeError);
  });
});

describe('generateCommunity: members and content', () => {
  let community: DemoCommunity;
  beforeAll(() => {
    community = generateCommunity({ seed: 1, end: END });
  });

  it('has 12,000 members: a small active core of every persona and a majority of lurkers', () => {
    expect(community.members).toHaveLength(12_000);
    const count = (persona: Persona) => community.members.filter((m) => m.persona === persona).length;
    expect(count('course_author')).toBe(15);
    expect(count('mentor')).toBe(30);
    expect(count('ambassador')).toBe(20);
    expect(count('daily_learner')).toBeGreaterThanOrEqual(80);
    expect(count('weekend_crammer')).toBeGreaterThanOrEqual(50);
    expect(count('forum_writer')).toBeGreaterThanOrEqual(30);
    expect(count('occasional')).toBeGreaterThanOrEqual(200);
    expect(count('lurker') / 12_000).toBeGreaterThan(0.9);
  });

  it('gives everyone the student role, and role work its role', () => {
    const roleOf: Partial<Record<Persona, string>> = { course_author: 'author', mentor: 'mentor', ambassador: 'ambassador' };
    for (const m of community.members) {
      expect(m.roles).toContain('student');
      expect(new Set(m.roles).size).toBe(m.roles.length);
      const role = roleOf[m.persona];
      if (role) expect(m.roles).toContain(role);
      expect(m.display_name.trim()).toMatch(/^\S+ \S+$/);
    }
    const operators = community.members.filter((m) => m.roles.includes('operator')).length;
    expect(operators).toBeGreaterThanOrEqual(2);
    expect(operators).toBeLessThanOrEqual(3);
  });

  it('gives every member at least one identity, and no identity to two members', () => {
    const seen = new Set<string>();
    for (const m of community.members) {
      expect(m.identities.length).toBeGreaterThan(0);
      expect(new Set(m.identities.map((i) => i.provider)).size).toBe(m.identities.length);
      for (const { provider, external_id } of m.identities) {
        expect(['forum', 'course', 'telegram']).toContain(provider);
        if (provider !== 'forum') expect(external_id).toMatch(/^\d+$/);
        const key = `${provider}:${external_id}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }
    // Not everyone is everywhere.
    expect(community.members.filter((m) => m.identities.length === 3).length).toBeLessThan(community.members.length / 2);
  });

  it('lists about a dozen courses of 8-25 sections, parents first, written by course authors', () => {
    const position = new Map(community.content.map((c, i) => [c.id, i]));
    const courses = community.content.filter((c) => c.kind === 'course');
    expect(courses.length).toBe(12);
    expect(position.size).toBe(community.content.length);
    for (const [i, item] of community.content.entries()) {
      if (item.kind === 'course') {
        expect(item.id).toMatch(/^course:[a-z-]+$/);
        expect(item.parent_id).toBeNull();
      } else {
        expect(item.id).toMatch(/^section:[a-z-]+\/\d{2}$/);
        expect(position.get(item.parent_id!)).toBeLessThan(i);
      }
      expect(item.authors.length).toBeGreaterThan(0);
      for (const author of item.authors) {
        expect(community.members[author.member]?.persona).toBe('course_author');
        expect(Number.isInteger(author.share) && author.share > 0).toBe(true);
      }
    }
    for (const course of courses) {
      const sections = community.content.filter((c) => c.parent_id === course.id).length;
      expect(sections).toBeGreaterThanOrEqual(8);
      expect(sections).toBeLessThanOrEqual(25);
    }
    expect(community.content.some((c) => c.authors.length === 2)).toBe(true);
  });
});

describe('generateCommunity: events over a short window', () => {
  let community: DemoCommunity;
  let events: EventInput[];
  beforeAll(() => {
    community = generateCommunity(SMALL);
    events = all(community, 777);
  });

  it('are all valid ingest input, with catalogue keys only', () => {
    const keys = new Set(DEFAULT_CATALOGUE.map((a) => a.key));
    const invalid = events.filter((e) => !checkEvent(JSON.parse(JSON.stringify(e)), SMALL.end).ok);
    expect(invalid.slice(0, 3)).toEqual([]);
    expect(events.filter((e) => !keys.has(e.action))).toEqual([]);
    // Every kind of action happens, even in eight weeks of a small community.
    expect(new Set(events.map((e) => e.action))).toEqual(keys);
  });

  it('are chronological, in the window, uniquely identified and done by members through the right identity', () => {
    const { total, problems } = checkStream(community, SMALL, 777);
    expect(problems).toEqual([]);
    expect(total).toBe(events.length);
  });

  it('stay inside a window that starts and ends mid-day', () => {
    const options: DemoOptions = { ...SMALL, end: new Date('2026-06-10T15:30:00+03:00'), days: 10 };
    const { total, problems } = checkStream(generateCommunity(options), options, 500);
    expect(problems).toEqual([]);
    expect(total).toBeGreaterThan(1000);
  });

  it('pair every like given with the like received by the post author, never on one own post', () => {
    const given = new Map(events.filter((e) => e.action === 'forum.like.given').map((e) => [e.source_event_id, e]));
    const received = events.filter((e) => e.action === 'forum.like.received');
    expect(received.length).toBe(given.size);
    expect(given.size).toBeGreaterThan(100);
    for (const r of received) {
      const g = given.get(r.source_event_id.replace(/-received$/, ''))!;
      expect(g).toBeDefined();
      expect(r.object).toBe(g.object);
      expect(r.occurred_at).toBe(g.occurred_at);
      expect(`forum:${String(r.attributes?.giver)}`).toBe(identity(g));
      expect(identity(r)).not.toBe(identity(g));
    }
  });

  it('review and accept assignments a few days after their submission, by a mentor', () => {
    const owner = owners(community);
    const submissions = new Map(events.filter((e) => e.action === 'course.assignment.submitted').map((e) => [e.source_event_id, e]));
    const followUps = events.filter((e) => e.action === 'course.assignment.accepted' || e.action === 'mentor.review.done');
    expect(followUps.length).toBeGreaterThan(100);
    for (const e of followUps) {
      const submission = submissions.get(String(e.attributes?.submission))!;
      expect(submission, e.source_event_id).toBeDefined();
      expect(e.object).toBe(submission.object);
      const delay = Date.parse(e.occurred_at) - Date.parse(submission.occurred_at);
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThan(5 * DAY_MS);
      if (e.action === 'course.assignment.accepted') expect(identity(e)).toBe(identity(submission));
      else expect(community.members[owner.get(identity(e))!]!.persona).toBe('mentor');
    }
  });

  it('write forum posts of varied length, some of them short', () => {
    const words = events.filter((e) => e.action === 'forum.post.created').map((e) => e.attributes?.words as number);
    expect(words.every((w) => Number.isInteger(w) && w > 0)).toBe(true);
    expect(words.filter((w) => w < 50).length / words.length).toBeGreaterThan(0.05);
    expect(words.filter((w) => w > 300).length).toBeGreaterThan(0);
  });
});

describe('generateCommunity: the default year', () => {
  const options: DemoOptions = { seed: 1, end: END };
  let stream: ReturnType<typeof checkStream>;
  let millis: number;
  beforeAll(() => {
    const started = performance.now();
    const community = generateCommunity(options);
    let count = 0;
    for (const batch of community.events(1000)) count += batch.length;
    millis = performance.now() - started;
    stream = checkStream(community, options, 1000);
    expect(stream.total).toBe(count);
  });

  it('has between 300,000 and 700,000 events, generated in seconds', () => {
    expect(stream.problems).toEqual([]);
    expect(stream.total).toBeGreaterThan(300_000);
    expect(stream.total).toBeLessThan(700_000);
    expect(millis).toBeLessThan(15_000);
  });

  it('has about 500 members active in a typical week, fewer over the New Year', () => {
    const start = END.getTime() - 365 * DAY_MS;
    // Only whole weeks inside the window.
    const whole = [...stream.weeks].filter(([monday]) => Date.parse(`${monday}T00:00:00+03:00`) >= start && Date.parse(`${monday}T00:00:00+03:00`) + 7 * DAY_MS <= END.getTime());
    expect(whole.length).toBeGreaterThanOrEqual(50);
    const sizes = whole.map(([, actors]) => actors.size);
    const average = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(average).toBeGreaterThan(400);
    expect(average).toBeLessThan(600);
    const newYear = stream.weeks.get('2025-12-29')!.size;
    expect(newYear).toBeLessThan(average * 0.9);
  });
});
