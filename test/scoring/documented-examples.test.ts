import { describe, expect, it } from 'vitest';
import { renderTrail, scoreMembers, type Award, type ScoringEvent } from '../../src/scoring/index.ts';
import { defaultPolicy, event, msk } from './given.ts';

/** The worked examples of docs/scoring-policy.md, under policies/default.yaml. */
const set = defaultPolicy();
const say = (a: Award, language: 'en' | 'ru' = 'en') => renderTrail(a.trail, a.points, language);
const sum = (awards: Award[]) => awards.reduce((s, a) => s + a.points, 0);

describe('docs/scoring-policy.md', () => {
  it('the trail of the introduction, in English and in Russian', () => {
    const { awards } = scoreMembers(set, olga());
    const last = awards.at(-1)!;
    expect(say(last)).toBe('base 6, 4th post today x0.5, contribution x1.5, streak 9 days x1.16 = 5');
    expect(say(last, 'ru')).toBe('база 6, 4-й пост за день x0.5, вклад x1.5, серия 9 дней x1.16 = 5');
  });

  it('1. Olga writes on the forum: posts 10, 0, 10, 10, 5; streak-7 badge +20 on 8 September; 73 points', () => {
    const { awards, achievements } = scoreMembers(set, olga());
    const posts = awards.filter((a) => a.at >= msk('2025-09-10T10:00:00'));
    expect(posts.map((a) => say(a))).toEqual([
      'base 6, contribution x1.5, streak 9 days x1.16 = 10',
      'base 6, words 30 below 50 x0 = 0',
      'base 6, contribution x1.5, streak 9 days x1.16 = 10',
      'base 6, contribution x1.5, streak 9 days x1.16 = 10',
      'base 6, 4th post today x0.5, contribution x1.5, streak 9 days x1.16 = 5',
    ]);
    expect(achievements).toEqual([{ member: 1, badge: 'streak-7', at: msk('2025-09-08T08:00:00'), n: 1 }]);
    expect(awards.find((a) => a.key === 'badge:streak-7:1:1')?.points).toBe(20);
    expect(sum(awards)).toBe(73);
  });

  it("2. Ivan's likes: 2, then 0 again from Anna, 0 for the returned pair with Boris, 0 from himself", () => {
    const likes: ScoringEvent[] = [
      event(2, 'forum.like.received', msk('2025-09-10T10:00:00'), { peer: 3 }),
      event(2, 'forum.like.received', msk('2025-09-10T10:05:00'), { peer: 3 }),
      event(2, 'forum.like.received', msk('2025-09-10T11:00:00'), { peer: 4 }),
      event(2, 'forum.like.received', msk('2025-09-10T12:00:00'), { peer: 2 }),
      event(4, 'forum.like.received', msk('2025-09-12T18:00:00'), { peer: 2 }),
    ];
    expect(scoreMembers(set, likes).awards.map((a) => say(a))).toEqual([
      'base 1, contribution x1.5 = 2',
      'base 1, again from the same member x0 = 0',
      'base 1, returned the same week x0.25, contribution x1.5 = 0',
      'base 1, from oneself x0 = 0',
      'base 1, returned the same week x0.25, contribution x1.5 = 0',
    ]);
  });

  it('3. Ten hours a week: the 40th read brings the bonus of 50; 130 points for the week', () => {
    const reads: ScoringEvent[] = [];
    for (let day = 15; day <= 18; day++) {
      for (let k = 0; k < 10; k++) reads.push(event(5, 'course.section.read', msk(`2025-09-${day}T${String(9 + k).padStart(2, '0')}:00:00`)));
    }
    const { awards } = scoreMembers(set, reads);
    const bonus = awards.filter((a) => a.event_id === null);
    expect(bonus.map((a) => [a.key, say(a)])).toEqual([['goal:5:2025-09-15', 'weekly goal 600 min met (600 min, week of 2025-09-15), bonus 50 = 50']]);
    expect(bonus[0]!.at).toBe(reads[39]!.at);
    expect(awards.filter((a) => a.event_id !== null).every((a) => a.points === 2)).toBe(true);
    expect(sum(awards)).toBe(130);
  });
});

function olga(): ScoringEvent[] {
  const events: ScoringEvent[] = [];
  for (let day = 2; day <= 10; day++) events.push(event(1, 'course.section.read', msk(`2025-09-${String(day).padStart(2, '0')}T08:00:00`)));
  for (const [time, words] of [['10:00', 120], ['11:00', 30], ['12:00', 80], ['13:00', 200], ['14:00', 60]] as const) {
    events.push(event(1, 'forum.post.created', msk(`2025-09-10T${time}:00`), { attributes: { words } }));
  }
  return events;
}
