import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordPayment } from '../../src/payments/record.ts';
import { authorAccrual } from '../../src/revenue/accrual.ts';
import { putContent } from '../../src/store/content.ts';
import { ingestEvents } from '../../src/store/events.ts';
import { createMembers } from '../../src/store/members.ts';
import { MIN_LEARNERS, authorActivity } from '../../src/web/pages/author/activity.ts';
import { EARNINGS_POLL_MS, lastWeeks } from '../../src/web/pages/author/home.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { signedIn, webApp } from './app.ts';
import { NOW, type Seeded, seedCommunity } from './seed.ts';

const DAY = 86_400_000;
const ZONE = 'Europe/Moscow';

describe('the last weeks', () => {
  it('are Mondays in the community’s zone, the current week last', () => {
    // 2025-10-15 is a Wednesday; late on Sunday 19 October in UTC it is already Monday in Moscow.
    expect(lastWeeks(NOW, ZONE, 3)).toEqual(['2025-09-29', '2025-10-06', '2025-10-13']);
    expect(lastWeeks(new Date('2025-10-19T22:30:00Z'), ZONE, 1)).toEqual(['2025-10-20']);
    expect(lastWeeks(new Date('2025-10-19T22:30:00Z'), 'UTC', 1)).toEqual(['2025-10-13']);
  });
});

describe.each(STORES)('author page ($name)', (kind) => {
  let store: TestStore;
  let seeded: Seeded;
  let extra: number[];
  let app: ReturnType<typeof webApp>;
  beforeAll(async () => {
    store = await kind.open();
    seeded = await seedCommunity(store.db);
    // Vera wrote a course; Anna reads its sections 0-5 every day (seed). Three more learners read section 0, and Vera reads it herself.
    await putContent(store.db, 'course:st', { kind: 'course', title: 'Systems thinking', parent_id: null, url: null, authors: [{ member_id: seeded.author, share: 1 }] }, 'test');
    for (const n of [0, 1, 2, 3, 4, 5]) await putContent(store.db, `section:${n}`, { kind: 'section', title: `Section ${n}`, parent_id: 'course:st', url: null, authors: [] }, 'test');
    await putContent(store.db, 'course:other', { kind: 'course', title: 'Someone else’s course', parent_id: null, url: null, authors: [{ member_id: seeded.other, share: 1 }] }, 'test');
    extra = await createMembers(store.db, [{ display_name: 'Learner One' }, { display_name: 'Learner Two' }, { display_name: 'Learner Three' }], 'test');
    const at = (d: number) => new Date(NOW.getTime() - d * DAY).toISOString();
    await ingestEvents(
      store.db,
      [
        ...extra.flatMap((m) => [2, 40].map((d) => ({ source: 'course', source_event_id: `x-${m}-${d}`, action: 'course.section.read', actor: { member_id: m }, occurred_at: at(d), object: 'section:0' }))),
        { source: 'course', source_event_id: 'vera-self', action: 'course.section.read', actor: { member_id: seeded.author }, occurred_at: at(1), object: 'section:0' },
        { source: 'course', source_event_id: 'other-course', action: 'course.section.read', actor: { member_id: extra[0]! }, occurred_at: at(1), object: 'course:other' },
      ],
      { atomic: true, unknownIdentity: () => 'park' },
    );
  });
  afterAll(async () => store.destroy());
  beforeEach(() => {
    app = webApp(store.db, { now: () => NOW });
  });

  it('aggregates learners’ activity by course and section, without the author’s own actions or others’ courses', async () => {
    const [course, ...others] = await authorActivity(store.db, seeded.author, { since: new Date(NOW.getTime() - 28 * DAY), weeksSince: new Date(NOW.getTime() - 84 * DAY), zone: ZONE });
    expect(others).toEqual([]);
    expect(course!.id).toBe('course:st');
    // Anna: 6 reads a day for 21 days (days 0-20); the three learners: one recent and one old read each.
    expect(course!.all).toEqual({ actions: 126 + 6, learners: 4, minutes: (126 + 6) * 15 });
    expect(course!.recent).toEqual({ actions: 126 + 3, learners: 4, minutes: (126 + 3) * 15 });
    const section0 = course!.parts.find((p) => p.id === 'section:0')!;
    expect(section0.all).toEqual({ actions: 21 + 6, learners: 4, minutes: 27 * 15 });
    expect(course!.parts.find((p) => p.id === 'section:1')!.all.learners).toBe(1);
    expect(course!.parts.map((p) => p.id)).toEqual(['section:0', 'section:1', 'section:2', 'section:3', 'section:4', 'section:5']);
    // Weeks where fewer than MIN_LEARNERS learned are left out of the chart's numbers.
    expect(MIN_LEARNERS).toBe(3);
    // The week of 13 October: Anna's 18 reads and the three learners' 3; the week of 1 September: their 3 old reads.
    // The weeks before, Anna read alone: not shown.
    expect(Object.fromEntries(course!.weeks)).toEqual({ '2025-10-13': 18 + 3, '2025-09-01': 3 });
  });

  it('an author who also wrote the sections sees one course, not the sections again', async () => {
    await putContent(store.db, 'section:1', { kind: 'section', title: 'Section 1', parent_id: 'course:st', url: null, authors: [{ member_id: seeded.author, share: 1 }] }, 'test');
    const courses = await authorActivity(store.db, seeded.author, { since: new Date(NOW.getTime() - 28 * DAY), weeksSince: new Date(NOW.getTime() - 84 * DAY), zone: ZONE });
    expect(courses.map((c) => c.id)).toEqual(['course:st']);
    expect(courses[0]!.parts.filter((p) => p.id === 'section:1')).toHaveLength(1);
  });

  it('shows the courses with figures, hides those of fewer than three learners, and the live earnings of the month', async () => {
    await recordPayment(store.db, { provider: 'test', provider_payment_id: 'p-anna', member: { member_id: seeded.member }, amount: 100_000, currency: 'RUB', period: '2025-10', occurred_at: '2025-10-02T10:00:00Z' }, 'test');
    const accrual = await authorAccrual(store.db, seeded.author, '2025-10');
    const rub = accrual.currencies.find((c) => c.currency === 'RUB')!;
    expect(rub.total).toBeGreaterThan(0);

    const vera = await signedIn(app, store.db, seeded.author);
    vera.jar.set('vk_lang', 'en');
    const page = await vera.get('/author');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2 id="course-0-h">Systems thinking</h2>');
    expect(page.text).not.toContain('Someone else’s course');
    expect(page.text).toMatch(/<th scope="row">Systems thinking <span class="muted">\(course\)<\/span><\/th><td class="num">129<\/td><td class="num">4<\/td>/);
    expect(page.text).toMatch(/<th scope="row">Section 0 <span class="muted">\(section\)<\/span><\/th><td class="num">/);
    expect(page.text).toMatch(/<th scope="row">Section 2 <span class="muted">\(section\)<\/span><\/th><td class="num muted" colspan="3">fewer than 3<\/td>/);
    expect(page.text).toContain('2025-10 so far (provisional');
    const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'RUB' }).format(rub.total / 100);
    expect(page.text).toContain(`<strong>${money}</strong>`);
    expect(page.text).toMatch(/<svg class="chart lines" id="author-chart"/);
    // No learner's name or number appears.
    for (const name of ['Anna Learner', 'Learner One', 'Learner Two', 'Learner Three']) expect(page.text).not.toContain(name);
    expect((await vera.get('/author', { 'accept-language': 'ru' })).status).toBe(200);
    vera.jar.set('vk_lang', 'ru');
    expect((await vera.get('/author')).text).toContain('Сколько приносят ваши материалы');
  });

  it('the open page polls its earnings, which follow a new payment at once', async () => {
    const vera = await signedIn(app, store.db, seeded.author);
    vera.jar.set('vk_lang', 'en');
    const page = await vera.get('/author');
    expect(page.text).toContain(`fetch('/author/earnings'`);
    expect(page.text).toContain(`}, ${EARNINGS_POLL_MS});`);
    const total = (text: string) => /<th scope="row">Total<\/th><td class="num"><strong>([^<]+)<\/strong>/.exec(text)?.[1];
    const before = await vera.get('/author/earnings');
    expect(before.status).toBe(200);
    expect(before.text).toMatch(/^<section id="earnings" /);
    expect(total(before.text)).toBe(total(page.text));
    // Boris pays for October and reads Vera's course: his money follows him to her.
    await recordPayment(store.db, { provider: 'test', provider_payment_id: 'p-boris', member: { member_id: seeded.other }, amount: 50_000, currency: 'RUB', period: '2025-10', occurred_at: '2025-10-03T10:00:00Z' }, 'test');
    await ingestEvents(store.db, [{ source: 'course', source_event_id: 'boris-reads', action: 'course.section.read', actor: { member_id: seeded.other }, occurred_at: '2025-10-14T10:00:00Z', object: 'section:3' }], { atomic: true, unknownIdentity: () => 'park' });
    const after = await vera.get('/author/earnings');
    const amount = (text: string) => Number(total(text)!.replace(/[^\d.]/g, ''));
    expect(amount(after.text)).toBeGreaterThan(amount(before.text));
    expect((await (await signedIn(app, store.db, seeded.member)).get('/author/earnings')).status).toBe(403);
  });

  it('an author without content is told so; a learner may not open the page', async () => {
    const boris = await signedIn(app, store.db, seeded.member);
    expect((await boris.get('/author')).status).toBe(403);
    const [newcomer] = await createMembers(store.db, [{ display_name: 'New Author', roles: ['author'] }], 'test');
    const browser = await signedIn(app, store.db, newcomer!);
    browser.jar.set('vk_lang', 'en');
    const page = await browser.get('/author');
    expect(page.text).toContain('No content lists you as an author yet.');
    expect(page.text).toContain('Nothing earned yet this month.');
  });
});
