import { z } from '@hono/zod-openapi';
import type { Database, Queryable } from '../db/database.ts';
import { invalid } from '../errors.ts';
import { type AwardDiff, type AwardState, type AwardStep, type MemberPoints, afterPostings, decideAward, newAwardState, releaseStep } from './award-decide.ts';
import { ISSUER, MAX_AMOUNT, memberAccount } from './conventions.ts';
import { type LockedAccount, available, lockAccounts } from './lock-accounts.ts';
import { postValidated } from './post.ts';
import { isUniqueViolation, postLocked } from './post-locked.ts';
import { zodFieldErrors } from './transaction.ts';

const Points = z.number().int('must be a whole number of points').min(0, 'must not be negative').max(MAX_AMOUNT);
const Millis = z.number().int('must be epoch milliseconds');

export const AwardDiffBody = z
  .object({ key: z.string().min(1).max(150), member: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), points: Points, previous: Points, at: Millis, pending_until: Millis })
  .strict();

/** Diffs are posted this many to a database transaction: few round trips, locks held briefly. */
const CHUNK = 5000;

export interface AwardPostingReport {
  /** Ledger transactions written. */
  transactions: number;
  /** Diffs that changed nothing: the ledger already had that total. */
  unchanged: number;
}

/**
 * Posts what the scoring engine's award diffs change: an increase to the member's pending points
 * (or straight to available once `pending_until` has passed), a decrease taken back or recorded as
 * debt. Re-running the same diffs changes nothing. `now` is epoch ms, given by the caller.
 */
export async function postAwardDiffs(db: Database, diffs: AwardDiff[], now: number): Promise<AwardPostingReport> {
  const errors = diffs.flatMap((diff, item) => {
    const parsed = AwardDiffBody.safeParse(diff);
    return parsed.success ? [] : zodFieldErrors(parsed.error, item);
  });
  if (errors.length > 0) throw invalid(errors, 'Some award diffs are invalid; none were posted');
  const report: AwardPostingReport = { transactions: 0, unchanged: 0 };
  for (let start = 0; start < diffs.length; start += CHUNK) {
    const chunk = diffs.slice(start, start + CHUNK);
    let posted: AwardPostingReport;
    try {
      posted = await db.transaction((tx) => postChunk(tx, chunk, now, 'bulk'));
    } catch (error) {
      // A transaction id already stored (the record of what was posted was lost or rolled back apart
      // from it): the careful path compares each repeat with what is stored.
      if (!isUniqueViolation(error)) throw error;
      posted = await db.transaction((tx) => postChunk(tx, chunk, now, 'careful'));
    }
    report.transactions += posted.transactions;
    report.unchanged += posted.unchanged;
  }
  return report;
}

/** Decides and posts one chunk of diffs under the locks of their award records and their members' accounts. */
async function postChunk(tx: Queryable, chunk: AwardDiff[], now: number, path: 'bulk' | 'careful'): Promise<AwardPostingReport> {
  const report: AwardPostingReport = { transactions: 0, unchanged: 0 };
  const states = await lockAwards(tx, chunk);
  const members = [...states.values()].map((s) => s.member).concat(chunk.map((d) => d.member));
  const accounts = await lockAccounts(tx, [ISSUER.PTS!, ...[...new Set(members)].flatMap((m) => [memberAccount.available(m), memberAccount.pending(m), memberAccount.debt(m)])]);
  const points = new Map<number, MemberPoints>();
  const pointsOf = (member: number): MemberPoints => {
    let held = points.get(member);
    if (held === undefined) {
      held = { available: available(accounts.get(memberAccount.available(member))!), debt: accounts.get(memberAccount.debt(member))!.balance };
      points.set(member, held);
    }
    return held;
  };
  const steps: AwardStep[] = [];
  for (const diff of chunk) {
    const decided = decideAward(states.get(diff.key)!, diff, pointsOf, now);
    if (decided.length === 0) report.unchanged += 1;
    for (const step of decided) {
      points.set(step.state.member, afterPostings(step.state.member, pointsOf(step.state.member), step.postings));
      states.set(diff.key, step.state);
      steps.push(step);
    }
  }
  await postSteps(tx, steps, now, path === 'bulk' ? accounts : null);
  report.transactions = steps.length;
  return report;
}

/** Moves every award's pending points whose pending period ended by `now` to the member's available account. */
export async function releaseMatured(db: Database, now: number): Promise<{ transactions: number; points: number }> {
  const report = { transactions: 0, points: 0 };
  for (;;) {
    const released = await db.transaction(async (tx) => {
      const states = await tx.query<StateRow>(
        `select key, member_id, points, revision, pending, pending_until from award_postings
         where pending > 0 and pending_until <= $1 order by key limit $2 for update`,
        [new Date(now).toISOString(), CHUNK],
      );
      const steps = states.map((row) => releaseStep(stateOf(row)));
      await postSteps(tx, steps, now);
      report.points += steps.reduce((sum, s) => sum + s.postings[0]!.amount, 0);
      return steps.length;
    });
    report.transactions += released;
    if (released < CHUNK) return report;
  }
}

interface StateRow {
  key: string;
  member_id: number;
  points: number;
  revision: number;
  pending: number;
  pending_until: Date | null;
}

const stateOf = (r: StateRow): AwardState => ({
  key: r.key,
  member: r.member_id,
  points: r.points,
  revision: r.revision,
  pending: r.pending,
  pending_until: r.pending_until?.getTime() ?? null,
});

/** Locks the award records first (in key order): every award writer does, so they never deadlock. */
async function lockAwards(tx: Queryable, diffs: AwardDiff[]): Promise<Map<string, AwardState>> {
  const keys = [...new Set(diffs.map((d) => d.key))].sort();
  const memberOf = new Map(diffs.map((d) => [d.key, d.member]));
  // A record for each new award first, so that concurrent posters of one new award queue on its lock.
  // The records this inserts are locked by that; the others are locked and read next.
  const inserted = await tx.query<{ key: string }>(
    `insert into award_postings (key, member_id, points, revision, pending)
     select key, member_id, 0, 0, 0 from unnest($1::text[], $2::bigint[]) as n(key, member_id) on conflict (key) do nothing returning key`,
    [keys, keys.map((k) => memberOf.get(k))],
  );
  const states = new Map(inserted.map((r) => [r.key, newAwardState(r.key, memberOf.get(r.key)!)]));
  if (states.size === keys.length) return states;
  const rows = await tx.query<StateRow>(
    'select key, member_id, points, revision, pending, pending_until from award_postings where key = any($1::text[]) order by key for update',
    [keys.filter((k) => !states.has(k))],
  );
  for (const r of rows) states.set(r.key, stateOf(r));
  return states;
}

/**
 * Writes the steps' transactions and the awards' new records. With the accounts already locked and
 * read (`locked`), the transactions go straight in (`postLocked`); without, through `postValidated`.
 */
async function postSteps(tx: Queryable, steps: AwardStep[], now: number, locked: Map<string, LockedAccount> | null = null): Promise<void> {
  if (steps.length === 0) return;
  const txs = steps
    .filter((s) => s.postings.length > 0)
    .map((s) => ({ id: s.id, code: s.code, cause: `award:${s.state.key}`, actor: 'scoring', memo: s.memo, at: now, postings: s.postings }));
  if (locked) await postLocked(tx, txs, locked);
  else await postValidated(tx, txs);
  const latest = new Map(steps.map((s) => [s.state.key, s.state]));
  const rows = [...latest.values()];
  await tx.query(
    // Every record exists and is locked; written as an upsert so that each row is found through the
    // key's index, where an update joined with a long list would scan the whole table.
    `insert into award_postings (key, member_id, points, revision, pending, pending_until)
     select * from unnest($1::text[], $2::bigint[], $3::bigint[], $4::integer[], $5::bigint[], $6::timestamptz[])
     on conflict (key) do update set member_id = excluded.member_id, points = excluded.points, revision = excluded.revision,
       pending = excluded.pending, pending_until = excluded.pending_until`,
    [
      rows.map((r) => r.key),
      rows.map((r) => r.member),
      rows.map((r) => r.points),
      rows.map((r) => r.revision),
      rows.map((r) => r.pending),
      rows.map((r) => (r.pending_until === null ? null : new Date(r.pending_until).toISOString())),
    ],
  );
}
