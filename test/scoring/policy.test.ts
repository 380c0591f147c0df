import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../src/catalogue/default-catalogue.ts';
import { VkladError } from '../../src/errors.ts';
import { parsePolicy, type PolicyFieldError } from '../../src/scoring/index.ts';
import { defaultPolicyText } from './given.ts';

const HEADER = 'version: "2025-09"\neffective_from: 2025-09-01\ntimezone: Europe/Moscow\nkinds: { learning: 1.0, contribution: 1.5 }\n';

function errorsOf(text: string): PolicyFieldError[] {
  try {
    parsePolicy(text, { catalogue: DEFAULT_CATALOGUE });
  } catch (error) {
    expect(error).toBeInstanceOf(VkladError);
    expect((error as VkladError).code).toBe('validation_failed');
    return (error as VkladError).errors as PolicyFieldError[];
  }
  throw new Error('the policy was accepted');
}

describe('policy validation names the line, the field and the reason', () => {
  it('given a diminishing factor above 1 on line 7, then the error says line 7 and the field path', () => {
    const text = `${HEADER}actions:\n  forum.post.created:\n    per_day: { full: 3, then: 1.5, max: 8 }\n    points: 6\n`;
    expect(text.split('\n')[6]).toContain('then: 1.5');
    try {
      parsePolicy(text, { catalogue: DEFAULT_CATALOGUE });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe('The policy is invalid: line 7, actions.forum.post.created.per_day.then: must be between 0 and 1');
      expect((error as VkladError).errors).toEqual([{ field: 'actions.forum.post.created.per_day.then', reason: 'must be between 0 and 1', line: 7 }]);
    }
  });

  it('given an unknown field, then it is named where it stands', () => {
    expect(errorsOf(`${HEADER}actions:\n  course.section.read: { points: 2, bonus: 3 }\n`)).toEqual([
      { field: 'actions.course.section.read.bonus', reason: 'is not a known field', line: 6 },
    ]);
  });

  it('given a missing timezone, then the error names the field at the top of the policy', () => {
    expect(errorsOf('version: "1"\neffective_from: 2025-09-01\nkinds: { learning: 1 }\nactions: {}\n')).toEqual([{ field: 'timezone', reason: 'is required', line: 1 }]);
  });

  it('given text that is not YAML, then the error names the line where the parser stopped', () => {
    const [error] = errorsOf(`${HEADER}actions:\n  course.section.read: { points: 2\n`);
    expect(error).toMatchObject({ field: '(policy)', line: 7 });
  });

  it('given a duplicated key, then the error names its line', () => {
    expect(errorsOf(`${HEADER}actions: {}\npending_days: 3\npending_days: 4\n`)[0]).toMatchObject({ line: 7 });
  });

  it('given JSON, then it is read like YAML and errors still name lines', () => {
    const json = JSON.stringify({ version: 'j', effective_from: '2025-09-01', timezone: 'Europe/Moscow', kinds: { learning: 1 }, actions: { 'course.section.read': { points: 2 } } }, null, 2);
    expect(parsePolicy(json, { catalogue: DEFAULT_CATALOGUE }).actions['course.section.read']).toMatchObject({ points: 2, kind: 'learning', minutes: 15, role: 'student' });
    const bad = json.replace('"points": 2', '"points": -2');
    expect(errorsOf(bad)).toEqual([{ field: 'actions.course.section.read.points', reason: 'must not be negative', line: 10 }]);
  });

  it.each([
    ['a time zone that does not exist', 'timezone: Mars/Olympus', 'timezone', 'must be an IANA time zone, like Europe/Moscow'],
    ['a date that is not in the calendar', 'effective_from: 2025-02-30', 'effective_from', 'is not a calendar date'],
    ['a negative pending period', 'pending_days: -1', 'pending_days', 'must not be negative'],
    ['a streak unit that is not day or week', 'streak: { unit: month, step: 0.1, max: 0.3 }', 'streak.unit', ''],
  ])('given %s, then the field is named', (_what, line, field, reason) => {
    const header = HEADER.split('\n').filter((l) => !l.startsWith(line.split(':')[0]!)).join('\n');
    const errors = errorsOf(`${header}\n${line}\nactions: {}\n`);
    expect(errors.map((e) => e.field)).toEqual([field]);
    if (reason) expect(errors[0]!.reason).toBe(reason);
  });

  it('given an action of a kind the policy does not weigh, then the kind is refused', () => {
    const errors = errorsOf('version: "1"\neffective_from: 2025-09-01\ntimezone: Europe/Moscow\nkinds: { learning: 1 }\nactions:\n  forum.post.created: { points: 6 }\n');
    expect(errors).toEqual([{ field: 'actions.forum.post.created.kind', reason: 'must be one of the kinds: learning', line: 6 }]);
  });

  it('given an action the catalogue does not know and no kind, then the kind is required', () => {
    expect(errorsOf(`${HEADER}actions:\n  garden.tree.planted: { points: 6 }\n`)).toEqual([
      { field: 'actions.garden.tree.planted.kind', reason: 'is required (the catalogue has no such action)', line: 6 },
    ]);
  });

  it('given a window whose max is below its full count, then max is refused', () => {
    expect(errorsOf(`${HEADER}actions:\n  course.section.read: { points: 2, per_day: { full: 5, max: 3 } }\n`)).toEqual([
      { field: 'actions.course.section.read.per_day.max', reason: 'must not be below full', line: 6 },
    ]);
  });

  it('given badges with one id twice or counting an action the policy lacks, then each is named', () => {
    const errors = errorsOf(`${HEADER}actions: {}\nachievements:
  - { id: a, when: { streak_days: 3 } }
  - { id: a, when: { count: { action: course.test.passed, at_least: 1 } } }
  - { id: b, when: { streak_days: 3, goal_weeks: 2 } }
`);
    expect(errors.map((e) => [e.line, e.field, e.reason])).toEqual([
      [9, 'achievements.2.when', 'must name exactly one of streak_days, streak_weeks, goal_weeks, count'],
      [8, 'achievements.1.id', 'is used by another achievement'],
      [8, 'achievements.1.when.count.action', 'must be an action of this policy'],
    ]);
  });

  it('given several mistakes, then all of them are reported at once', () => {
    expect(errorsOf(`${HEADER}actions:\n  course.section.read: { points: x }\npending_days: 1.5\n`).map((e) => e.field)).toEqual([
      'actions.course.section.read.points',
      'pending_days',
    ]);
  });
});

describe('the default policy', () => {
  it('loads, and scores every action of the default catalogue', () => {
    const policy = parsePolicy(defaultPolicyText(), { catalogue: DEFAULT_CATALOGUE });
    expect(Object.keys(policy.actions).sort()).toEqual(DEFAULT_CATALOGUE.map((a) => a.key).sort());
    expect(policy).toMatchObject({ timezone: 'Europe/Moscow', kinds: { learning: 1, contribution: 1.5 }, weekly_goal: { minutes: 600 }, pending_days: 7 });
  });
});
