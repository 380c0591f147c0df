import { describe, expect, it } from 'vitest';
import { scoreMembers, type ScoringEvent } from '../../src/scoring/index.ts';
import { DAY_MS, defaultPolicy, event, msk } from './given.ts';

const set = defaultPolicy();
const HOUR_MS = 3_600_000;

const sum = (events: ScoringEvent[], member: number): number =>
  scoreMembers(set, events).awards.filter((a) => a.member === member).reduce((s, a) => s + a.points, 0);

describe('farming does not pay under the default policy', () => {
  it('50 posts of 60 words in one day earn at most 40% of the same 50 posts two a day over 25 days (36 against 578 points)', () => {
    const start = msk('2025-10-01T09:00:00');
    const post = (at: number) => event(1, 'forum.post.created', at, { attributes: { words: 60 } });
    const burst = Array.from({ length: 50 }, (_, i) => post(start + i * 5 * 60_000));
    const steady = Array.from({ length: 50 }, (_, i) => post(start + Math.floor(i / 2) * DAY_MS + (i % 2) * 6 * HOUR_MS));
    const inOneDay = sum(burst, 1);
    const overTime = sum(steady, 1);
    expect(inOneDay).toBeLessThanOrEqual(0.4 * overTime);
    expect([inOneDay, overTime]).toEqual([36, 578]);
  });

  it('three accounts liking every post of each other (3 posts a day each, four weeks) gain at most 14 points a week each from likes', () => {
    const monday = msk('2025-10-06T09:00:00');
    const events: ScoringEvent[] = [];
    const likeIds = new Set<number>();
    for (let day = 0; day < 28; day++) {
      for (let k = 0; k < 3; k++) {
        for (const author of [1, 2, 3]) {
          const at = monday + day * DAY_MS + k * HOUR_MS + author * 60_000;
          events.push(event(author, 'forum.post.created', at, { attributes: { words: 80 } }));
          for (const giver of [1, 2, 3].filter((m) => m !== author)) {
            const given = event(giver, 'forum.like.given', at + 600_000, { peer: author });
            const received = event(author, 'forum.like.received', at + 600_000, { peer: giver });
            events.push(given, received);
            likeIds.add(given.id).add(received.id);
          }
        }
      }
    }
    const fromLikes = new Map<string, number>();
    for (const a of scoreMembers(set, events).awards) {
      if (a.event_id === null || !likeIds.has(a.event_id)) continue;
      const key = `${a.member}:${Math.floor((a.at - monday) / (7 * DAY_MS))}`;
      fromLikes.set(key, (fromLikes.get(key) ?? 0) + a.points);
    }
    for (const member of [1, 2, 3]) {
      for (let week = 0; week < 4; week++) expect(fromLikes.get(`${member}:${week}`) ?? 0).toBeLessThanOrEqual(14);
    }
    // Honest writing is what pays: their posts alone earn far more than the likes add.
    const posts = events.filter((e) => !likeIds.has(e.id));
    expect(sum(events, 1) - sum(posts, 1)).toBeLessThanOrEqual(0.05 * sum(posts, 1));
  });

  it('self-likes and likes from the post\'s author earn nothing (0 points for both sides)', () => {
    const at = msk('2025-10-01T10:00:00');
    const likes = [
      event(7, 'forum.like.received', at, { peer: 7 }),
      event(7, 'forum.like.given', at, { peer: 7 }),
      ...Array.from({ length: 10 }, (_, i) => event(7, 'forum.like.received', at + (i + 1) * DAY_MS, { peer: 7 })),
    ];
    const { awards } = scoreMembers(set, likes);
    expect(awards).toHaveLength(12);
    expect(awards.every((a) => a.points === 0 && a.trail.some((s) => s.rule === 'peer' && s.reason === 'self'))).toBe(true);
  });

  it('a like from another member does earn, so the rule above is not vacuous (1 point x contribution 1.5 = 2)', () => {
    const at = msk('2025-10-01T10:00:00');
    expect(scoreMembers(set, [event(7, 'forum.like.received', at, { peer: 8 })]).awards[0]!.points).toBe(2);
  });
});
