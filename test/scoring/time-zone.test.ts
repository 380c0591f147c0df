import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreMembers } from '../../src/scoring/index.ts';
import { DAY_MS, TimeZone, dateOfDay, dateOfWeek, weekOfDay } from '../../src/scoring/time-zone.ts';
import { event, policyOf } from './given.ts';

const localDate = (zone: string, at: number): string => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

describe('days and weeks in a time zone, without the clock', () => {
  it.each(['Europe/Moscow', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'])(
    'given %s, then the local day of any instant agrees with Intl, across daylight-saving changes',
    (name) => {
      const zone = new TimeZone(name);
      const from = Date.parse('2024-01-01T00:00:00Z');
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 * 365 * 24 * 60 }), (minute) => {
          const at = from + minute * 60_000;
          expect(dateOfDay(zone.day(at))).toBe(localDate(name, at));
        }),
        { numRuns: 500 },
      );
    },
  );

  it('given Berlin on the night clocks go back, then midnight is at 22:00 UTC the day before and the day lasts 25 hours', () => {
    const zone = new TimeZone('Europe/Berlin');
    const start = zone.midnight('2025-10-26');
    expect(new Date(start).toISOString()).toBe('2025-10-25T22:00:00.000Z');
    expect(zone.midnight('2025-10-27') - start).toBe(25 * 3_600_000);
    expect(zone.day(start - 1)).toBe(zone.day(start) - 1);
    expect(zone.day(start + 25 * 3_600_000 - 1)).toBe(zone.day(start));
  });

  it('given day numbers, then weeks start on Monday', () => {
    const monday = Date.parse('2025-09-15T00:00:00Z') / DAY_MS;
    expect(weekOfDay(monday - 1)).toBe(weekOfDay(monday) - 1);
    expect(weekOfDay(monday + 6)).toBe(weekOfDay(monday));
    expect(dateOfWeek(weekOfDay(monday + 3))).toBe('2025-09-15');
  });

  it('given a daily window in Berlin, when actions fall either side of local midnight in winter, then they are on different days', () => {
    const set = policyOf('actions:\n  course.section.read: { points: 2, per_day: { max: 1 } }\n', 'version: "b"\neffective_from: 2025-09-01\ntimezone: Europe/Berlin\nkinds: { learning: 1 }\n');
    const before = Date.parse('2025-11-10T23:59:00+01:00');
    const after = Date.parse('2025-11-11T00:01:00+01:00');
    expect(scoreMembers(set, [event(1, 'course.section.read', before), event(1, 'course.section.read', after)]).awards.map((a) => a.points)).toEqual([2, 2]);
  });
});

describe('member ids', () => {
  it('given ids beyond the dense range and beyond 32 bits, when such members like each other, then they are told apart and damped as a pair', () => {
    const set = policyOf('actions:\n  forum.like.received: { points: 4, peer: { distinct: day, reciprocal: 0.5 } }\n');
    const a = 2 ** 40 + 1;
    const b = 2 ** 40 + 2;
    const c = 2 ** 32 + 1;
    const at = Date.parse('2025-09-10T10:00:00+03:00');
    const { awards } = scoreMembers(set, [
      event(a, 'forum.like.received', at, { peer: b }),
      event(b, 'forum.like.received', at + 60_000, { peer: a }),
      event(c, 'forum.like.received', at + 120_000, { peer: a }),
    ]);
    expect(awards.map((x) => [x.member, x.points])).toEqual([
      [a, 3],
      [b, 3],
      [c, 6],
    ]);
  });
});
