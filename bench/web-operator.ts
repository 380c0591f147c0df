/**
 * Server time of the operator, author and public pages with a year of demo data, in-process.
 * Needs the demo community first (`vklad demo --no-serve`).
 *   VKLAD_DATA_DIR=.vklad/demo npx tsx bench/web-operator.ts [requests per page]
 */
import { readFileSync } from 'node:fs';
import { standings } from '../src/web/pages/public/standings.ts';
import { measure as timed, openDemoSite, percentile as pct, signIn as signedIn } from './web-harness.ts';

const requests = Number(process.argv[2] ?? 20);
const site = await openDemoSite();
const { db, app, now, events: n } = site;
const [{ awards }] = (await db.query<{ awards: number }>('select count(*)::int as awards from awards')) as [{ awards: number }];

const [operator] = await db.query<{ id: number }>(`select id from members where 'operator' = any(roles) and merged_into is null order by id limit 1`);
const [author] = await db.query<{ id: number }>('select member_id as id from content_authors group by member_id order by count(*) desc, member_id limit 1');
if (!operator || !author) throw new Error('The demo needs an operator and an author');
await db.query(`update members set roles = array_append(roles, 'operator') where id = $1 and not 'operator' = any(roles)`, [operator.id]);

const signIn = (member: number) => signedIn(site, member);
const measure = (path: string, headers: Record<string, string>, count = requests) => timed(site, path, headers, count, 3);

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
