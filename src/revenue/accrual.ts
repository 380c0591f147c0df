import type { Database, Queryable } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { CURRENCIES, type Currency } from '../payments/record.ts';
import { adjustmentsFor } from './adjustments.ts';
import { type Payer, allocateUserCentric, authorRecipient } from './allocate.ts';
import { checkPeriod } from './close.ts';
import { type ActivityWindow, actionCounts, activityWindow, contentAuthors, membersWhoWorkedOn, payersOf } from './inputs.ts';
import { revenuePolicyFor } from './policies.ts';
import type { RevenuePolicy } from './policy.ts';

export interface CurrencyAccrual {
  currency: Currency;
  /** From the members whose work on the author's content directs their money there. */
  from_members: number;
  /** The author's part of the common pool (inactive payers' authors' share). */
  from_pool: number;
  /** Refunds of closed periods taken back, and what was still owed from the last close (negative). */
  adjustments: number;
  total: number;
  /** Paying members whose work reached the author. */
  learners: number;
}

export interface AccrualView {
  author_id: number;
  period: string;
  /** `open`: provisional, as if the period closed now; `closed`: final, as posted. */
  status: 'open' | 'closed';
  currencies: CurrencyAccrual[];
  /** When the common pool part was computed (it is shared by every author, so it is refreshed, not recomputed per read). */
  pool_as_of: string | null;
}

/**
 * An author's accrual for a period. While the period is open it is computed on read: the paying
 * members who worked on the author's content are found by index, and their split is the very one
 * the close will post (each member's split depends only on that member's work). Only the common
 * pool needs everyone's work: it comes from a snapshot recomputed in the background (see poolSnapshot).
 */
export async function authorAccrual(db: Database, authorId: number, period: string): Promise<AccrualView> {
  checkPeriod(period);
  const [member] = await db.query('select 1 from members where id = $1', [authorId]);
  if (!member) throw notFound(`Member ${authorId}`);
  const window = await activityWindow(db, period);
  if (window.closed_at) return closedAccrual(db, authorId, period);
  const policy = await revenuePolicyFor(db, period);
  const authors = await contentAuthors(db);
  const own = [...authors].filter(([, list]) => list.some((a) => a.author === authorId)).map(([content]) => content);
  const recipient = authorRecipient(authorId);
  let poolAsOf: Date | null = null;
  const currencies: CurrencyAccrual[] = [];
  for (const currency of CURRENCIES) {
    const payers = await payersOf(db, period, currency);
    const touched = new Set(await membersWhoWorkedOn(db, window, policy, payers.map((p) => p.member), own));
    const mine = payers.filter((p) => touched.has(p.member));
    const actions = await actionCounts(db, window, policy, [...touched]);
    const fromMembers = allocateUserCentric({ policy, payers: mine, actions, authors }).totals.get(recipient) ?? 0;
    let fromPool = 0;
    if (policy.no_activity === 'common_pool' && payers.length > mine.length) {
      const snapshot = await poolSnapshot(db, window, policy, currency, payers);
      fromPool = snapshot.pool.get(recipient) ?? 0;
      poolAsOf = snapshot.at;
    }
    const adjustments = (await adjustmentsFor(db, period, currency)).filter((a) => a.recipient === recipient).reduce((s, a) => s + a.amount, 0);
    if (fromMembers === 0 && fromPool === 0 && adjustments === 0 && touched.size === 0) continue;
    currencies.push({ currency, from_members: fromMembers, from_pool: fromPool, adjustments, total: fromMembers + fromPool + adjustments, learners: touched.size });
  }
  return { author_id: authorId, period, status: 'open', currencies, pool_as_of: poolAsOf?.toISOString() ?? null };
}

async function closedAccrual(db: Queryable, authorId: number, period: string): Promise<AccrualView> {
  const rows = await db.query<{ currency: Currency; source: string; amount: number; members: number }>(
    `select currency, source, sum(amount)::bigint as amount, count(distinct member_id)::int as members from revenue_lines
     where recipient = $1 and period = $2 group by currency, source order by currency`,
    [authorRecipient(authorId), period],
  );
  const currencies = CURRENCIES.flatMap((currency): CurrencyAccrual[] => {
    const mine = rows.filter((r) => r.currency === currency);
    if (mine.length === 0) return [];
    const sum = (...sources: string[]) => mine.filter((r) => sources.includes(r.source)).reduce((s, r) => s + Number(r.amount), 0);
    const learners = mine.find((r) => r.source === 'member')?.members ?? 0;
    const [fromMembers, fromPool, adjustments] = [sum('content'), sum('pool'), sum('takeback', 'carry')];
    return [{ currency, from_members: fromMembers, from_pool: fromPool, adjustments, total: fromMembers + fromPool + adjustments, learners }];
  });
  return { author_id: authorId, period, status: 'closed', currencies, pool_as_of: null };
}

/** How often the common pool's split is recomputed while reads ask for it. */
export const POOL_REFRESH_MS = 2_000;

interface Snapshot {
  at: Date;
  payers: string;
  pool: Map<string, number>;
}
interface Slot {
  current: Snapshot | null;
  refreshing: Promise<Snapshot> | null;
}
const snapshots = new WeakMap<Queryable, Map<string, Slot>>();

/** Who paid what, in a few characters: a new payment or refund changes it. */
function payersPrint(payers: readonly Payer[]): string {
  let mix = 0;
  let sum = 0;
  for (const p of payers) {
    sum += p.amount;
    mix = (Math.imul(mix, 31) + Math.imul(p.member, 2654435761) + p.amount) | 0;
  }
  return `${payers.length}:${sum}:${mix}`;
}

/**
 * The common pool's split per author, served from memory. The first read computes it; afterwards a
 * read that finds it stale (other payers, or older than POOL_REFRESH_MS) starts one background
 * recomputation and is answered from the snapshot it has, so no read waits for everyone's work.
 */
async function poolSnapshot(db: Queryable, window: ActivityWindow, policy: RevenuePolicy, currency: Currency, payers: Payer[]): Promise<Snapshot> {
  const perDb = snapshots.get(db) ?? snapshots.set(db, new Map()).get(db)!;
  const key = `${window.period}:${currency}:${policy.version}`;
  const slot = perDb.get(key) ?? perDb.set(key, { current: null, refreshing: null }).get(key)!;
  const print = payersPrint(payers);
  if (!slot.current) return slot.refreshing ?? refresh(slot, db, window, policy, currency, payers, print);
  const stale = slot.current.payers !== print || Date.now() - slot.current.at.getTime() > POOL_REFRESH_MS;
  // A failed background refresh leaves the previous snapshot in place.
  if (stale && !slot.refreshing) refresh(slot, db, window, policy, currency, payers, print).catch(() => undefined);
  return slot.current;
}

function refresh(slot: Slot, db: Queryable, window: ActivityWindow, policy: RevenuePolicy, currency: Currency, payers: Payer[], print: string): Promise<Snapshot> {
  const work = computePool(db, window, policy, payers, print).then((s) => {
    if (!slot.current || slot.current.at <= s.at) slot.current = s;
    return s;
  });
  slot.refreshing = work.finally(() => {
    if (slot.refreshing === tracked) slot.refreshing = null;
  });
  const tracked = slot.refreshing;
  tracked.catch(() => undefined);
  return work;
}

async function computePool(db: Queryable, window: ActivityWindow, policy: RevenuePolicy, payers: Payer[], print: string): Promise<Snapshot> {
  const at = new Date();
  const actions = await actionCounts(db, window, policy, payers.map((p) => p.member));
  const allocation = allocateUserCentric({ policy, payers, actions, authors: await contentAuthors(db) });
  const pool = new Map<string, number>();
  for (const l of allocation.content_lines) if (l.source === 'pool') pool.set(l.recipient, (pool.get(l.recipient) ?? 0) + l.amount);
  return { at, payers: print, pool };
}
