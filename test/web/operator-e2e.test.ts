import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser as Chromium, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBalance } from '../../src/ledger/reads.ts';
import { issueLinkToken } from '../../src/web/auth/tokens.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { webApp } from './app.ts';
import { candidatePolicy } from './operator-fixtures.ts';
import { NOW, type Seeded, seedCommunity } from './seed.ts';

const SHOTS = 'test-results/screenshots';
const AXE = 'node_modules/axe-core/axe.min.js';

/** Runs axe-core on the page; answers the serious and critical violations. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) })))`)) as { id: string; impact: string; targets: string[] }[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`);
}

const pglite = STORES.find((s) => s.name === 'pglite')!;

describe('the operator in a browser (headless Chromium, PGlite)', () => {
  let store: TestStore;
  let seeded: Seeded;
  let browser: Chromium;
  let server: ReturnType<typeof serve>;
  let base = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    store = await pglite.open();
    seeded = await seedCommunity(store.db);
    let app: ReturnType<typeof webApp> | null = null;
    server = serve({ fetch: (request) => app!.fetch(request), port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    app = webApp(store.db, { now: () => NOW, web: { publicUrl: base } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.destroy();
  });

  /** A browser page signed in as the operator by an e-mailed link. */
  async function operatorPage(locale = 'en-GB'): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const token = await issueLinkToken(store.db, seeded.operator, NOW, 60_000);
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
});
