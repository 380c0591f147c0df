/**
 * Closing a revenue period on PostgreSQL: 12,000 paying members, 1,000,000 actions on 500 courses
 * (3,500 pieces of content, 1,000 authors, co-authors on a third of the courses). Compared, in the
 * same run, with a plain aggregate SELECT of the same events. Before the close, while 1,000 events/s
 * are ingested, measures how long an author's provisional accrual takes to read and to show a new action.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/revenue-close.ts [actions] [payers] [seconds of ingest]
 */
import { copyRow } from '../src/db/copy-text.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPostgres } from '../src/db/postgres.ts';
import type { EventInput } from '../src/core/event.ts';
import { recordPayment } from '../src/payments/record.ts';
import { authorAccrual } from '../src/revenue/accrual.ts';
import { closePeriod } from '../src/revenue/close.ts';
import { seedDefaultCatalogue } from '../src/store/catalogue.ts';
import { ingestEvents } from '../src/store/events.ts';

const ACTIONS = Number(process.argv[2] ?? 1_000_000);
const PAYERS = Number(process.argv[3] ?? 12_000);
const INGEST_SECONDS = Number(process.argv[4] ?? 20);
const AUTHORS = 1_000;
const COURSES = 500;
const SECTIONS = 6;
const FREE = 2_000; // members who act but do not pay
const url = process.env.DATABASE_URL;
if (!url) {
  console.log('DATABASE_URL is not set: this benchmark runs on PostgreSQL only');
  process.exit(0);
}

const SCHEMA = 'bench_revenue';
const admin = await openPostgres({ url });
await admin.query(`drop schema if exists ${SCHEMA} cascade`);
await admin.close();
const db = await openPostgres({ url, schema: SCHEMA, maxConnections: 8 });
await migrate(db);
await seedDefaultCatalogue(db);

const seconds = (since: number) => (performance.now() - since) / 1000;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? NaN;

// Members: authors first, then payers, then free members.
const total = AUTHORS + PAYERS + FREE;
const ids = (await db.query<{ id: number }>("insert into members (display_name) select 'm' || g from generate_series(1, $1::int) g returning id", [total])).map((r) => Number(r.id));
const authors = ids.slice(0, AUTHORS);
const payers = ids.slice(AUTHORS, AUTHORS + PAYERS);
const free = ids.slice(AUTHORS + PAYERS);

// Courses with one author, or two sharing 60/40; sections name no author and inherit the course's.
const course = (c: number) => `course:${c}`;
const section = (c: number, s: number) => `course:${c}/s${s}`;
let content = '';
let coauthors = '';
for (let c = 0; c < COURSES; c++) {
  content += copyRow([course(c), 'course', `Course ${c}`, null]);
  for (let s = 0; s < SECTIONS; s++) content += copyRow([section(c, s), 'section', `Course ${c}, section ${s}`, course(c)]);
  coauthors += copyRow([course(c), authors[(c * 2) % AUTHORS]!, c % 3 === 0 ? 60 : 1]);
  if (c % 3 === 0) coauthors += copyRow([course(c), authors[(c * 2 + 1) % AUTHORS]!, 40]);
}
await db.copyFrom('copy content (id, kind, title, parent_id) from stdin', content);
await db.copyFrom('copy content_authors (content_id, member_id, share) from stdin', coauthors);

// Each active member follows one to three courses; 5% of payers do nothing all month.
const coursesOf = (m: number): number[] => Array.from({ length: 1 + (m % 3) }, (_, k) => (m * 7 + k * 131) % COURSES);
const active = [...payers.filter((_, i) => i % 20 !== 0), ...free];
const MIX: [string, number][] = [['course.section.read', 60], ['course.test.passed', 15], ['course.assignment.submitted', 10], ['course.assignment.accepted', 5], ['forum.post.created', 10]];
const WHEEL = MIX.flatMap(([action, weight]) => Array<string>(weight).fill(action));
const OCTOBER = Date.UTC(2025, 9, 1);
const MONTH_MS = 31 * 86_400_000;
const started = performance.now();
for (let start = 0; start < ACTIONS; start += 100_000) {
  let rows = '';
  for (let n = start; n < Math.min(ACTIONS, start + 100_000); n++) {
    const member = active[(n * 7919) % active.length]!;
    const courses = coursesOf(member);
    const c = courses[n % courses.length]!;
    const action = WHEEL[(n * 31) % WHEEL.length]!;
    const object = action === 'course.section.read' || action === 'course.test.passed' ? section(c, n % SECTIONS) : course(c);
    rows += copyRow(['bench', `e-${n}`, action, new Date(OCTOBER + ((n * 104_729) % MONTH_MS)).toISOString(), member, member, object]);
  }
  await db.copyFrom('copy events (source, source_event_id, action, occurred_at, member_id, actor_member_id, object_id) from stdin', rows);
}
await db.query('analyze events');
console.log(`${ACTIONS.toLocaleString('en')} actions of ${active.length.toLocaleString('en')} members on ${(COURSES * (SECTIONS + 1)).toLocaleString('en')} pieces of content stored in ${seconds(started).toFixed(1)} s`);

// Payments through recordPayment, eight at a time: one in ten in dollars.
const paid = performance.now();
for (let i = 0; i < payers.length; i += 8) {
  await Promise.all(
    payers.slice(i, i + 8).map((member, k) => {
      const n = i + k;
      const usd = n % 10 === 0;
      return recordPayment(db, { provider: 'bench', provider_payment_id: `p-${n}`, member: { member_id: member }, amount: usd ? 15_00 : 999_00, currency: usd ? 'USD' : 'RUB', period: '2025-10', occurred_at: '2025-10-01T00:00:00Z' }, 'bench');
    }),
  );
}
console.log(`${PAYERS.toLocaleString('en')} payments recorded in ${seconds(paid).toFixed(1)} s`);

// Accrual while ingesting 1,000 events/s: reads of random authors, and probes that time how long a
// new action takes to show (a payer starts on another author's course; poll until the author sees them).
const reads: number[] = [];
const shows: number[] = [];
let ingested = 0;
let stop = false;
const ingest = (async () => {
  const begin = performance.now();
  let n = 0;
  while (!stop) {
    const due = begin + (n / 1000) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const batch: EventInput[] = Array.from({ length: 50 }, (_, k) => {
      const member = active[((n + k) * 7919 + 13) % active.length]!;
      const c = coursesOf(member)[0]!;
      return { source: 'bench-live', source_event_id: `live-${n + k}`, action: 'course.section.read', actor: { member_id: member }, occurred_at: new Date(OCTOBER + ((n + k) * 7_777) % MONTH_MS).toISOString(), object: section(c, k % SECTIONS) };
    });
    await ingestEvents(db, batch, { atomic: true, unknownIdentity: () => 'create' });
    n += 50;
    ingested += 50;
  }
  return seconds(begin);
})();
const timed = async (author: number) => {
  const t = performance.now();
  const view = await authorAccrual(db, author, '2025-10');
  reads.push(performance.now() - t);
  return view;
};
const learnersOf = (view: Awaited<ReturnType<typeof authorAccrual>>) => view.currencies.reduce((s, c) => s + c.learners, 0);
const probing = (async () => {
  const until = performance.now() + INGEST_SECONDS * 1000;
  for (let probe = 0; performance.now() < until; probe++) {
    const payer = payers[(probe * 97 + 1) % payers.length]!;
    const target = (coursesOf(payer)[0]! + 250) % COURSES; // a course the payer does not follow
    const author = authors[(target * 2) % AUTHORS]!;
    const before = learnersOf(await timed(author));
    const t = performance.now();
    await ingestEvents(db, [{ source: 'bench-probe', source_event_id: `probe-${probe}`, action: 'course.assignment.accepted', actor: { member_id: payer }, occurred_at: '2025-10-20T12:00:00Z', object: course(target) }], { atomic: true, unknownIdentity: () => 'create' });
    while (learnersOf(await timed(author)) === before && performance.now() - t < 10_000);
    shows.push(performance.now() - t);
    for (let k = 0; k < 5; k++) await timed(authors[(probe * 37 + k * 101) % AUTHORS]!);
  }
})();
await probing;
stop = true;
const ingestSeconds = await ingest;
console.log(
  `accrual while ingesting ${Math.round(ingested / ingestSeconds).toLocaleString('en')} events/s: read p50 ${percentile(reads, 50).toFixed(0)} ms, p95 ${percentile(reads, 95).toFixed(0)} ms, max ${Math.max(...reads).toFixed(0)} ms (${reads.length} reads); ` +
    `a new action shows in p50 ${percentile(shows, 50).toFixed(0)} ms, p95 ${percentile(shows, 95).toFixed(0)} ms (${shows.length} probes)`,
);

// The baseline: a plain aggregate of the same events, rows brought to the client as the close does.
const base = performance.now();
const aggregate = await db.query(
  `select member_id, object_id, action, count(*)::int from events
   where occurred_at >= '2025-10-01' and occurred_at < '2025-11-01' and object_id is not null group by 1, 2, 3`,
);
const baseline = seconds(base);
console.log(`baseline, aggregate SELECT of the period's events: ${baseline.toFixed(2)} s (${aggregate.length.toLocaleString('en')} rows)`);

const closing = performance.now();
const outcome = await closePeriod(db, '2025-10', 'bench', new Date('2025-11-15T00:00:00Z'));
const closeSeconds = seconds(closing);
const lines = (await db.query<{ n: number }>('select count(*)::int as n from revenue_lines'))[0]!.n;
const posted = outcome.currencies.reduce((s, c) => s + Object.keys(c.posted).length, 0);
console.log(`close of 2025-10: ${closeSeconds.toFixed(2)} s (${(closeSeconds / baseline).toFixed(1)}x the baseline), ${posted} accounts credited, ${lines.toLocaleString('en')} lines frozen, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
for (const c of outcome.currencies) console.log(`  ${c.currency}: revenue ${c.revenue.toLocaleString('en')} from ${c.payers.toLocaleString('en')} payers`);
const again = performance.now();
const second = await closePeriod(db, '2025-10', 'bench', new Date('2025-11-15T00:00:00Z'));
console.log(`closing again: ${second.status} in ${(seconds(again) * 1000).toFixed(0)} ms`);

await db.query(`drop schema ${SCHEMA} cascade`);
await db.close();
