/**
 * Member home server time with a year of demo data: GET / for signed-in members, measured
 * in-process (no network), against two baselines in the same run: GET /healthz and the awards
 * API. Needs the demo community first (`vklad demo --no-serve`).
 *   VKLAD_DATA_DIR=.vklad/demo npx tsx bench/member-home.ts [requests per member]
 */
import { configFromEnv } from '../src/config.ts';
import { createApp } from '../src/http/app.ts';
import { openStore } from '../src/open-store.ts';
import { issueLinkToken } from '../src/web/auth/tokens.ts';
import { webConfigFromEnv } from '../src/web/config.ts';
import { prepareDemoSite } from '../src/web/demo.ts';

const requests = Number(process.argv[2] ?? 200);
const KEY = 'bench-admin-key-0123456789';
const config = configFromEnv({ ...process.env, VKLAD_DATA_DIR: process.env.VKLAD_DATA_DIR || '.vklad/demo', VKLAD_ADMIN_KEY: KEY });
const db = await openStore(config);
const [{ n }] = (await db.query<{ n: number }>('select count(*)::int as n from events')) as [{ n: number }];
if (n === 0) throw new Error('No demo data: run `vklad demo --no-serve` with the same VKLAD_DATA_DIR first');

// The demo's "now": the last event, so that this week and the streak are as the demo left them.
const [{ last }] = (await db.query<{ last: Date }>('select max(occurred_at) as last from events')) as [{ last: Date }];
const now = new Date(last.getTime() + 3_600_000);
const app = createApp({ db, config, now: () => now, web: webConfigFromEnv({}) } as Parameters<typeof createApp>[0]);

const accounts = await db.query<{ address: string; balance: number }>(
  `select address, balance from accounts where address ~ '^member:[0-9]+:pts$' and balance > 0 order by balance desc`,
);
const idOf = (address: string) => Number(address.split(':')[1]);
const [busiest] = await db.query<{ member_id: number }>('select member_id from awards group by member_id order by count(*) desc limit 1');
const members = [
  { who: 'most awards', id: Number(busiest!.member_id) },
  { who: 'most points', id: idOf(accounts[0]!.address) },
  { who: 'median', id: idOf(accounts[Math.floor(accounts.length / 2)]!.address) },
  { who: 'quiet', id: idOf(accounts.at(-1)!.address) },
];
await prepareDemoSite(db, { url: 'http://localhost', now });

async function cookieFor(member: number): Promise<string> {
  const token = await issueLinkToken(db, member, now, 60_000);
  const page = await app.request(`http://localhost/signin/link/${token}`);
  const visitor = page.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const done = await app.request(`http://localhost/signin/link/${token}`, {
    method: 'POST',
    headers: { cookie: visitor, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf }).toString(),
  });
  return done.headers.getSetCookie().find((c) => c.startsWith('vk_session='))!.split(';')[0]!;
}

async function measure(path: string, headers: Record<string, string>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await (await app.request(`http://localhost${path}`, { headers })).text();
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const res = await app.request(`http://localhost${path}`, { headers });
    await res.text();
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  }
  return times.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const row = (label: string, t: number[]) =>
  console.log(`${label.padEnd(56)} p50 ${pct(t, 50).toFixed(1).padStart(6)} ms   p95 ${pct(t, 95).toFixed(1).padStart(6)} ms   max ${t.at(-1)!.toFixed(1).padStart(6)} ms`);

console.log(`${db.engine}, ${n.toLocaleString('en')} events; ${requests} requests each after 20 to warm up; in-process (server time)`);
row('GET /healthz (baseline)', await measure('/healthz', {}));
for (const m of members) {
  const [{ awards }] = (await db.query<{ awards: number }>('select count(*)::int as awards from awards where member_id = $1', [m.id])) as [{ awards: number }];
  const label = `${m.who} (#${m.id}, ${awards.toLocaleString('en')} awards)`;
  row(`GET /api/v1/members/:id/awards, ${m.who}`, await measure(`/api/v1/members/${m.id}/awards?limit=10`, { authorization: `Bearer ${KEY}` }));
  row(`GET / member home, ${label}`, await measure('/', { cookie: await cookieFor(m.id) }));
}
await db.close();
