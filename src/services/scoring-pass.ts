import type { Database, Queryable } from '../db/database.ts';
import type { AwardDiff as LedgerDiff } from '../ledger/award-decide.ts';
import { postAwardDiffs } from '../ledger/awards.ts';
import { type Award, type EarnedAchievement, type PolicySet, type ScoringEvent, scoreMembers } from '../scoring/index.ts';
import { type TimeZone, dateOfWeek, weekOfDay } from '../scoring/time-zone.ts';
import { type StoredAwardText, saveAchievements, saveAwards, storedAwardTexts } from '../store/awards.ts';
import { rolesOf } from '../store/members.ts';
import { currentPolicies, peerAttributes } from '../store/policies.ts';
import { type PeerAttributes, memberEvents, refreshPeerSignals, signalsTo } from '../store/scoring-events.ts';
import { claimMarks, clearMarks } from '../store/scoring-queue.ts';

const SAVE_LOCK = 7372003;

export interface PassOptions {
  /** The moment the ledger records the changes at (awards already past their pending period are available at once). */
  now: Date;
  /** Every member with events or awards, instead of those marked since the last pass. */
  all?: boolean;
  /** Members scored together: bounds memory (1,000 marked members; 250 in a full re-score, which holds three chunks at once). */
  chunk?: number;
  /** Told after each chunk of a full re-score how many of how many members are done. */
  onProgress?: (done: number, total: number) => void;
  /** Told how long each phase of a chunk took (ms), for benchmarks. */
  onPhase?: (phase: string, ms: number) => void;
}

export interface PassReport {
  members: number;
  events: number;
  awards_changed: number;
  points_delta: number;
  ledger_transactions: number;
}

/**
 * Recomputes the awards of the members whose events changed (or of everyone) from the whole of
 * their history, posts only the differences to the ledger, and stores the awards with their trails.
 * Safe to repeat and to interrupt: the ledger posts an award's new total once, whatever the retries.
 */
export async function runScoringPass(db: Database, options: PassOptions): Promise<PassReport> {
  // A full re-score holds three chunks (one scored, one posting, one saving): smaller chunks keep a
  // million events under half a gigabyte at the same speed (bench/rescore.ts).
  const chunk = options.chunk ?? (options.all ? 250 : 1000);
  const report: PassReport = { members: 0, events: 0, awards_changed: 0, points_delta: 0, ledger_transactions: 0 };
  let marked = await claimMarks(db, options.all ? Number.MAX_SAFE_INTEGER : chunk);
  // The server runs a pass every few seconds: with nothing marked, it reads nothing more.
  if (marked.length === 0 && !options.all) return report;
  const { set, policies } = await currentPolicies(db);
  const context: Context = { db, set, peers: peerAttributes(policies), now: options.now.getTime(), timed: phaseTimer(options.onPhase) };
  if (options.all) {
    await db.transaction((tx) => refreshPeerSignals(tx, 'all', context.peers));
    const members = await everyScoredMember(db);
    // Every member is scored in its own chunk here, so no chunk needs the other side of its signals,
    // and chunks touch disjoint members: on PostgreSQL one chunk is scored while the one before posts
    // to the ledger and the one before that stores its awards, each on its own connection.
    const pipeline = new WritePipeline(db.engine === 'postgres');
    for (let start = 0; start < members.length; start += chunk) {
      const scored = await scoreChunk(context, members.slice(start, start + chunk), false);
      await pipeline.add(
        () => postChunk(context, scored, report),
        () => saveChunk(context, scored, false, report),
        () => options.onProgress?.(Math.min(start + chunk, members.length), members.length),
      );
    }
    await pipeline.done();
    await clearMarks(db, marked);
    return report;
  }
  while (marked.length > 0) {
    const claimed = marked;
    await db.transaction((tx) => refreshPeerSignals(tx, claimed, context.peers));
    const scored = await scoreChunk(context, claimed, true);
    await postChunk(context, scored, report);
    await saveChunk(context, scored, true, report);
    marked = await claimMarks(db, chunk);
  }
  return report;
}

/**
 * Writes chunks in order: each chunk's ledger postings after the chunk before's, its awards after its
 * own postings and after the chunk before's awards. `add` returns once the chunk before last is
 * stored, so at most three chunks are held; a failure stops every later write and is thrown by the
 * next `add` or by `done`.
 */
class WritePipeline {
  private posted: Promise<void> = Promise.resolve();
  private saved: Promise<void> = Promise.resolve();

  constructor(private readonly overlap: boolean) {}

  async add(post: () => Promise<void>, save: () => Promise<void>, then: () => void): Promise<void> {
    const before = this.saved;
    const posted = this.posted.then(post);
    const saved = Promise.all([posted, before]).then(save).then(then);
    if (!this.overlap) return saved;
    // Failures are thrown where awaited below, not reported as unhandled meanwhile.
    saved.catch(() => undefined);
    this.posted = posted;
    this.saved = saved;
    await before;
  }

  async done(): Promise<void> {
    await this.posted;
    await this.saved;
  }
}

interface Context {
  db: Database;
  set: PolicySet;
  peers: PeerAttributes;
  now: number;
  timed: <T>(phase: string, work: () => Promise<T>) => Promise<T>;
}

function phaseTimer(onPhase: PassOptions['onPhase']): Context['timed'] {
  if (!onPhase) return (_, work) => work();
  return async (phase, work) => {
    const started = performance.now();
    const result = await work();
    onPhase(phase, performance.now() - started);
    return result;
  };
}

async function everyScoredMember(db: Queryable): Promise<number[]> {
  const rows = await db.query<{ member_id: number }>(
    `select member_id from events where member_id is not null union select member_id from awards order by member_id`,
  );
  return rows.map((r) => r.member_id);
}

interface ScoredChunk {
  marked: number[];
  members: number[];
  events: number;
  ledger: LedgerDiff[];
  changed: Award[];
  removed: string[];
  achievements: EarnedAchievement[];
}

/** Reads and scores some members' events and finds what differs from what is stored; writes nothing. */
async function scoreChunk(context: Context, marked: number[], withOthers: boolean): Promise<ScoredChunk> {
  const { db, set, timed } = context;
  const { events, members, roles } = await timed('read events', async () => {
    const own = await memberEvents(db, marked);
    // Whether a peer signal counts in full depends on whether it was returned: the other side's awards change too.
    const others = withOthers ? otherSides(own, new Set(marked), set.damped) : [];
    const members = [...marked, ...others];
    const events = own.concat(others.length > 0 ? await memberEvents(db, others) : [], await signalsTo(db, members, set.damped));
    return { events, members, roles: await rolesOf(db, members) };
  });
  const scope = new Set(members);
  const result = await timed('score', async () => scoreMembers(set, events, { rolesOf: (m) => roles.get(m) ?? [] }));
  const awards = result.awards.filter((a) => scope.has(a.member));
  const before = await timed('read stored awards', () => storedAwardTexts(db, members));
  return timed('diff', async () => {
    const zone = set.versions.at(-1)!.zone;
    return {
      marked,
      members,
      events: events.length,
      ledger: ledgerDiffs(weeklyTotals(before, zone), weeklyTotals(awards, zone)),
      ...projectionChanges(before, awards),
      achievements: result.achievements.filter((a) => scope.has(a.member)),
    };
  });
}

/** Posts a scored chunk's weekly totals to the ledger: before its awards are stored, so a crash between leaves the next pass to store them. */
async function postChunk(context: Context, chunk: ScoredChunk, report: PassReport): Promise<void> {
  const posted = await context.timed('ledger', () => postAwardDiffs(context.db, chunk.ledger, context.now));
  report.points_delta += chunk.ledger.reduce((sum, d) => sum + d.points - d.previous, 0);
  report.ledger_transactions += posted.transactions;
}

/** Stores a scored chunk's awards and achievements, once its ledger postings are in. */
async function saveChunk(context: Context, chunk: ScoredChunk, claimed: boolean, report: PassReport): Promise<void> {
  await context.timed('save awards', () =>
    context.db.transaction(async (tx) => {
      // Two passes (two servers) may score one member at once: their saves take turns, the last one stands.
      await tx.query(`select pg_advisory_xact_lock(${SAVE_LOCK})`);
      await saveAwards(tx, chunk.changed, chunk.removed);
      await saveAchievements(tx, chunk.members, chunk.achievements);
      if (claimed) await clearMarks(tx, chunk.marked);
    }),
  );
  report.members += chunk.members.length;
  report.events += chunk.events;
  report.awards_changed += chunk.changed.length + chunk.removed.length;
}

/** Members on the other side of the damped peer signals of `members`. */
function otherSides(events: readonly ScoringEvent[], members: Set<number>, damped: Set<string>): number[] {
  const others = new Set<number>();
  for (const e of events) {
    if (e.peer != null && members.has(e.member) && !members.has(e.peer) && damped.has(e.action)) others.add(e.peer);
  }
  return [...others].sort((a, b) => a - b);
}

interface WeekTotal {
  key: string;
  member: number;
  points: number;
  at: number;
  pending_until: number;
}

/**
 * Points reach the ledger as one award transaction per member and week (in the community's time
 * zone), spendable once the week's last award has matured; each award's trail stays in the store.
 * A year of history is then thousands of ledger transactions, not a million.
 */
function weeklyTotals(awards: Iterable<Pick<Award, 'member' | 'points' | 'at' | 'pending_until'>>, zone: TimeZone): Map<string, WeekTotal> {
  const weeks = new Map<string, WeekTotal>();
  for (const a of awards) {
    if (a.points === 0) continue;
    const key = `week:${a.member}:${dateOfWeek(weekOfDay(zone.day(a.at)))}`;
    const week = weeks.get(key);
    if (!week) weeks.set(key, { key, member: a.member, points: a.points, at: a.at, pending_until: a.pending_until });
    else {
      week.points += a.points;
      week.at = Math.max(week.at, a.at);
      week.pending_until = Math.max(week.pending_until, a.pending_until);
    }
  }
  return weeks;
}

/** What the ledger must change: each week's new total against the total posted for it. */
function ledgerDiffs(before: Map<string, WeekTotal>, after: Map<string, WeekTotal>): LedgerDiff[] {
  const diffs: LedgerDiff[] = [];
  for (const [key, now] of after) {
    const previous = before.get(key)?.points ?? 0;
    if (now.points !== previous) diffs.push({ key, member: now.member, points: now.points, previous, at: now.at, pending_until: now.pending_until });
  }
  for (const [key, old] of before) {
    if (!after.has(key)) diffs.push({ key, member: old.member, points: 0, previous: old.points, at: old.at, pending_until: old.pending_until });
  }
  return diffs;
}

/** Awards whose stored row (points, trail, version, times, member) differs, and stored keys no longer awarded. */
function projectionChanges(before: readonly StoredAwardText[], awards: readonly Award[]): { changed: Award[]; removed: string[] } {
  const stored = new Map(before.map((a) => [a.key, a]));
  const changed = awards.filter((a) => {
    const old = stored.get(a.key);
    return !old || old.member !== a.member || old.points !== a.points || old.at !== a.at || old.pending_until !== a.pending_until ||
      old.policy_version !== a.policy_version || old.trail_json !== JSON.stringify(a.trail);
  });
  const current = new Set(awards.map((a) => a.key));
  return { changed, removed: before.filter((a) => !current.has(a.key)).map((a) => a.key) };
}
