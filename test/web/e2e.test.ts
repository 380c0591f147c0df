import type { Browser as Chromium, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { SHOTS, accessibilityProblems, launchChromium, serveOnFreePort } from './chromium.ts';
import { CapturingMailer, SECRET, webApp } from './app.ts';
import { FakeDiscourse } from './fake-discourse.ts';
import { NOW, type Seeded, seedCommunity } from './seed.ts';

const pglite = STORES.find((s) => s.name === 'pglite')!;

describe('the site in a browser (headless Chromium, PGlite)', () => {
  let store: TestStore;
  let seeded: Seeded;
  let browser: Chromium;
  let server: { base: string; close: () => Promise<void> };
  let base = '';
  const forum = new FakeDiscourse(SECRET);
  const mailer = new CapturingMailer();

  beforeAll(async () => {
    store = await pglite.open();
    seeded = await seedCommunity(store.db);
    await forum.start();
    server = await serveOnFreePort((url) => webApp(store.db, { now: () => NOW, forumUrl: forum.url, mailer, web: { publicUrl: url } }));
    base = server.base;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await forum.stop();
    await store.destroy();
  });

  it('a member signs in through the forum, sees the week and why, redeems a reward, switches language', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    forum.user = { external_id: 'f-anna', username: 'anna' };

    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/sign-in.png`, fullPage: true });
    // Keyboard: the first Tab reaches the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(`document.activeElement && document.activeElement.getAttribute('href')`)).toBe('#main');

    await page.getByRole('link', { name: 'Sign in with the forum' }).click();
    await page.waitForURL(`${base}/`);
    await expect.poll(() => page.locator('h1').textContent()).toContain('Anna Learner');
    expect(await page.locator('#weeks-chart').isVisible()).toBe(true);
    expect(await page.locator('#weeks-chart rect').count()).toBe(12);
    expect(await page.locator('td.why').first().textContent()).toMatch(/^base \d+.* = \d+$/);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/member-home.png`, fullPage: true });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rewards' }).click();
    await page.getByRole('button', { name: 'Redeem for 100 points' }).click();
    await page.waitForURL(/\/rewards\?done=/);
    const code = await page.locator('#new-code').textContent();
    expect(code).toMatch(/\S{6,}/);
    expect(await page.locator('td .code').first().textContent()).toBe(code);
    expect(await page.getByRole('button', { name: 'Redeem for 1,000,000 points' }).isDisabled()).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/rewards.png`, fullPage: true });

    await page.getByRole('link', { name: 'History' }).click();
    expect(await page.locator('#ledger tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#ledger').textContent()).toContain('Spent on a reward');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/history.png`, fullPage: true });

    await page.getByRole('button', { name: 'Русский' }).click();
    await page.waitForLoadState();
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    expect(await page.locator('h1').textContent()).toBe('История');
    expect(await page.locator('#ledger').textContent()).toContain('Потрачено на награду');
    await page.getByRole('link', { name: 'Моя неделя' }).click();
    expect(await page.locator('td.why').first().textContent()).toMatch(/^база \d+.* = \d+$/);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/member-home-ru.png`, fullPage: true });

    await page.getByRole('link', { name: 'Настройки' }).click();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/settings.png`, fullPage: true });
    await context.close();
  });

  it('a member signs in by a link sent by e-mail', async () => {
    const context = await browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${base}/signin`);
    await page.getByLabel('Адрес электронной почты').fill('boris@example.org');
    await page.getByRole('button', { name: 'Прислать ссылку' }).click();
    await page.waitForLoadState();
    expect(mailer.sent.at(-1)?.to).toBe('boris@example.org');
    await page.goto(mailer.sent.at(-1)!.link);
    await page.getByRole('button', { name: 'Войти' }).first().click();
    await page.waitForURL(`${base}/`);
    expect(await page.locator('h1').textContent()).toContain('Boris Other');
    expect(seeded.other).toBeGreaterThan(0);
    await context.close();
  });
});
