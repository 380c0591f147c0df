import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getBalance } from '../../src/ledger/reads.ts';
import { renderTrail } from '../../src/scoring/index.ts';
import { createMembers, mergeMembers } from '../../src/store/members.ts';
import { memberAwards } from '../../src/store/awards.ts';
import { shownOnLeaderboards } from '../../src/web/data/preferences.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { signedIn, webApp } from './app.ts';
import { Browser } from './browser.ts';
import { NOW, type Seeded, seedCommunity } from './seed.ts';

describe.each(STORES)('member pages ($name)', (kind) => {
  let store: TestStore;
  let seeded: Seeded;
  let app: ReturnType<typeof webApp>;
  beforeAll(async () => {
    store = await kind.open();
    seeded = await seedCommunity(store.db);
  });
  afterAll(async () => store.destroy());
  beforeEach(() => {
    app = webApp(store.db, { now: () => NOW });
  });

  it('home shows points, level, streak, the week against the goal, a 12-week chart, badges and the reasons for recent points', async () => {
    const anna = await signedIn(app, store.db, seeded.member);
    const page = await anna.get('/', { 'accept-language': 'en' });
    expect(page.status).toBe(200);
    const available = await getBalance(store.db, `member:${seeded.member}:pts`);
    const pending = await getBalance(store.db, `member:${seeded.member}:pts:pending`);
    expect(page.text).toContain(`<p class="figure" id="available">${new Intl.NumberFormat('en-GB').format(available.available)}</p>`);
    expect(page.text).toContain(`<p class="figure" id="pending">${new Intl.NumberFormat('en-GB').format(pending.balance)}</p>`);
    expect(available.available + pending.balance).toBeGreaterThan(0);
    expect(page.text).toContain('id="level">Bronze<');
    // 21 days in a row, today included: the trail of today's awards says so.
    expect(page.text).toMatch(/id="streak">21</);
    expect(page.text).toMatch(/<svg class="chart" id="weeks-chart"[^>]*role="img"/);
    expect(page.text.match(/<g class="bar/g)).toHaveLength(12);
    expect(page.text).toContain('class="goal"');
    expect(page.text).toContain('A week in a row'); // the streak-7 badge
    expect(page.text).toMatch(/\d+(\.\d)? of 10 hours this week/);
    const [latest] = (await memberAwards(store.db, seeded.member, { limit: 1 })).awards;
    expect(page.text).toContain(renderTrail(latest!.trail, latest!.points, 'en'));
  });

  it('answers a wrong link with a page in the visitor’s language, and programs with JSON as before', async () => {
    const visitor = new Browser(app);
    const page = await visitor.get('/no-such-page', { accept: 'text/html,application/xhtml+xml', 'accept-language': 'ru' });
    expect(page.status).toBe(404);
    expect(page.text).toContain('<html lang="ru">');
    expect(page.text).toContain('Такой страницы здесь нет.');
    const program = await app.request('/no-such-page', { headers: { accept: 'application/json' } });
    expect(program.status).toBe(404);
    expect(program.headers.get('content-type')).toContain('application/problem+json');
    for (const path of ['/api/v1/nothing', '/xapi/nothing', '/hooks/nothing']) {
      const res = await app.request(path, { headers: { accept: 'text/html' } });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type') ?? '', path).not.toContain('text/html');
    }
  });

  it('switches language by the visible switch, remembering the choice for the member', async () => {
    const anna = await signedIn(app, store.db, seeded.member);
    await anna.get('/');
    const switched = await anna.post('/lang', { lang: 'en', back: '/rewards' });
    expect(switched.status).toBe(303);
    expect(switched.location).toBe('/rewards');
    const page = await anna.get('/rewards');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Catalogue');
    // A new browser of the same member starts in English.
    const again = await signedIn(app, store.db, seeded.member);
    expect((await again.get('/')).text).toContain('<html lang="en">');
    await again.post('/lang', { lang: 'ru', back: '/' });
    // Somewhere else the site is never redirected to.
    expect((await again.post('/lang', { lang: 'ru', back: '//evil.example/' })).location).toBe('/');
  });

  it('redeems a reward once however often the form is sent, shows the code, and refuses what the member cannot have', async () => {
    const anna = await signedIn(app, store.db, seeded.member);
    const before = await getBalance(store.db, `member:${seeded.member}:pts`);
    const shop = await anna.get('/rewards');
    const request = /action="\/rewards\/discount-20\/redeem">\s*<input type="hidden" name="_csrf" value="[^"]+"><input type="hidden" name="request" value="([^"]+)"/.exec(shop.text)![1]!;
    const first = await anna.post('/rewards/discount-20/redeem', { request });
    expect(first.status).toBe(303);
    const twice = await anna.post('/rewards/discount-20/redeem', { request });
    expect(twice.location).toBe(first.location);
    const done = await anna.get(first.location!);
    const code = /id="new-code">([^<]+)</.exec(done.text)![1]!;
    expect(done.text).toContain(`<span class="code">${code}</span>`);
    expect((await getBalance(store.db, `member:${seeded.member}:pts`)).available).toBe(before.available - 100);
    // Too dear: refused, nothing taken.
    const dear = await anna.post('/rewards/mentor-session/redeem', { request: 'aaaaaaaa-1111' });
    expect(dear.status).toBe(409);
    expect(dear.text).toContain('role="alert"');
    expect((await getBalance(store.db, `member:${seeded.member}:pts`)).available).toBe(before.available - 100);
    // Another member cannot see Anna's code, even knowing the redemption id.
    const boris = await signedIn(app, store.db, seeded.other);
    const peek = await boris.get(first.location!);
    expect(peek.text).not.toContain(code);
  });

  it('history lists every entry with the balance after it, pages back, and exports CSV', async () => {
    const anna = await signedIn(app, store.db, seeded.member);
    const page = await anna.get('/history');
    expect(page.status).toBe(200);
    const rows = [...page.text.matchAll(/<tr><td>[^<]+<\/td><td>[^<]+<\/td><td class="muted">[^<]*<\/td>\s*<td class="num[^"]*">([^<]+)<\/td><td class="num">([^<]+)<\/td><\/tr>/g)];
    expect(rows.length).toBeGreaterThan(0);
    const csv = await anna.get('/history.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('entry_id,at,transaction_id,code,cause,memo,amount,balance_after');
    expect(lines.length - 1).toBe(rows.length);
    // Oldest to newest, each balance is the previous plus the amount.
    const entries = lines.slice(1).map((l) => l.split(',')).reverse();
    let balance = 0;
    for (const e of entries) {
      balance += Number(e[6]);
      expect(Number(e[7])).toBe(balance);
    }
    const pending = await anna.get('/history?account=pending');
    expect(pending.text).toContain('aria-current="page">Ожидающие баллы');
  });

  it('shows each member only their own data', async () => {
    const boris = await signedIn(app, store.db, seeded.other);
    const anna = await signedIn(app, store.db, seeded.member);
    const annaCsv = (await anna.get('/history.csv')).text;
    const borisCsv = (await boris.get('/history.csv')).text;
    expect(borisCsv).not.toBe(annaCsv);
    for (const line of borisCsv.trim().split('\r\n').slice(1)) expect(annaCsv).not.toContain(line.split(',')[2]!);
    const home = await boris.get('/');
    expect(home.text).toContain('Boris Other');
    expect(home.text).not.toContain('Anna Learner');
  });

  it('follows a merge: a session of the member merged away now shows the member that remains', async () => {
    const [gone, kept] = await createMembers(store.db, [{ display_name: 'Old Account' }, { display_name: 'Kept Account' }], 'test');
    const browser = await signedIn(app, store.db, gone!);
    expect((await browser.get('/')).text).toContain('Old Account');
    await mergeMembers(store.db, gone!, kept!, 'test');
    const home = await browser.get('/');
    expect(home.text).toContain('Kept Account');
    expect(home.text).not.toContain('Old Account');
  });

  it('settings keep the language and the leaderboard choice', async () => {
    const vera = await signedIn(app, store.db, seeded.author);
    await vera.get('/settings');
    expect((await vera.get('/settings')).text).toMatch(/name="leaderboard_shown" value="1">/); // off until she chooses
    const saved = await vera.post('/settings', { language: 'en', leaderboard_shown: '1' });
    expect(saved.location).toBe('/settings?saved=1');
    const page = await vera.get('/settings?saved=1');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toMatch(/name="leaderboard_shown" value="1" checked/);
    const [row] = await store.db.query<{ leaderboard_shown: boolean; language: string }>('select leaderboard_shown, language from member_preferences where member_id = $1', [seeded.author]);
    expect(row).toEqual({ leaderboard_shown: true, language: 'en' });
    expect(await shownOnLeaderboards(store.db)).toEqual(new Set([seeded.member, seeded.author]));
    await vera.post('/settings', { language: 'ru' });
    expect(await shownOnLeaderboards(store.db)).toEqual(new Set([seeded.member]));
  });
});
