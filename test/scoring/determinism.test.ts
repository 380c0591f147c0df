import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDiffs, diffAwards, scoreMembers, totalsByMember, type Award, type PostedAward, type ScoringEvent } from '../../src/scoring/index.ts';
import { defaultPolicy, msk } from './given.ts';

const set = defaultPolicy();
const START = msk('2025-09-29T00:00:00');
const ACTIONS = ['forum.post.created', 'forum.like.received', 'forum.like.given', 'course.section.read', 'mentor.session.held', 'course.assignment.accepted', 'event.talk.given'];

/** A set of distinct events over three weeks among four members. */
const eventSet = fc
  .array(
    fc.record({
      member: fc.integer({ min: 1, max: 4 }),
      action: fc.constantFrom(...ACTIONS),
      minute: fc.integer({ min: 0, max: 21 * 24 * 60 }),
      words: fc.integer({ min: 0, max: 200 }),
      peer: fc.option(fc.integer({ min: 1, max: 4 })),
    }),
    { maxLength: 120 },
  )
  .map((rows) =>
    rows.map(
      (r, i): ScoringEvent => ({ id: i + 1, member: r.member, action: r.action, at: START + r.minute * 60_000, object: null, attributes: { words: r.words }, peer: r.peer }),
    ),
  );

/** The same set as delivered: shuffled, some events sent twice, some voided by a later copy. */
const delivery = eventSet.chain((events) =>
  fc
    .record({
      repeated: fc.subarray(events),
      voided: fc.subarray(events),
      seed: fc.integer(),
    })
    .map(({ repeated, voided, seed }) => {
      const sent = [...events, ...repeated, ...voided.map((e) => ({ ...e, voided: true }))];
      return { events, voided: new Set(voided.map((e) => e.id)), sent: shuffle(sent, seed) };
    }),
);

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const posted = (awards: readonly Award[]): Map<string, PostedAward> =>
  new Map(awards.filter((a) => a.points !== 0).map((a) => [a.key, { key: a.key, member: a.member, points: a.points }]));

describe('the result depends only on the set of events', () => {
  it('given shuffled delivery with duplicates and voids, then awards, achievements and totals equal those of the clean set', () => {
    fc.assert(
      fc.property(delivery, ({ events, voided, sent }) => {
        const clean = events.filter((e) => !voided.has(e.id));
        const expected = scoreMembers(set, clean);
        expect(scoreMembers(set, sent)).toEqual(expected);
        expect(totalsByMember(set, sent)).toEqual(totalsByMember(set, clean));
      }),
      { numRuns: 300 },
    );
  });

  it('given any order, then member totals equal the sum of their awards', () => {
    fc.assert(
      fc.property(delivery, ({ sent }) => {
        const sums = new Map<number, number>();
        for (const a of scoreMembers(set, sent).awards) sums.set(a.member, (sums.get(a.member) ?? 0) + a.points);
        const totals = totalsByMember(set, sent);
        for (const [member, sum] of sums) expect(totals.get(member)).toBe(sum);
      }),
      { numRuns: 100 },
    );
  });
});

describe('the differ', () => {
  it('given awards posted for part of the events, when all are scored, then applying the diffs gives exactly the new awards', () => {
    fc.assert(
      fc.property(eventSet, fc.integer({ min: 0, max: 120 }), (events, cut) => {
        const before = scoreMembers(set, events.slice(0, cut)).awards;
        const after = scoreMembers(set, events).awards;
        const diffs = diffAwards(posted(before).values(), after);
        expect(applyDiffs(posted(before).values(), diffs)).toEqual(posted(after));
        const deltas = diffs.reduce((sum, d) => sum + d.delta, 0);
        expect(deltas).toBe(after.reduce((s, a) => s + a.points, 0) - before.reduce((s, a) => s + a.points, 0));
      }),
      { numRuns: 200 },
    );
  });

  it('given arbitrary posted and new awards, then applying the diffs gives the new ones and nothing unchanged is posted', () => {
    const row = fc.record({ key: fc.constantFrom('1', '2', '3', '4', 'goal:1:2025-09-01', 'badge:x:1:1'), member: fc.integer({ min: 1, max: 3 }), points: fc.integer({ min: 0, max: 9 }) });
    fc.assert(
      fc.property(fc.uniqueArray(row, { selector: (r) => r.key }), fc.uniqueArray(row, { selector: (r) => r.key }), (old, fresh) => {
        const next = fresh.map((r): Award => ({ ...r, event_id: null, at: 0, policy_version: 'p', pending_until: 0, trail: [] }));
        const diffs = diffAwards(old, next);
        const expected = new Map(fresh.filter((r) => r.points !== 0).map((r) => [r.key, r]));
        expect(applyDiffs(old, diffs)).toEqual(expected);
        const unchanged = old.filter((o) => o.points !== 0 && expected.get(o.key)?.points === o.points && expected.get(o.key)?.member === o.member);
        for (const u of unchanged) expect(diffs.some((d) => d.key === u.key)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('given one changed award, one new and one gone, then exactly three diffs with their deltas', () => {
    const award = (key: string, points: number): Award => ({ key, member: 1, event_id: null, points, at: 0, policy_version: 'p', pending_until: 0, trail: [] });
    const diffs = diffAwards(
      [
        { key: 'a', member: 1, points: 5 },
        { key: 'b', member: 1, points: 3 },
        { key: 'c', member: 1, points: 2 },
      ],
      [award('a', 5), award('b', 4), award('d', 7), award('e', 0)],
    );
    expect(diffs.map((d) => [d.change, d.key, d.delta])).toEqual([
      ['changed', 'b', 1],
      ['new', 'd', 7],
      ['withdrawn', 'c', -2],
    ]);
  });

  it('given an event that moved to another member, then it is withdrawn from one and given to the other', () => {
    const moved: Award = { key: '9', member: 2, event_id: 9, points: 5, at: 0, policy_version: 'p', pending_until: 0, trail: [] };
    expect(diffAwards([{ key: '9', member: 1, points: 5 }], [moved]).map((d) => [d.change, d.member, d.delta])).toEqual([
      ['withdrawn', 1, -5],
      ['new', 2, 5],
    ]);
  });
});

describe('late events', () => {
  it('given a late post that lands before others of its day, when rescored, then only the affected awards differ', () => {
    const day = msk('2025-10-01T09:00:00');
    const posts = [0, 1, 2, 3].map((i): ScoringEvent => ({ id: 10 + i, member: 1, action: 'forum.post.created', at: day + i * 3_600_000, object: null, attributes: { words: 80 } }));
    const late: ScoringEvent = { id: 99, member: 1, action: 'forum.post.created', at: day - 60_000, object: null, attributes: { words: 80 } };
    const other: ScoringEvent = { id: 50, member: 2, action: 'forum.post.created', at: day, object: null, attributes: { words: 80 } };
    const before = scoreMembers(set, [...posts, other]).awards;
    const diffs = diffAwards(posted(before).values(), scoreMembers(set, [late, ...posts, other]).awards);
    expect(diffs.map((d) => [d.change, d.key, d.points])).toEqual([
      ['new', '99', 9],
      ['changed', '12', 5],
      ['changed', '13', 2],
    ]);
  });
});
