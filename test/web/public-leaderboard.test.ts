import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STANDINGS_TTL_MS, standings, visible } from '../../src/web/pages/public/standings.ts';
import { STORES } from '../helpers/stores.ts';
import { signedIn, webApp } from './app.ts';
import { seededSite } from './site.ts';
import { Browser } from './browser.ts';
import { NOW } from './seed.ts';

const ZONE = 'Europe/Moscow';
/** Monday 13 October and 1 October 2025, midnight in Moscow. */
const WEEK_START = Date.parse('2025-10-12T21:00:00Z');
const MONTH_START = Date.parse('2025-09-30T21:00:00Z');

describe('ranking the visible', () => {
  it('shows only members who opted in and gives equal points the same place', () => {
    const all = [
      { member: 1, name: 'A', points: 50 },
      { member: 2, name: 'B', points: 40 },
      { member: 3, name: 'C', points: 40 },
      { member: 4, name: 'D', points: 10 },
    ];
    expect(visible(all, new Set([2, 3, 4])).map((s) => [s.member, s.rank])).toEqual([[2, 1], [3, 1], [4, 3]]);
  });

  it('property: places never decrease, and a place is one more than the number of members with more points', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 39 })), (points, optedIn) => {
        const all = points.sort((a, b) => b - a).map((p, i) => ({ member: i, name: null, points: p }));
        const ranked = visible(all, new Set(optedIn));
        for (const s of ranked) expect(s.rank).toBe(ranked.filter((o) => o.points > s.points).length + 1);
        expect(ranked.map((s) => s.member)).toEqual(all.map((s) => s.member).filter((m) => optedIn.includes(m)));
      }),
    );
  });
});

describe.each(STORES)('public leaderboard ($name)', (kind) => {
  const site = seededSite(kind);

  /** The expected sums, from every award row, added up here. */
  async function expected(from: number, contributionOnly = false): Promise<Map<number, number>> {
    const rows = await site.store.db.query<{ member_id: number; points: number; at: Date; kind: string | null }>(
      'select w.member_id, w.points, w.at, a.kind from awards w left join events e on e.id = w.event_id left join action_types a on a.key = e.action',
    );
    const sums = new Map<number, number>();
    for (const r of rows) {
      const at = new Date(r.at).getTime();
      if (at < from || at > NOW.getTime() || (contributionOnly && r.kind !== 'contribution')) continue;
      sums.set(Number(r.member_id), (sums.get(Number(r.member_id)) ?? 0) + r.points);
    }
    return new Map([...sums].filter(([, p]) => p > 0));
  }

  it('sums each member’s points over the week, the month and all time in the community’s zone, best first', async () => {
    for (const [period, from] of [['week', WEEK_START], ['month', MONTH_START], ['all', 0]] as const) {
      const got = await standings(site.store.db, period, 'all', NOW, ZONE);
      expect(new Map(got.map((s) => [s.member, s.points])), period).toEqual(await expected(from));
      expect(got.map((s) => s.points)).toEqual([...got.map((s) => s.points)].sort((a, b) => b - a));
    }
    const contribution = await standings(site.store.db, 'all', 'contribution', NOW, ZONE);
    expect(new Map(contribution.map((s) => [s.member, s.points]))).toEqual(await expected(0, true));
  });

  it('is cached for a while, then computed again', async () => {
    const first = await standings(site.store.db, 'week', 'all', NOW, ZONE);
    expect(await standings(site.store.db, 'week', 'all', new Date(NOW.getTime() + 1000), ZONE)).toBe(first);
    expect(await standings(site.store.db, 'week', 'all', new Date(NOW.getTime() + STANDINGS_TTL_MS + 1), ZONE)).not.toBe(first);
  });

  it('anyone may look; only members who opted in are shown, and a member opts in and out from their settings, at once', async () => {
    const visitor = new Browser(site.app);
    const open = await visitor.get('/leaderboard?period=all', { 'accept-language': 'en' });
    expect(open.status).toBe(200);
    expect(open.text).toMatch(/<tr><td class="num">1<\/td><td>Anna Learner<\/td>/);
    expect(open.text).not.toContain('Boris Other'); // he has points, but never chose to appear
    expect(open.text).not.toContain('id="you"');
    expect(open.text).toContain('<a href="/leaderboard?period=all&amp;kind=all" aria-current="page">All time</a>');

    const boris = await signedIn(site.app, site.store.db, site.seeded.other);
    boris.jar.set('vk_lang', 'en');
    const off = await boris.get('/leaderboard?period=all');
    expect(off.text).toContain('You are not on the leaderboards: your name appears only if you choose so.');
    expect(off.text).not.toContain('<td>Boris Other</td>'); // his own name stays in the header
    await boris.get('/settings');
    expect((await boris.post('/settings', { language: 'en', leaderboard_shown: '1' })).status).toBe(303);
    expect((await boris.get('/leaderboard?period=all')).text).toMatch(/<p class="notice" id="you">You are in place 2 with [\d,]+ points\./);
    expect((await visitor.get('/leaderboard?period=all')).text).toMatch(/<tr><td class="num">2<\/td><td>Boris Other<\/td>/);
    await boris.post('/settings', { language: 'en' });
    expect((await visitor.get('/leaderboard?period=all')).text).not.toContain('Boris Other');

    const ru = await visitor.get('/leaderboard?period=month&kind=contribution', { 'accept-language': 'ru' });
    expect(ru.text).toContain('Таблица лидеров');
    expect(ru.text).toContain('Этот месяц: Только вклад');
    // Nobody had points long before the seed: an empty week says so.
    const before = webApp(site.store.db, { now: () => new Date('2024-01-10T12:00:00Z') });
    expect((await new Browser(before).get('/leaderboard?period=week', { 'accept-language': 'en' })).text).toContain('Nobody has earned points in this period yet.');
  });
});
