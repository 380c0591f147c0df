/**
 * A full re-score from the stored history on PostgreSQL: 5,000 members, a year, 1,000,000 events
 * (the default policy's actions in a realistic mix), awards and ledger postings written.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/rescore.ts [events]
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

const schema = 'bench_rescore';
const admin = await openPostgres({ url });
await admin.query(`drop schema if exists ${schema} cascade; create schema ${schema}`);
await admin.close();
const db = await openPostgres({ url, schema });
await migrate(db);
await seedDefaultCatalogue(db);
await seedDefaultPolicy(db);
const ids: number[] = [];
for (let i = 0; i < MEMBERS; i += 1000) ids.push(...(await createMembers(db, Array.from({ length: 1000 }, () => ({ roles: ['student'] })), 'bench')));
for (let start = 0; start < count; start += 5000) {
  const batch = Array.from({ length: Math.min(5000, count - start) }, (_, k) => event(start + k, ids));
  await ingestEvents(db, batch, { atomic: true, unknownIdentity: () => 'create' });
}
console.log(`${count.toLocaleString('en')} events of ${MEMBERS.toLocaleString('en')} members stored`);

const now = new Date(Date.UTC(2026, 8, 15));
for (const label of ['full re-score, awards and ledger written', 'again, nothing changed']) {
  const started = performance.now();
  const report = await runScoringPass(db, { now, all: true });
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${seconds.toFixed(1)} s (${Math.round(count / seconds).toLocaleString('en')} events/s), ${report.awards_changed} awards written, ${report.ledger_transactions} ledger transactions, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}
await db.query(`drop schema ${schema} cascade`);
await db.close();
