import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser, type Page, chromium } from 'playwright-core';

/** Where the browser tests leave a screenshot of each main page. */
export const SHOTS = 'test-results/screenshots';
const AXE = 'node_modules/axe-core/axe.min.js';

/** Debian's Chromium, headless. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** Runs axe-core on the page; answers the serious and critical violations. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  // A string, so that this Node-side file needs no DOM types.
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) })))`)) as { id: string; impact: string; targets: string[] }[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`);
}

/**
 * Serves the app made for the server's own address (links and the forum's return address are built
 * from it) on a free local port.
 */
export async function serveOnFreePort(makeApp: (base: string) => { fetch: (request: Request) => Response | Promise<Response> }): Promise<{ base: string; close: () => Promise<void> }> {
  let app: ReturnType<typeof makeApp> | null = null;
  const server = serve({ fetch: (request) => app!.fetch(request), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app = makeApp(base);
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
