import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { CapturingMailer, SECRET, webApp } from './app.ts';
import { Browser } from './browser.ts';
import { FakeDiscourse } from './fake-discourse.ts';
import { NOW, type Seeded, seedCommunity } from './seed.ts';

const forum = new FakeDiscourse(SECRET);
beforeAll(async () => void (await forum.start()));
afterAll(async () => forum.stop());

/** Follows the app's redirect to the fake forum and the forum's redirect back into the app. */
async function throughForum(browser: Browser, start = '/signin/forum') {
  const out = await browser.get(start);
  expect(out.status).toBe(303);
  const back = forum.answer(new URL(out.location!));
  return back.location ? browser.get(back.location) : null;
}

describe.each(STORES)('signing in ($name)', (kind) => {
  let store: TestStore;
  let seeded: Seeded;
  let now: Date;
  let mailer: CapturingMailer;
  let browser: Browser;
  let app: ReturnType<typeof webApp>;
  beforeAll(async () => {
    store = await kind.open();
    seeded = await seedCommunity(store.db);
  });
  afterAll(async () => store.destroy());
  beforeEach(() => {
    now = NOW;
    mailer = new CapturingMailer();
    app = webApp(store.db, { now: () => now, forumUrl: forum.url, mailer });
    browser = new Browser(app);
    forum.user = null;
  });

  it('sends visitors who are not signed in to the sign-in page, remembering where they were going', async () => {
    const home = await browser.get('/');
    expect(home.status).toBe(303);
    expect(home.location).toBe('/signin?next=%2F');
    const page = await browser.get('/signin?next=%2F');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/signin/forum?next=%2F"');
  });

  it('signs a member in through the forum: signed nonce out, signed identity back, a new session cookie', async () => {
    await browser.visit();
    const visitorCookie = browser.jar.get('vk_session');
    forum.user = { external_id: 'f-anna', username: 'anna' };
    const out = await browser.get('/signin/forum?next=%2Frewards');
    const target = new URL(out.location!);
    expect(`${target.origin}${target.pathname}`).toBe(`${forum.url}/session/sso_provider`);
    const back = forum.answer(target);
    const request = forum.requests.at(-1)!;
    expect(request.get('return_sso_url')).toBe('http://localhost/signin/forum/return?next=%2Frewards');
    expect(request.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const arrived = await browser.get(back.location!);
    expect(arrived.status).toBe(303);
    expect(arrived.location).toBe('/rewards');
    const cookie = arrived.cookies.find((c) => c.startsWith('vk_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    expect(browser.jar.get('vk_session')).not.toBe(visitorCookie);
    const home = await browser.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Anna Learner');
    // The same answer again is refused: the nonce was used.
    const replay = await browser.get(back.location!);
    expect(replay.status).toBe(400);
  });

  it('refuses a forged, tampered, foreign or expired answer', async () => {
    await browser.visit();
    forum.user = { external_id: 'f-anna' };
    const out = await browser.get('/signin/forum');
    const nonce = new URLSearchParams(Buffer.from(new URL(out.location!).searchParams.get('sso')!, 'base64').toString()).get('nonce')!;
    const returnTo = 'http://localhost/signin/forum/return?next=%2F';
    const forged = forum.returnUrl(returnTo, { nonce, external_id: 'f-oleg' }, 'some-other-secret');
    expect((await browser.get(forged)).status).toBe(400);
    const honest = new URL(forum.returnUrl(returnTo, { nonce, external_id: 'f-anna' }));
    const tampered = new URL(honest);
    tampered.searchParams.set('sso', Buffer.from(Buffer.from(honest.searchParams.get('sso')!, 'base64').toString().replace('f-anna', 'f-oleg')).toString('base64'));
    expect((await browser.get(tampered.toString())).status).toBe(400);
    // Another browser cannot use this browser's nonce (a sign-in link planted on a victim).
    const stranger = new Browser(app);
    expect((await stranger.get(honest.toString())).status).toBe(400);
    now = new Date(NOW.getTime() + 16 * 60_000);
    expect((await browser.get(honest.toString())).status).toBe(400);
    now = NOW;
    expect((await browser.get(honest.toString())).status).toBe(303);
  });

  it('makes a member of a forum user Vklad has not met, unless their identities are parked', async () => {
    await browser.visit();
    forum.user = { external_id: 'f-new', name: 'Nina New' };
    expect((await throughForum(browser))!.status).toBe(303);
    expect((await browser.get('/')).text).toContain('Nina New');
    const parking = new Browser(webApp(store.db, { now: () => now, forumUrl: forum.url, config: { unknownIdentity: () => 'park' } }));
    await parking.visit();
    forum.user = { external_id: 'f-stranger' };
    expect((await throughForum(parking))!.status).toBe(403);
  });

  it('signs in by an e-mailed link that works once, for a short time, confirmed by a button', async () => {
    await browser.visit();
    const asked = await browser.post('/signin/email', { address: ' Anna@Example.org ' });
    expect(asked.status).toBe(200);
    expect(mailer.sent).toHaveLength(1);
    const link = new URL(mailer.sent[0]!.link);
    expect(mailer.sent[0]!.to).toBe('anna@example.org');
    const confirm = await browser.get(link.pathname);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`action="${link.pathname}"`);
    const done = await browser.post(link.pathname);
    expect(done.status).toBe(303);
    expect((await browser.get('/')).text).toContain('Anna Learner');
    expect((await new Browser(app).get(link.pathname)).status).toBe(400);

    // An unknown address gets the same answer and no mail.
    const main = (text: string) => text.slice(text.indexOf('<main'), text.indexOf('</main>'));
    const known = new Browser(app);
    await known.visit();
    const unknown = new Browser(app);
    await unknown.visit();
    expect(main((await unknown.post('/signin/email', { address: 'nobody@example.org' })).text)).toBe(main((await known.post('/signin/email', { address: 'vera@example.org' })).text));
    expect(mailer.sent.map((m) => m.to)).toEqual(['anna@example.org', 'vera@example.org']);

    await browser.post('/signin/email', { address: 'boris@example.org' });
    now = new Date(NOW.getTime() + 15 * 60_000 + 1);
    expect((await browser.get(new URL(mailer.sent[2]!.link).pathname)).status).toBe(400);
  });

  it('says which field is wrong, and limits attempts per address and per client', async () => {
    await browser.visit();
    const bad = await browser.post('/signin/email', { address: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('name@example.org');
    for (let i = 0; i < 5; i++) expect((await browser.post('/signin/email', { address: 'anna@example.org' })).status).toBe(200);
    expect((await browser.post('/signin/email', { address: 'anna@example.org' })).status).toBe(429);
    expect(mailer.sent).toHaveLength(5);
    expect((await browser.post('/signin/email', { address: 'boris@example.org' })).status).toBe(200);
    // The window passes.
    now = new Date(NOW.getTime() + 16 * 60_000);
    expect((await browser.post('/signin/email', { address: 'anna@example.org' })).status).toBe(200);
    // Per client address: 30 in a window, whatever the e-mail address.
    now = new Date(NOW.getTime() + 60 * 60_000);
    for (let i = 0; i < 30; i++) await browser.post('/signin/email', { address: `x${i}@example.org` });
    expect((await browser.post('/signin/email', { address: 'vera@example.org' })).status).toBe(429);
  });

  it('limits starting forum sign-ins per client address too', async () => {
    await browser.visit();
    for (let i = 0; i < 30; i++) expect((await browser.get('/signin/forum')).status).toBe(303);
    expect((await browser.get('/signin/forum')).status).toBe(429);
  });

  it('marks cookies Secure when the public URL is https', async () => {
    const secure = new Browser(webApp(store.db, { now: () => now, web: { publicUrl: 'https://vklad.example.org' } }), 'https://vklad.example.org');
    const page = await secure.visit();
    expect(page.cookies.find((c) => c.startsWith('vk_session='))).toMatch(/; Secure/);
  });

  it('refuses every form without the CSRF token of this browser', async () => {
    await browser.visit();
    expect((await browser.post('/signin/email', { address: 'anna@example.org' }, { csrf: null })).status).toBe(403);
    const other = new Browser(app);
    await other.visit();
    expect((await browser.post('/signin/email', { address: 'anna@example.org' }, { csrf: other.csrf })).status).toBe(403);
    expect(mailer.sent).toHaveLength(0);
  });

  it('signs out: the session ends on the server, not only in the browser', async () => {
    await browser.visit();
    forum.user = { external_id: 'f-anna' };
    await throughForum(browser);
    await browser.get('/');
    const cookie = browser.jar.get('vk_session')!;
    expect((await browser.post('/signout')).status).toBe(303);
    const replayed = await app.request('http://localhost/', { headers: { cookie: `vk_session=${cookie}` } });
    expect(replayed.status).toBe(303);
    expect(seeded.member).toBeGreaterThan(0);
  });
});
