/**
 * A full re-score from the stored history on PostgreSQL: 5,000 members, a year, 1,000,000 events
 * (the default policy's actions in a realistic mix), awards and ledger postings written.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/rescore.ts [events] [keep] [members per chunk]
 * With `keep` the loaded events stay in schema bench_rescore_<events>, and the next run with the same
 * count re-scores them without loading again (the awards and the ledger are emptied first).
 */
import { migrate } from '../src/db/migrate.ts';
import { openPostgres } from '../src/db/postgres.ts';
import type { EventInput } from '../src/core/event.ts';
import { runScoringPass } from '../src/services/scoring-pass.ts';
import { seedDefaultCatalogue } from '../src/store/catalogue.ts';
import { ingestEvents } from '../src/store/events.ts';
import { createMembers } from '../src/store/members.ts';
import { seedDefaultPolicy } from '../src/store/policies.ts';

const count = Number(process.argv[2] ?? 1_000_000);
const keep = process.argv[3] === 'keep';
const chunk = process.argv[4] ? Number(process.argv[4]) : undefined;
const MEMBERS = 5000;
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must point at PostgreSQL');

const MIX: [string, number][] = [
  ['course.section.read', 40], ['forum.post.created', 12], ['forum.comment.created', 10], ['forum.like.given', 12],
  ['forum.like.received', 12], ['telegram.message.sent', 8], ['course.test.passed', 3], ['course.assignment.submitted', 2], ['course.assignment.accepted', 1],
];
const WHEEL = MIX.flatMap(([action, weight]) => Array<string>(weight).fill(action));
// The year the default policy has been in force.
const YEAR_START = Date.UTC(2025, 8, 1);

/** The n-th event: members act on their own days, so streaks, windows and goals all come into play. */
function event(n: number, ids: number[]): EventInput {
  const member = (n * 7919) % MEMBERS;
  const action = WHEEL[(n * 31) % WHEEL.length]!;
  const day = ((n * 104_729) % 365 + member) % 365;
  const other = ids[(member + 1 + (n % 50)) % MEMBERS]!;
  const peer = action === 'forum.like.given' ? { receiver: other } : action === 'forum.like.received' ? { giver: other } : {};
  return {
    source: 'bench',
    source_event_id: `e-${n}`,
    action,
    actor: { member_id: ids[member]! },
    occurred_at: new Date(YEAR_START + day * 86_400_000 + (n % 57_600) * 1000 + 21_600_000).toISOString(),
    attributes: { words: (n * 37) % 300, ...peer },
  };
}

const schema = `bench_rescore_${count}`;
const admin = await openPostgres({ url });
const [loaded] = await admin.query<{ n: number }>(
  `select count(*)::int as n from information_schema.tables where table_schema = $1 and table_name = 'events'`,
  [schema],
);
let reuse = loaded!.n > 0 && (await admin.query<{ n: number }>(`select count(*)::int as n from ${schema}.events`))[0]!.n === count;
if (!reuse) await admin.query(`drop schema if exists ${schema} cascade; create schema ${schema}`);
await admin.close();
const db = await openPostgres({ url, schema });
await migrate(db);
if (reuse) {
  // Only the events are kept: everything a pass derives from them starts empty, as after a fresh load.
  await db.query('truncate awards, award_postings, holds, transactions, entries, accounts, achievements, peer_signals, scoring_queue, scoring_marks');
  console.log(`${count.toLocaleString('en')} events of ${MEMBERS.toLocaleString('en')} members already stored in ${schema}`);
} else {
  await seedDefaultCatalogue(db);
  await seedDefaultPolicy(db);
  const ids: number[] = [];
  for (let i = 0; i < MEMBERS; i += 1000) ids.push(...(await createMembers(db, Array.from({ length: 1000 }, () => ({ roles: ['student'] })), 'bench')));
  for (let start = 0; start < count; start += 5000) {
    const batch = Array.from({ length: Math.min(5000, count - start) }, (_, k) => event(start + k, ids));
    await ingestEvents(db, batch, { atomic: true, unknownIdentity: () => 'create' });
  }
  await db.query('vacuum analyze events');
  console.log(`${count.toLocaleString('en')} events of ${MEMBERS.toLocaleString('en')} members stored`);
  reuse = true;
}

const now = new Date(Date.UTC(2026, 8, 15));
for (const label of ['full re-score, awards and ledger written', 'again, nothing changed']) {
  const phases = new Map<string, number>();
  const started = performance.now();
  const report = await runScoringPass(db, { now, all: true, chunk, onPhase: (phase, ms) => phases.set(phase, (phases.get(phase) ?? 0) + ms) });
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${seconds.toFixed(1)} s (${Math.round(count / seconds).toLocaleString('en')} events/s), ${report.awards_changed} awards written, ${report.ledger_transactions} ledger transactions, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  console.log(`  ms per phase: ${[...phases].map(([phase, ms]) => `${phase} ${ms.toFixed(0)}`).join(', ')}`);
}
if (!keep) await db.query(`drop schema ${schema} cascade`);
await db.close();
