import { describe, expect, it } from 'vitest';
import { getBalance } from '../../src/ledger/reads.ts';
import { renderTrail } from '../../src/scoring/index.ts';
import { createMembers, mergeMembers } from '../../src/store/members.ts';
import { memberAwards } from '../../src/store/awards.ts';
import { shownOnLeaderboards } from '../../src/web/data/preferences.ts';
import { STORES } from '../helpers/stores.ts';
import { signedIn } from './app.ts';
import { seededSite } from './site.ts';
import { Browser } from './browser.ts';

describe.each(STORES)('member pages ($name)', (kind) => {
  const site = seededSite(kind);

  it('home shows points, level, streak, the week against the goal, a 12-week chart, badges and the reasons for recent points', async () => {
    const anna = await signedIn(site.app, site.store.db, site.seeded.member);
    const page = await anna.get('/', { 'accept-language': 'en' });
    expect(page.status).toBe(200);
    const available = await getBalance(site.store.db, `member:${site.seeded.member}:pts`);
    const pending = await getBalance(site.store.db, `member:${site.seeded.member}:pts:pending`);
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
    const [latest] = (await memberAwards(site.store.db, site.seeded.member, { limit: 1 })).awards;
    expect(page.text).toContain(renderTrail(latest!.trail, latest!.points, 'en'));
  });

  it('answers a wrong link with a page in the visitor’s language, and programs with JSON as before', async () => {
    const visitor = new Browser(site.app);
    const page = await visitor.get('/no-such-page', { accept: 'text/html,application/xhtml+xml', 'accept-language': 'ru' });
    expect(page.status).toBe(404);
    expect(page.text).toContain('<html lang="ru">');
    expect(page.text).toContain('Такой страницы здесь нет.');
    const program = await site.app.request('/no-such-page', { headers: { accept: 'application/json' } });
    expect(program.status).toBe(404);
    expect(program.headers.get('content-type')).toContain('application/problem+json');
    for (const path of ['/api/v1/nothing', '/xapi/nothing', '/hooks/nothing']) {
      const res = await site.app.request(path, { headers: { accept: 'text/html' } });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type') ?? '', path).not.toContain('text/html');
    }
  });

  it('switches language by the visible switch, remembering the choice for the member', async () => {
    const anna = await signedIn(site.app, site.store.db, site.seeded.member);
    await anna.get('/');
    const switched = await anna.post('/lang', { lang: 'en', back: '/rewards' });
    expect(switched.status).toBe(303);
    expect(switched.location).toBe('/rewards');
    const page = await anna.get('/rewards');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Catalogue');
    // A new browser of the same member starts in English.
    const again = await signedIn(site.app, site.store.db, site.seeded.member);
    expect((await again.get('/')).text).toContain('<html lang="en">');
    await again.post('/lang', { lang: 'ru', back: '/' });
    // Somewhere else the site is never redirected to.
    expect((await again.post('/lang', { lang: 'ru', back: '//evil.example/' })).location).toBe('/');
  });

  it('redeems a reward once however often the form is sent, shows the code, and refuses what the member cannot have', async () => {
    const anna = await signedIn(site.app, site.store.db, site.seeded.member);
    const before = await getBalance(site.store.db, `member:${site.seeded.member}:pts`);
    const shop = await anna.get('/rewards');
    const request = /action="\/rewards\/discount-20\/redeem">\s*<input type="hidden" name="_csrf" value="[^"]+"><input type="hidden" name="request" value="([^"]+)"/.exec(shop.text)![1]!;
    const first = await anna.post('/rewards/discount-20/redeem', { request });
    expect(first.status).toBe(303);
    const twice = await anna.post('/rewards/discount-20/redeem', { request });
    expect(twice.location).toBe(first.location);
    const done = await anna.get(first.location!);
    const code = /id="new-code">([^<]+)</.exec(done.text)![1]!;
    expect(done.text).toContain(`<span class="code">${code}</span>`);
    expect((await getBalance(site.store.db, `member:${site.seeded.member}:pts`)).available).toBe(before.available - 100);
    // Too dear: refused, nothing taken.
    const dear = await anna.post('/rewards/mentor-session/redeem', { request: 'aaaaaaaa-1111' });
    expect(dear.status).toBe(409);
    expect(dear.text).toContain('role="alert"');
    expect((await getBalance(site.store.db, `member:${site.seeded.member}:pts`)).available).toBe(before.available - 100);
    // Another member cannot see Anna's code, even knowing the redemption id.
    const boris = await signedIn(site.app, site.store.db, site.seeded.other);
    const peek = await boris.get(first.location!);
    expect(peek.text).not.toContain(code);
  });

  it('history lists every entry with the balance after it, pages back, and exports CSV', async () => {
    const anna = await signedIn(site.app, site.store.db, site.seeded.member);
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
    const boris = await signedIn(site.app, site.store.db, site.seeded.other);
    const anna = await signedIn(site.app, site.store.db, site.seeded.member);
    const annaCsv = (await anna.get('/history.csv')).text;
    const borisCsv = (await boris.get('/history.csv')).text;
    expect(borisCsv).not.toBe(annaCsv);
    for (const line of borisCsv.trim().split('\r\n').slice(1)) expect(annaCsv).not.toContain(line.split(',')[2]!);
    const home = await boris.get('/');
    expect(home.text).toContain('Boris Other');
    expect(home.text).not.toContain('Anna Learner');
  });

  it('follows a merge: a session of the member merged away now shows the member that remains', async () => {
    const [gone, kept] = await createMembers(site.store.db, [{ display_name: 'Old Account' }, { display_name: 'Kept Account' }], 'test');
    const browser = await signedIn(site.app, site.store.db, gone!);
    expect((await browser.get('/')).text).toContain('Old Account');
    await mergeMembers(site.store.db, gone!, kept!, 'test');
    const home = await browser.get('/');
    expect(home.text).toContain('Kept Account');
    expect(home.text).not.toContain('Old Account');
  });

  it('settings keep the language and the leaderboard choice', async () => {
    const vera = await signedIn(site.app, site.store.db, site.seeded.author);
    await vera.get('/settings');
    expect((await vera.get('/settings')).text).toMatch(/name="leaderboard_shown" value="1">/); // off until she chooses
    const saved = await vera.post('/settings', { language: 'en', leaderboard_shown: '1' });
    expect(saved.location).toBe('/settings?saved=1');
    const page = await vera.get('/settings?saved=1');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toMatch(/name="leaderboard_shown" value="1" checked/);
    const [row] = await site.store.db.query<{ leaderboard_shown: boolean; language: string }>('select leaderboard_shown, language from member_preferences where member_id = $1', [site.seeded.author]);
    expect(row).toEqual({ leaderboard_shown: true, language: 'en' });
    expect(await shownOnLeaderboards(site.store.db)).toEqual(new Set([site.seeded.member, site.seeded.author]));
    await vera.post('/settings', { language: 'ru' });
    expect(await shownOnLeaderboards(site.store.db)).toEqual(new Set([site.seeded.member]));
  });
});
