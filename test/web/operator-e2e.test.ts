import type { Browser as Chromium, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBalance } from '../../src/ledger/reads.ts';
import { recordDelivery } from '../../src/sources/deliveries.ts';
import { registerSource } from '../../src/sources/registry.ts';
import { recordPayment } from '../../src/payments/record.ts';
import { putContent } from '../../src/store/content.ts';
import { EARNINGS_POLL_MS } from '../../src/web/pages/author/home.ts';
import { issueLinkToken } from '../../src/web/auth/tokens.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { SHOTS, accessibilityProblems, launchChromium, serveOnFreePort } from './chromium.ts';
import { webApp } from './app.ts';
import { candidatePolicy } from './operator-fixtures.ts';
import { NOW, type Seeded, seedCommunity } from './seed.ts';

const pglite = STORES.find((s) => s.name === 'pglite')!;

describe('the operator in a browser (headless Chromium, PGlite)', () => {
  let store: TestStore;
  let seeded: Seeded;
  let browser: Chromium;
  let server: { base: string; close: () => Promise<void> };
  let base = '';

  beforeAll(async () => {
    store = await pglite.open();
    seeded = await seedCommunity(store.db);
    await putContent(store.db, 'course:st', { kind: 'course', title: 'Systems thinking', parent_id: null, url: null, authors: [{ member_id: seeded.author, share: 1 }] }, 'test');
    for (const n of [0, 1, 2, 3, 4, 5]) await putContent(store.db, `section:${n}`, { kind: 'section', title: `Section ${n + 1}`, parent_id: 'course:st', url: null, authors: [] }, 'test');
    await registerSource(store.db, { name: 'lms', kind: 'signed' }, 'test');
    await recordDelivery(store.db, 'lms', { status: 'accepted', events: 12, at: NOW });
    await recordDelivery(store.db, 'lms', { status: 'rejected', reason: 'events[3].action: is not in the catalogue', at: NOW });
    server = await serveOnFreePort((url) => webApp(store.db, { now: () => NOW, web: { publicUrl: url } }));
    base = server.base;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store.destroy();
  });

  /** A browser page signed in (as the operator unless told) by an e-mailed link. */
  async function operatorPage(locale = 'en-GB', member = seeded.operator): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const token = await issueLinkToken(store.db, member, NOW, 60_000);
    await page.goto(`${base}/signin/link/${token}`);
    await page.locator('main').getByRole('button').first().click();
    await page.waitForURL(`${base}/`);
    return page;
  }

  async function check(page: Page, shot: string): Promise<void> {
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/${shot}.png`, fullPage: true });
  }

  it('an operator runs a what-if on a new policy and sees who gains and who loses, by kind and role', async () => {
    const page = await operatorPage();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operator' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Operator');
    await check(page, 'operator-hub');

    await page.getByRole('link', { name: 'Scoring policy' }).click();
    expect(await page.locator('#versions tbody tr').count()).toBe(1);
    await page.getByLabel('Policy text').fill(candidatePolicy('2025-10-e2e', '2025-09-01'));
    await check(page, 'operator-policies');
    await page.getByRole('button', { name: 'Compare on the whole history' }).click();
    await page.waitForURL(`${base}/operator/policies/what-if`);
    expect(await page.locator('h1').textContent()).toBe('What version 2025-10-e2e would change');
    expect(await page.locator('#kind-chart').isVisible()).toBe(true);
    expect(await page.locator('#role-chart').isVisible()).toBe(true);
    expect(await page.locator('#moves-chart .gain').count()).toBeGreaterThan(0);
    expect(await page.locator('#by-kind tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#gainers').textContent()).toContain('Boris Other');
    expect(await page.getByRole('button', { name: 'Adopt version 2025-10-e2e' }).isVisible()).toBe(true);
    await check(page, 'operator-what-if');
    await page.context().close();
  });

  it('an operator corrects a balance: the missing reason is shown at its field, then the adjustment is posted and logged', async () => {
    const page = await operatorPage();
    const before = (await getBalance(store.db, `member:${seeded.member}:pts`)).balance;
    await page.goto(`${base}/operator/members`);
    await page.getByLabel('Find by number, name or identity').fill('Anna');
    await page.getByRole('button', { name: 'Find' }).click();
    await check(page, 'operator-members');
    await page.getByRole('link', { name: 'Anna Learner' }).click();
    await page.getByLabel('Points (negative to take away)').fill('40');
    // The browser itself asks for the reason; without that check, the server refuses it by the field.
    await page.locator('#adjust-reason').evaluate((el) => el.removeAttribute('required'));
    await page.getByRole('button', { name: 'Post the adjustment' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#adjust-reason-error').textContent()).toBe('This is required.');
    expect(await page.locator('#adjust-reason').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Points (negative to take away)').inputValue()).toBe('40');
    await check(page, 'operator-adjust-refused');

    await page.getByLabel('Reason', { exact: true }).fill('Posts lost in the forum outage of 3 October');
    await page.getByRole('button', { name: 'Post the adjustment' }).click();
    await page.waitForURL(/done=adjusted/);
    expect(await page.getByRole('status').textContent()).toBe('The adjustment was posted.');
    expect(await page.locator('#available').textContent()).toBe(new Intl.NumberFormat('en-GB').format(before + 40));
    expect(await page.locator('table.audit').textContent()).toContain('Posts lost in the forum outage of 3 October');
    expect((await getBalance(store.db, `member:${seeded.member}:pts`)).balance).toBe(before + 40);
    await check(page, 'operator-member');

    await page.goto(`${base}/operator/audit`);
    expect(await page.locator('table.audit').textContent()).toContain('ledger.adjust');
    await check(page, 'operator-audit');
    await page.context().close();
  });

  it('the catalogue, content, rewards, sources and analytics pages, in English and Russian', async () => {
    const page = await operatorPage();
    await page.goto(`${base}/operator/catalogue`);
    expect(await page.locator('#catalogue tbody tr').count()).toBeGreaterThan(10);
    await page.getByLabel('Key', { exact: true }).fill('Wiki Page');
    await page.getByLabel('Role').fill('student');
    await page.getByLabel('Minutes').fill('25');
    await page.getByLabel('Title in English').fill('Edited a wiki page');
    await page.getByLabel('Title in Russian').fill('Правил страницу вики');
    await page.getByRole('button', { name: 'Save the action type' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#action-key-error').textContent()).toContain('must be dotted lowercase words');
    await check(page, 'operator-catalogue-refused');
    await page.getByLabel('Key', { exact: true }).fill('wiki.page.edited');
    await page.getByRole('button', { name: 'Save the action type' }).click();
    await page.waitForURL(/saved=wiki.page.edited/);
    await check(page, 'operator-catalogue');

    await page.goto(`${base}/operator/content?parent=course%3Ast`);
    expect(await page.locator('#content tbody tr').count()).toBe(6);
    await check(page, 'operator-content');
    await page.goto(`${base}/operator/rewards`);
    await check(page, 'operator-rewards');
    await page.goto(`${base}/operator/sources`);
    expect(await page.locator('.rejects').textContent()).toContain('is not in the catalogue');
    await check(page, 'operator-sources');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
    await page.getByLabel('Measure').selectOption('hours');
    await page.getByLabel('By', { exact: true }).selectOption('tag');
    await page.getByLabel('Per', { exact: true }).selectOption('day');
    await page.getByLabel('From').fill('2025-09-22');
    await page.getByLabel('To (not included)').fill('2025-10-16');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/cut=tag/);
    expect(await page.locator('#analytics-chart polyline').count()).toBe(4);
    expect(await page.locator('#analytics-table tbody tr').count()).toBe(24);
    await check(page, 'operator-analytics');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('vklad-tag-day-2025-09-22-2025-10-16.csv');

    await page.getByRole('button', { name: 'Русский' }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).toBe('Аналитика');
    await check(page, 'operator-analytics-ru');
    await page.context().close();
  });

  it('an author sees their course; anyone sees the leaderboard', async () => {
    const page = await operatorPage('ru-RU', seeded.author);
    await page.getByRole('link', { name: 'Мои материалы' }).click();
    expect(await page.locator('#course-0-h').textContent()).toBe('Systems thinking');
    expect(await page.locator('#author-chart').isVisible()).toBe(true);
    await check(page, 'author');
    // The open page follows the money: Anna pays for October, and the earnings update by themselves.
    const earnings = async () => (await page.locator('#earnings').textContent()) ?? '';
    const shown = await earnings();
    await recordPayment(store.db, { provider: 'test', provider_payment_id: 'e2e-anna', member: { member_id: seeded.member }, amount: 120_000, currency: 'RUB', period: '2025-10', occurred_at: '2025-10-02T10:00:00Z' }, 'test');
    await expect.poll(earnings, { timeout: EARNINGS_POLL_MS * 3, interval: 500 }).not.toBe(shown);
    await page.getByRole('link', { name: 'Лидеры' }).click();
    expect(await page.locator('#leaders tbody tr').count()).toBeGreaterThan(0);
    await check(page, 'leaderboard-ru');
    await page.context().close();

    const visitor = await (await browser.newContext({ locale: 'en-GB', viewport: { width: 1100, height: 900 } })).newPage();
    await visitor.goto(`${base}/leaderboard?period=all`);
    expect(await visitor.locator('#leaders tbody tr').first().textContent()).toContain('Anna Learner');
    await check(visitor, 'leaderboard');
    await visitor.context().close();
  });
});
