/** What the web page benchmarks share: the demo store with the app over it, signing in, timing requests. */
import { configFromEnv } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { createApp } from '../src/http/app.ts';
import { openStore } from '../src/open-store.ts';
import { issueLinkToken } from '../src/web/auth/tokens.ts';
import { webConfigFromEnv } from '../src/web/config.ts';

export const ADMIN_KEY = 'bench-admin-key-0123456789';

export interface DemoSite {
  db: Database;
  app: ReturnType<typeof createApp>;
  /** The demo's "now": just after its last event, so this week and the streaks are as the demo left them. */
  now: Date;
  events: number;
}

/** Opens the demo's store (`vklad demo --no-serve` first) and the app over it, in-process. */
export async function openDemoSite(): Promise<DemoSite> {
  const config = configFromEnv({ ...process.env, VKLAD_DATA_DIR: process.env.VKLAD_DATA_DIR || '.vklad/demo', VKLAD_ADMIN_KEY: ADMIN_KEY });
  const db = await openStore(config);
  const [{ n, last }] = (await db.query<{ n: number; last: Date }>('select count(*)::int as n, max(occurred_at) as last from events')) as [{ n: number; last: Date }];
  if (n === 0) throw new Error('No demo data: run `vklad demo --no-serve` with the same VKLAD_DATA_DIR first');
  const now = new Date(last.getTime() + 3_600_000);
  const app = createApp({ db, config, now: () => now, web: webConfigFromEnv({}) } as Parameters<typeof createApp>[0]);
  return { db, app, now, events: n };
}

/** Signs a member in by an e-mailed link, as a browser would; answers the session cookie and a CSRF token. */
export async function signIn({ db, app, now }: DemoSite, member: number): Promise<{ cookie: string; csrf: string }> {
  const token = await issueLinkToken(db, member, now, 60_000);
  const page = await app.request(`http://localhost/signin/link/${token}`);
  const visitor = page.headers.getSetCookie()[0]!.split(';')[0]!;
  const form = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const done = await app.request(`http://localhost/signin/link/${token}`, {
    method: 'POST',
    headers: { cookie: visitor, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: form }).toString(),
  });
  const cookie = done.headers.getSetCookie().find((c) => c.startsWith('vk_session='))!.split(';')[0]!;
  const home = await app.request('http://localhost/settings', { headers: { cookie } });
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1] ?? '' };
}

/** Server times of `count` GETs after `warmup` unmeasured ones, sorted; any answer but 200 stops the run. */
export async function measure({ app }: DemoSite, path: string, headers: Record<string, string>, count: number, warmup: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await (await app.request(`http://localhost${path}`, { headers })).text();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await app.request(`http://localhost${path}`, { headers });
    await res.text();
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  }
  return times.sort((a, b) => a - b);
}

export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
