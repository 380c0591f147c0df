/**
 * Server time of the operator, author and public pages with a year of demo data, in-process.
 * Needs the demo community first (`vklad demo --no-serve`).
 *   VKLAD_DATA_DIR=.vklad/demo npx tsx bench/web-operator.ts [requests per page]
 */
import { readFileSync } from 'node:fs';
import { configFromEnv } from '../src/config.ts';
import { createApp } from '../src/http/app.ts';
import { openStore } from '../src/open-store.ts';
import { issueLinkToken } from '../src/web/auth/tokens.ts';
import { webConfigFromEnv } from '../src/web/config.ts';
import { standings } from '../src/web/pages/public/standings.ts';

const requests = Number(process.argv[2] ?? 20);
const config = configFromEnv({ ...process.env, VKLAD_DATA_DIR: process.env.VKLAD_DATA_DIR || '.vklad/demo', VKLAD_ADMIN_KEY: 'bench-admin-key-0123456789' });
const db = await openStore(config);
const [{ n, awards }] = (await db.query<{ n: number; awards: number }>('select (select count(*)::int from events) as n, (select count(*)::int from awards) as awards')) as [{ n: number; awards: number }];
if (n === 0) throw new Error('No demo data: run `vklad demo --no-serve` with the same VKLAD_DATA_DIR first');
const [{ last }] = (await db.query<{ last: Date }>('select max(occurred_at) as last from events')) as [{ last: Date }];
const now = new Date(last.getTime() + 3_600_000);
const app = createApp({ db, config, now: () => now, web: webConfigFromEnv({}) } as Parameters<typeof createApp>[0]);

const [operator] = await db.query<{ id: number }>(`select id from members where 'operator' = any(roles) and merged_into is null order by id limit 1`);
const [author] = await db.query<{ id: number }>('select member_id as id from content_authors group by member_id order by count(*) desc, member_id limit 1');
if (!operator || !author) throw new Error('The demo needs an operator and an author');
await db.query(`update members set roles = array_append(roles, 'operator') where id = $1 and not 'operator' = any(roles)`, [operator.id]);

async function signIn(member: number): Promise<{ cookie: string; csrf: string }> {
  const token = await issueLinkToken(db, member, now, 60_000);
  const page = await app.request(`http://localhost/signin/link/${token}`);
  const visitor = page.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const done = await app.request(`http://localhost/signin/link/${token}`, {
    method: 'POST',
    headers: { cookie: visitor, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf }).toString(),
  });
  const cookie = done.headers.getSetCookie().find((c) => c.startsWith('vk_session='))!.split(';')[0]!;
  const home = await app.request('http://localhost/operator', { headers: { cookie } });
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1] ?? '' };
}

async function measure(path: string, headers: Record<string, string>, count = requests): Promise<number[]> {
  for (let i = 0; i < 3; i++) await (await app.request(`http://localhost${path}`, { headers })).text();
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

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const row = (label: string, t: number[]) =>
  console.log(`${label.padEnd(64)} p50 ${pct(t, 50).toFixed(1).padStart(7)} ms   p95 ${pct(t, 95).toFixed(1).padStart(7)} ms`);

const ops = await signIn(operator.id);
const own = await signIn(author.id);
const yearAgo = new Date(now.getTime() - 365 * 86_400_000).toISOString().slice(0, 10);
const tomorrow = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
console.log(`${db.engine}, ${n.toLocaleString('en')} events, ${awards.toLocaleString('en')} awards; ${requests} requests each after 3 to warm up; in-process (server time)`);
const h = { cookie: ops.cookie };
/** The first view of a question computes it; views after that (until the data changes) reuse the answer. */
async function firstView(path: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < Math.min(requests, 3); i++) {
    // A catalogue edit changes what answers read: the next view computes again.
    await db.query(`update action_types set updated_at = now() + make_interval(secs => $1) where key = 'course.section.read'`, [i + 1]);
    const started = performance.now();
    const res = await app.request(`http://localhost${path}`, { headers: h });
    await res.text();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}
row('GET /operator/analytics (12 weeks by kind), first view', await firstView('/operator/analytics'));
row('GET /operator/analytics, a year by week, by tag, first view', await firstView(`/operator/analytics?measure=points&cut=tag&grain=week&from=${yearAgo}&to=${tomorrow}`));
row('GET /operator/analytics (12 weeks by kind)', await measure('/operator/analytics', h));
for (const cut of ['kind', 'tag', 'course', 'source']) {
  row(`GET /operator/analytics, a year by week, by ${cut}, points`, await measure(`/operator/analytics?measure=points&cut=${cut}&grain=week&from=${yearAgo}&to=${tomorrow}`, h));
}
row('GET /operator/analytics, a year by day, by action', await measure(`/operator/analytics?cut=action&grain=day&from=${yearAgo}&to=${tomorrow}`, h));
row('GET /operator/analytics.csv, a year by day, by tag', await measure(`/operator/analytics.csv?cut=tag&grain=day&from=${yearAgo}&to=${tomorrow}`, h));
row('GET /operator/members?q=a', await measure('/operator/members?q=a', h));
row(`GET /operator/members/${author.id}`, await measure(`/operator/members/${author.id}`, h));
row('GET /operator/sources', await measure('/operator/sources', h));
row('GET /operator/audit', await measure('/operator/audit', h));
row(`GET /author (#${author.id}, the author of most content)`, await measure('/author', { cookie: own.cookie }));
for (const period of ['week', 'month', 'all'] as const) {
  const times: number[] = [];
  for (let i = 0; i < Math.min(requests, 5); i++) {
    const started = performance.now();
    await standings(db, period, 'all', new Date(now.getTime() + (i + 1) * 60_000), 'Europe/Moscow');
    times.push(performance.now() - started);
  }
  row(`leaderboard sums, ${period}, not cached`, times.sort((a, b) => a - b));
}
row('GET /leaderboard?period=all (cached sums)', await measure('/leaderboard?period=all', {}));

const policy = readFileSync(new URL('../policies/default.yaml', import.meta.url), 'utf8').replace(/^version: .*$/m, 'version: "bench"').replace(/^effective_from: .*$/m, 'effective_from: 2030-01-01');
const started = performance.now();
const whatIf = await app.request('http://localhost/operator/policies/what-if', {
  method: 'POST',
  headers: { cookie: ops.cookie, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ _csrf: ops.csrf, text: policy }).toString(),
});
await whatIf.text();
console.log(`POST /operator/policies/what-if (replays the whole history twice)             ${(performance.now() - started).toFixed(0)} ms, status ${whatIf.status}`);
await db.close();
