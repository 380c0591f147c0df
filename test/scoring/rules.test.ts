import { describe, expect, it } from 'vitest';
import { scoreMembers } from '../../src/scoring/index.ts';
import { DAY_MS, event, msk, pointsOf, policyOf, series, total } from './given.ts';

const MIN = 60_000;

describe('base points, kinds and roles', () => {
  it('given 2 points for reading, when a member reads, then the award is 2 with a base step', () => {
    const set = policyOf('actions:\n  course.section.read: { points: 2 }\n');
    const [award] = scoreMembers(set, [event(1, 'course.section.read', msk('2025-09-10T10:00:00'))]).awards;
    expect(award).toMatchObject({ member: 1, points: 2, policy_version: 't1', trail: [{ rule: 'base', value: 2 }] });
  });

  it('given contribution x1.5, when a member posts for 6 points, then the award is 9', () => {
    const set = policyOf('actions:\n  forum.post.created: { points: 6 }\n');
    const [award] = scoreMembers(set, [event(1, 'forum.post.created', msk('2025-09-10T10:00:00'))]).awards;
    expect(award!.points).toBe(9);
    expect(award!.trail).toEqual([{ rule: 'base', value: 6 }, { rule: 'kind', kind: 'contribution', factor: 1.5 }]);
  });

  it('given mentor x1.2, when a mentor and a non-mentor review, then only the mentor gets the role factor', () => {
    const set = policyOf('roles: { mentor: 1.2 }\nactions:\n  mentor.review.done: { points: 10 }\n');
    const at = msk('2025-09-10T10:00:00');
    const rolesOf = (m: number) => (m === 1 ? ['mentor', 'student'] : ['student']);
    const { awards } = scoreMembers(set, [event(1, 'mentor.review.done', at), event(2, 'mentor.review.done', at)], { rolesOf });
    expect(awards.map((a) => a.points)).toEqual([18, 15]);
    expect(awards[0]!.trail).toContainEqual({ rule: 'role', role: 'mentor', factor: 1.2 });
  });

  it('given no rule for an action, when it happens, then it is not scored at all', () => {
    const set = policyOf('actions:\n  course.section.read: { points: 2 }\n');
    expect(scoreMembers(set, [event(1, 'event.attended', msk('2025-09-10T10:00:00'))]).awards).toEqual([]);
  });
});

describe('conditions on attributes', () => {
  const set = policyOf(
    'actions:\n  forum.post.created: { points: 6, min_words: 50 }\n  course.assignment.accepted: { points: 20, when: { status: { equals: accepted } } }\n',
  );
  const at = msk('2025-09-10T10:00:00');

  it('given min_words 50, when posts of 49 and 50 words arrive, then only the second counts', () => {
    const awards = scoreMembers(set, [event(1, 'forum.post.created', at, { attributes: { words: 49 } }), event(1, 'forum.post.created', at + MIN, { attributes: { words: 50 } })]).awards;
    expect(awards.map((a) => a.points)).toEqual([0, 9]);
    expect(awards[0]!.trail).toEqual([{ rule: 'base', value: 6 }, { rule: 'when', field: 'words', at_least: 50, value: 49, factor: 0 }]);
  });

  it('given min_words 50, when a post has no word count, then it earns nothing', () => {
    expect(pointsOf(set, [event(1, 'forum.post.created', at)])).toEqual([0]);
  });

  it('given status must equal accepted, when a draft and an accepted one arrive, then only the accepted one counts', () => {
    const points = pointsOf(set, [
      event(1, 'course.assignment.accepted', at, { attributes: { status: 'draft' } }),
      event(1, 'course.assignment.accepted', at + MIN, { attributes: { status: 'accepted' } }),
    ]);
    expect(points).toEqual([0, 20]);
  });
});

describe('per-day and per-week windows', () => {
  it('given full 3, then 0.5, max 6 a day, when 7 reads happen in a day, then values fall by half after the third and stop after the sixth', () => {
    const set = policyOf('actions:\n  course.section.read: { points: 8, per_day: { full: 3, then: 0.5, max: 6 } }\n');
    expect(pointsOf(set, series(7, 1, 'course.section.read', msk('2025-09-10T10:00:00'), MIN))).toEqual([8, 8, 8, 4, 2, 1, 0]);
  });

  it('given a daily window, when actions straddle Moscow midnight (21:00 UTC), then the count starts again', () => {
    const set = policyOf('actions:\n  course.section.read: { points: 4, per_day: { max: 2 } }\n');
    const events = [
      ...series(3, 1, 'course.section.read', msk('2025-09-10T23:57:00'), MIN),
      ...series(3, 1, 'course.section.read', msk('2025-09-11T00:00:00'), MIN),
    ];
    expect(pointsOf(set, events)).toEqual([4, 4, 0, 4, 4, 0]);
  });

  it('given a weekly window, when actions run from Sunday into Monday in Moscow, then the week starts on Monday', () => {
    const set = policyOf('actions:\n  course.section.read: { points: 4, per_week: { full: 2, then: 0.5, max: 3 } }\n');
    const sunday = msk('2025-09-14T22:00:00');
    const monday = msk('2025-09-15T00:30:00');
    expect(pointsOf(set, [...series(4, 1, 'course.section.read', sunday, MIN), ...series(2, 1, 'course.section.read', monday, MIN)])).toEqual([4, 4, 2, 0, 4, 4]);
  });

  it('given only full, when the window is exceeded, then further actions earn nothing and say the limit', () => {
    const set = policyOf('actions:\n  course.section.read: { points: 2, per_day: { full: 1 } }\n');
    const { awards } = scoreMembers(set, series(2, 1, 'course.section.read', msk('2025-09-10T10:00:00'), MIN));
    expect(awards[1]!.trail).toContainEqual({ rule: 'per_day', nth: 2, factor: 0, max: 1 });
  });

  it('given windows, when two members act, then each has their own count', () => {
    const set = policyOf('actions:\n  course.section.read: { points: 2, per_day: { max: 1 } }\n');
    const at = msk('2025-09-10T10:00:00');
    expect(pointsOf(set, [event(1, 'course.section.read', at), event(2, 'course.section.read', at)])).toEqual([2, 2]);
  });
});

describe('peer signals', () => {
  const set = policyOf('actions:\n  forum.like.received: { points: 4, active: false, peer: { distinct: day, reciprocal: 0.25 } }\n');
  const at = msk('2025-09-10T10:00:00');
  const like = (to: number, from: number | null, when = at) => event(to, 'forum.like.received', when, { peer: from });

  it('given a peer rule, when a member likes their own post, then it earns nothing', () => {
    const { awards } = scoreMembers(set, [like(1, 1)]);
    expect(awards[0]!.points).toBe(0);
    expect(awards[0]!.trail).toContainEqual({ rule: 'peer', reason: 'self', factor: 0 });
  });

  it('given a peer rule, when the giver is unknown, then it earns nothing', () => {
    expect(pointsOf(set, [like(1, null)])).toEqual([0]);
  });

  it('given distinct per day, when one member likes three posts of another in a day, then only the first counts, and again the next day', () => {
    const points = pointsOf(set, [like(1, 2), like(1, 2, at + MIN), like(1, 3, at + 2 * MIN), like(1, 2, at + DAY_MS)]);
    expect(points).toEqual([6, 0, 6, 6]);
  });

  it('given reciprocal 0.25, when two members like each other in the same week, then both signals are damped, whichever came first', () => {
    const { awards } = scoreMembers(set, [like(1, 2), like(2, 1, at + 3 * DAY_MS)]);
    expect(awards.map((a) => a.points)).toEqual([2, 2]);
    expect(awards[0]!.trail).toContainEqual({ rule: 'peer', reason: 'reciprocal', factor: 0.25 });
  });

  it('given reciprocal damping, when the like is returned the following week, then neither is damped', () => {
    expect(pointsOf(set, [like(1, 2), like(2, 1, at + 7 * DAY_MS)])).toEqual([6, 6]);
  });
});

describe('streaks', () => {
  const set = policyOf('actions:\n  course.section.read: { points: 10 }\n  forum.like.received: { points: 10, active: false }\nstreak: { unit: day, step: 0.1, max: 0.3 }\n');
  const day1 = msk('2025-09-10T10:00:00');

  it('given +10% a day up to +30%, when a member reads five days running, then the multiplier grows and stops at 1.3', () => {
    expect(pointsOf(set, series(5, 1, 'course.section.read', day1, DAY_MS))).toEqual([10, 11, 12, 13, 13]);
  });

  it('given a streak, when a day is missed, then it starts again from one', () => {
    const events = [...series(3, 1, 'course.section.read', day1, DAY_MS), event(1, 'course.section.read', day1 + 4 * DAY_MS)];
    expect(pointsOf(set, events)).toEqual([10, 11, 12, 10]);
  });

  it('given a streak, when the day is active, then later actions of the day carry it and the trail names it', () => {
    const { awards } = scoreMembers(set, [...series(2, 1, 'course.section.read', day1, DAY_MS), event(1, 'forum.like.received', day1 + DAY_MS + MIN)]);
    expect(awards[2]!.points).toBe(17);
    expect(awards[2]!.trail).toContainEqual({ rule: 'streak', days: 2, factor: 1.1 });
  });

  it('given likes received are not active, when they arrive on consecutive days, then they make no streak', () => {
    expect(pointsOf(set, series(3, 1, 'forum.like.received', day1, DAY_MS))).toEqual([15, 15, 15]);
  });

  it('given a weekly streak, when a member is active three weeks running, then weeks count', () => {
    const weekly = policyOf('actions:\n  course.section.read: { points: 10 }\nstreak: { unit: week, step: 0.5, max: 2 }\n');
    const { awards } = scoreMembers(weekly, series(3, 1, 'course.section.read', day1, 7 * DAY_MS));
    expect(awards.map((a) => a.points)).toEqual([10, 15, 20]);
    expect(awards[2]!.trail).toContainEqual({ rule: 'streak', weeks: 3, factor: 2 });
  });
});

describe('weekly goal', () => {
  const set = policyOf('actions:\n  mentor.session.held: { points: 1 }\nweekly_goal: { minutes: 180, bonus: 50 }\n');
  const monday = msk('2025-09-08T10:00:00');

  it('given 180 minutes a week and 60-minute sessions, when the third session is held, then a bonus follows it once', () => {
    const { awards } = scoreMembers(set, series(4, 1, 'mentor.session.held', monday, DAY_MS));
    const goals = awards.filter((a) => a.key.startsWith('goal:'));
    expect(goals).toHaveLength(1);
    expect(goals[0]).toMatchObject({ key: 'goal:1:2025-09-08', event_id: null, points: 50, at: monday + 2 * DAY_MS });
    expect(goals[0]!.trail).toEqual([{ rule: 'goal', week: '2025-09-08', minutes: 180, goal: 180 }, { rule: 'bonus', value: 50 }]);
    expect(awards.map((a) => a.key.startsWith('goal:'))).toEqual([false, false, false, true, false]);
  });

  it('given the goal, when the minutes are spread over two weeks, then no bonus', () => {
    const events = [...series(2, 1, 'mentor.session.held', monday, DAY_MS), event(1, 'mentor.session.held', monday + 7 * DAY_MS)];
    expect(scoreMembers(set, events).awards.filter((a) => a.key.startsWith('goal:'))).toEqual([]);
  });

  it('given minutes in the policy, when they override the catalogue, then the policy wins', () => {
    const quick = policyOf('actions:\n  mentor.session.held: { points: 1, minutes: 90 }\nweekly_goal: { minutes: 180, bonus: 50 }\n');
    expect(scoreMembers(quick, series(2, 1, 'mentor.session.held', monday, DAY_MS)).awards.filter((a) => a.event_id === null)).toHaveLength(1);
  });
});

describe('achievements', () => {
  const set = policyOf(`actions:
  course.section.read: { points: 1 }
  course.assignment.accepted: { points: 20 }
  qualification.achieved: { points: 100 }
  mentor.session.held: { points: 1 }
weekly_goal: { minutes: 60, bonus: 5 }
achievements:
  - { id: first-accepted, when: { count: { action: course.assignment.accepted, at_least: 1 } }, bonus: 10 }
  - { id: qualified, when: { count: { action: qualification.achieved, at_least: 1 } }, repeat: true }
  - { id: streak-3, when: { streak_days: 3 }, bonus: 7 }
  - { id: steady-2, when: { goal_weeks: 2 }, bonus: 30, repeat: true }
`);
  const day1 = msk('2025-09-08T10:00:00');

  it('given first-accepted, when two assignments are accepted, then the badge and its bonus come once, with the first', () => {
    const result = scoreMembers(set, series(2, 1, 'course.assignment.accepted', day1, DAY_MS));
    expect(result.achievements).toEqual([{ member: 1, badge: 'first-accepted', at: day1, n: 1 }]);
    expect(result.awards.filter((a) => a.key.startsWith('badge:'))).toMatchObject([{ key: 'badge:first-accepted:1:1', points: 10, trail: [{ rule: 'badge', badge: 'first-accepted', n: 1 }, { rule: 'bonus', value: 10 }] }]);
  });

  it('given a repeatable qualification badge without bonus, when two qualifications are achieved, then it is earned twice with no bonus award', () => {
    const result = scoreMembers(set, series(2, 1, 'qualification.achieved', day1, DAY_MS));
    expect(result.achievements.map((a) => [a.badge, a.n])).toEqual([['qualified', 1], ['qualified', 2]]);
    expect(result.awards.filter((a) => a.key.startsWith('badge:'))).toEqual([]);
  });

  it('given streak-3 one-time, when a member reads 7 days running, then it is earned once, on the third day', () => {
    const result = scoreMembers(set, series(7, 1, 'course.section.read', day1, DAY_MS));
    expect(result.achievements).toEqual([{ member: 1, badge: 'streak-3', at: day1 + 2 * DAY_MS, n: 1 }]);
  });

  it('given steady-2 repeatable, when the goal is met four weeks running, then it is earned on weeks 2 and 4', () => {
    const result = scoreMembers(set, series(4, 1, 'mentor.session.held', day1, 7 * DAY_MS));
    expect(result.achievements.map((a) => [a.badge, a.n, a.at])).toEqual([
      ['steady-2', 1, day1 + 7 * DAY_MS],
      ['steady-2', 2, day1 + 21 * DAY_MS],
    ]);
    expect(result.awards.filter((a) => a.key.startsWith('badge:steady-2')).map((a) => a.key)).toEqual(['badge:steady-2:1:1', 'badge:steady-2:1:2']);
  });

  it('given steady-2, when a week without the goal breaks the run, then the count starts again', () => {
    const weeks = [0, 1, 3, 4].map((w) => event(1, 'mentor.session.held', day1 + w * 7 * DAY_MS));
    expect(scoreMembers(set, weeks).achievements.map((a) => a.n)).toEqual([1, 2]);
    const broken = [0, 2, 4].map((w) => event(1, 'mentor.session.held', day1 + w * 7 * DAY_MS));
    expect(scoreMembers(set, broken).achievements).toEqual([]);
  });
});

describe('pending period and policy versions', () => {
  it('given pending_days 7, when an award is made, then it is pending for 7 days from the action', () => {
    const set = policyOf('actions:\n  course.section.read: { points: 2 }\npending_days: 7\n');
    const at = msk('2025-09-10T10:00:00');
    expect(scoreMembers(set, [event(1, 'course.section.read', at)]).awards[0]!.pending_until).toBe(at + 7 * DAY_MS);
  });

  it('given two versions, when events fall either side of Moscow midnight of the second effective date, then each is scored by the version in force', async () => {
    const { parsePolicy, policySet } = await import('../../src/scoring/index.ts');
    const v1 = parsePolicy('version: "v1"\neffective_from: 2025-09-01\ntimezone: Europe/Moscow\nkinds: { learning: 1 }\nactions:\n  course.section.read: { points: 2, kind: learning, per_day: { max: 2 } }\n');
    const v2 = parsePolicy('version: "v2"\neffective_from: 2025-10-01\ntimezone: Europe/Moscow\nkinds: { learning: 1 }\nactions:\n  course.section.read: { points: 3, kind: learning, per_day: { max: 2 } }\n');
    const set = policySet([v2, v1]);
    const events = [
      event(1, 'course.section.read', msk('2025-08-31T23:59:00')),
      event(1, 'course.section.read', msk('2025-09-30T23:58:00')),
      event(1, 'course.section.read', msk('2025-10-01T00:00:00')),
      event(1, 'course.section.read', msk('2025-10-01T00:01:00')),
      event(1, 'course.section.read', msk('2025-10-01T00:02:00')),
    ];
    const awards = scoreMembers(set, events).awards;
    expect(awards.map((a) => [a.policy_version, a.points])).toEqual([['v1', 2], ['v2', 3], ['v2', 3], ['v2', 0]]);
  });

  it('given two versions with the same effective date, when they are put in one set, then the set is refused', async () => {
    const { parsePolicy, policySet } = await import('../../src/scoring/index.ts');
    const text = (v: string) => `version: "${v}"\neffective_from: 2025-09-01\ntimezone: Europe/Moscow\nkinds: { learning: 1 }\nactions: {}\n`;
    expect(() => policySet([parsePolicy(text('a')), parsePolicy(text('b'))])).toThrow(/effective_from/);
  });
});

describe('voids take back knock-on effects', () => {
  const set = policyOf(`actions:
  course.section.read: { points: 4, per_day: { full: 2, then: 0.5 , max: 3 } }
streak: { unit: day, step: 0.25, max: 0.5 }
achievements:
  - { id: streak-3, when: { streak_days: 3 }, bonus: 10 }
`);
  const day1 = msk('2025-09-10T10:00:00');

  it('given three reads in a day, when the first is voided, then the third moves up to full value', () => {
    const reads = series(3, 1, 'course.section.read', day1, MIN);
    expect(pointsOf(set, reads)).toEqual([4, 4, 2]);
    expect(pointsOf(set, [...reads, { ...reads[0]!, voided: true }])).toEqual([4, 4]);
  });

  it('given a three-day streak with its badge, when the middle day is voided, then the streak, multiplier and badge are gone', () => {
    const days = series(3, 1, 'course.section.read', day1, DAY_MS);
    expect(total(set, days)).toBe(4 + 5 + 6 + 10);
    const result = scoreMembers(set, [...days, { ...days[1]!, voided: true }]);
    expect(result.awards.map((a) => a.points)).toEqual([4, 4]);
    expect(result.achievements).toEqual([]);
  });
});
