import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { putContent } from '../../src/store/content.ts';
import { getActionType, putActionType } from '../../src/store/catalogue.ts';
import { ingestEvents, voidEvent } from '../../src/store/events.ts';
import { CUTS, GRAINS, analytics } from '../../src/web/pages/operator/analytics-data.ts';
import { STORES } from '../helpers/stores.ts';
import { signedIn } from './app.ts';
import { seededSite } from './site.ts';

const ZONE = 'Europe/Moscow';
const FROM = '2025-09-20';
const TO = '2025-10-16';
/** The seed: Anna reads six sections and posts once a day for 21 days; Boris posts every third day. */
const READS = 6 * 21;
const POSTS = 21 + 7;

describe.each(STORES)('analytics by cut ($name)', (kind) => {
  const site = seededSite(kind);
  beforeAll(async () => {
    await putContent(site.store.db, 'course:st', { kind: 'course', title: 'Systems thinking', parent_id: null, url: null, authors: [{ member_id: site.seeded.author, share: 1 }] }, 'test');
    for (const n of [0, 1, 2]) await putContent(site.store.db, `section:${n}`, { kind: 'section', title: `Section ${n}`, parent_id: 'course:st', url: null, authors: [] }, 'test');
  });
  const operator = async () => {
    const browser = await signedIn(site.app, site.store.db, site.seeded.operator);
    browser.jar.set('vk_lang', 'en');
    return browser;
  };
  const totals = async (cut: (typeof CUTS)[number], measure: 'actions' | 'minutes' | 'points' = 'actions') => {
    const answer = await analytics(site.store.db, { cut, grain: 'week', from: FROM, to: TO, zone: ZONE });
    const out: Record<string, number> = {};
    for (const cell of answer.cells) if (cell[measure] !== 0) out[cell.key] = (out[cell.key] ?? 0) + cell[measure];
    return out;
  };

  it('counts actions and effort minutes by kind, role, source, tag, course and action', async () => {
    expect(await totals('kind')).toEqual({ learning: READS, contribution: POSTS });
    expect(await totals('kind', 'minutes')).toEqual({ learning: READS * 15, contribution: POSTS * 20 });
    expect(await totals('role')).toEqual({ student: READS + POSTS });
    expect(await totals('source')).toEqual({ course: READS, forum: POSTS });
    expect(await totals('action')).toEqual({ 'course.section.read': READS, 'forum.post.created': POSTS });
    // Each action counts under each of its tags.
    expect(await totals('tag')).toEqual({ course: READS, reading: READS, forum: POSTS, writing: POSTS });
    // Sections 0-2 belong to the course; 3-5 are not registered, nor are posts.
    expect(await totals('course')).toEqual({ 'course:st': READS / 2, '': READS / 2 + POSTS });
  });

  it('points by cut add up to the awards of the period, goal and badge bonuses on their own', async () => {
    const [{ sum }] = (await site.store.db.query<{ sum: number }>(
      `select coalesce(sum(points), 0)::float8 as sum from awards where at >= ($1::date::timestamp at time zone $3) and at < ($2::date::timestamp at time zone $3)`,
      [FROM, TO, ZONE],
    )) as [{ sum: number }];
    expect(sum).toBeGreaterThan(0);
    for (const cut of CUTS) {
      const points = await totals(cut, 'points');
      if (cut !== 'tag') expect(Object.values(points).reduce((a, b) => a + b, 0), cut).toBe(sum);
      expect(points.bonus).toBeGreaterThan(0);
    }
  });

  it('periods run from the first to the last of the range, empty ones included, in the community’s days', async () => {
    const days = await analytics(site.store.db, { cut: 'kind', grain: 'day', from: '2025-09-01', to: '2025-09-08', zone: ZONE });
    expect(days.periods).toEqual(['2025-09-01', '2025-09-02', '2025-09-03', '2025-09-04', '2025-09-05', '2025-09-06', '2025-09-07']);
    expect(days.cells).toEqual([]);
    const weeks = await analytics(site.store.db, { cut: 'kind', grain: 'week', from: '2025-09-24', to: '2025-10-16', zone: ZONE });
    expect(weeks.periods).toEqual(['2025-09-22', '2025-09-29', '2025-10-06', '2025-10-13']);
    const months = await analytics(site.store.db, { cut: 'kind', grain: 'month', from: FROM, to: TO, zone: ZONE });
    expect(months.periods).toEqual(['2025-09-01', '2025-10-01']);
  });

  it('property: whatever the grain, range and cut (but tag), actions add up to the members’ unvoided events in the range', async () => {
    const start = Date.parse('2025-09-15T00:00:00Z');
    const day = (n: number) => new Date(start + n * 86_400_000).toISOString().slice(0, 10);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...GRAINS), fc.constantFrom(...CUTS.filter((c) => c !== 'tag')), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 40 }), async (grain, cut, first, length) => {
        const from = day(first);
        const to = day(first + length);
        const answer = await analytics(site.store.db, { cut, grain, from, to, zone: ZONE });
        const [{ n }] = (await site.store.db.query<{ n: number }>(
          `select count(*)::int as n from events e where e.member_id is not null and not exists (select 1 from event_voids v where v.event_id = e.id)
           and e.occurred_at >= ($1::date::timestamp at time zone $3) and e.occurred_at < ($2::date::timestamp at time zone $3)`,
          [from, to, ZONE],
        )) as [{ n: number }];
        expect(answer.cells.reduce((a, c) => a + c.actions, 0)).toBe(n);
        expect(answer.cells.every((c) => answer.periods.includes(c.period))).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  it('the page shows a chart and tables for the chosen measure and cut; the CSV has every measure; bad dates are refused by field', async () => {
    const oleg = await operator();
    const page = await oleg.get(`/operator/analytics?measure=hours&cut=source&grain=week&from=${FROM}&to=${TO}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<svg class="chart lines" id="analytics-chart"[^>]*role="img"/);
    expect(page.text).toContain('<title id="analytics-chart-title">Effort hours per week by source</title>');
    expect(page.text).toContain(`<tr><th scope="row">course</th><td class="num">${READS * 15 / 60}</td></tr>`);
    expect(page.text).toMatch(/<option value="source" selected>/);
    expect(page.text).toContain(`href="/operator/analytics.csv?measure=hours&amp;cut=source&amp;grain=week&amp;from=${FROM}&amp;to=${TO}"`);

    const courses = await oleg.get(`/operator/analytics?cut=course&from=${FROM}&to=${TO}`);
    expect(courses.text).toContain('<th scope="row">Systems thinking</th>');
    expect(courses.text).toContain('<th scope="row">outside courses</th>');
    expect((await oleg.get(`/operator/analytics?cut=kind&from=${FROM}&to=${TO}`, { 'accept-language': 'ru' })).text).toBeTruthy();

    const csv = await oleg.get(`/operator/analytics.csv?cut=kind&grain=day&from=${FROM}&to=${TO}`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('period,kind,label,actions,hours,points');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.reduce((a, r) => a + Number(r[3]), 0)).toBe(READS + POSTS);
    expect(rows.some((r) => r[1] === 'bonus' && Number(r[5]) > 0)).toBe(true);

    const bad = await oleg.get('/operator/analytics?from=2025-13-01&to=2025-10-01');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="analytics-from-error">Enter a date like 2025-09-01.');
    const backwards = await oleg.get('/operator/analytics?from=2025-10-01&to=2025-09-01');
    expect(backwards.text).toContain('id="analytics-to-error">Must be after the start.');
    const long = await oleg.get('/operator/analytics?grain=day&from=2020-01-01&to=2025-01-01');
    expect(long.text).toContain('id="analytics-to-error">At most 400 periods');
    expect((await oleg.get('/operator/analytics.csv?from=x')).status).toBe(400);
  });

  it('keeps an answer while nothing changes; a new event or a catalogue edit gives a new one', async () => {
    const q = { cut: 'kind' as const, grain: 'month' as const, from: FROM, to: TO, zone: ZONE };
    const first = await analytics(site.store.db, q);
    expect(await analytics(site.store.db, q)).toBe(first);
    const read = await getActionType(site.store.db, 'course.section.read');
    await putActionType(site.store.db, read.key, { kind: read.kind, role: read.role, minutes: 16, tags: read.tags, title: read.title }, 'test');
    const edited = await analytics(site.store.db, q);
    expect(edited).not.toBe(first);
    expect(edited.cells.filter((c) => c.key === 'learning').reduce((a, c) => a + c.minutes, 0)).toBe(READS * 16);
    await putActionType(site.store.db, read.key, { kind: read.kind, role: read.role, minutes: 15, tags: read.tags, title: read.title }, 'test');
    await ingestEvents(site.store.db, [{ source: 'forum', source_event_id: 'late-post', action: 'forum.post.created', actor: { member_id: site.seeded.other }, occurred_at: '2025-10-01T10:00:00Z', attributes: { words: 80 } }], { atomic: true, unknownIdentity: () => 'park' });
    const later = await analytics(site.store.db, q);
    expect(later.cells.filter((c) => c.key === 'contribution').reduce((a, c) => a + c.actions, 0)).toBe(POSTS + 1);
    await voidEvent(site.store.db, { source: 'forum', source_event_id: 'late-post' }, 'test event', 'test');
  });

  it('voided events no longer count', async () => {
    const before = await totals('kind');
    await voidEvent(site.store.db, { source: 'forum', source_event_id: `post-${site.seeded.member}-3` }, 'duplicate', 'test');
    expect(await totals('kind')).toEqual({ ...before, contribution: before.contribution! - 1 });
  });
});
