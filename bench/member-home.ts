/**
 * Member home server time with a year of demo data: GET / for signed-in members, measured
 * in-process (no network), against two baselines in the same run: GET /healthz and the awards
 * API. Needs the demo community first (`vklad demo --no-serve`).
 *   VKLAD_DATA_DIR=.vklad/demo npx tsx bench/member-home.ts [requests per member]
 */
import { prepareDemoSite } from '../src/web/demo.ts';
import { ADMIN_KEY, measure as timed, openDemoSite, percentile as pct, signIn } from './web-harness.ts';

const requests = Number(process.argv[2] ?? 200);
const site = await openDemoSite();
const { db, now, events: n } = site;

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

const measure = (path: string, headers: Record<string, string>) => timed(site, path, headers, requests, 20);

const row = (label: string, t: number[]) =>
  console.log(`${label.padEnd(56)} p50 ${pct(t, 50).toFixed(1).padStart(6)} ms   p95 ${pct(t, 95).toFixed(1).padStart(6)} ms   max ${t.at(-1)!.toFixed(1).padStart(6)} ms`);

console.log(`${db.engine}, ${n.toLocaleString('en')} events; ${requests} requests each after 20 to warm up; in-process (server time)`);
row('GET /healthz (baseline)', await measure('/healthz', {}));
for (const m of members) {
  const [{ awards }] = (await db.query<{ awards: number }>('select count(*)::int as awards from awards where member_id = $1', [m.id])) as [{ awards: number }];
  const label = `${m.who} (#${m.id}, ${awards.toLocaleString('en')} awards)`;
  row(`GET /api/v1/members/:id/awards, ${m.who}`, await measure(`/api/v1/members/${m.id}/awards?limit=10`, { authorization: `Bearer ${ADMIN_KEY}` }));
  row(`GET / member home, ${label}`, await measure('/', { cookie: (await signIn(site, m.id)).cookie }));
}
await db.close();
