import type { Database, Queryable } from '../db/database.ts';
import { VkladError, invalid } from '../errors.ts';
import { fiatAccount } from '../ledger/conventions.ts';
import { postValidated } from '../ledger/post.ts';
import { type TransactionInput, LEDGER_LIMITS, validateTransactions } from '../ledger/transaction.ts';
import { copyRow } from '../db/copy-text.ts';
import { CURRENCIES, type Currency } from '../payments/record.ts';
import { audit } from '../store/audit.ts';
import { type AdjustmentLine, adjustmentsFor } from './adjustments.ts';
import { type Allocation, allocateUserCentric } from './allocate.ts';
import { actionCounts, activityWindow, contentAuthors, payersOf } from './inputs.ts';
import { isPeriod, latestClosed, lockPeriods, nextPeriod, periodBounds } from './period.ts';
import { revenuePolicyFor } from './policies.ts';
import type { RevenuePolicy } from './policy.ts';

export interface CurrencyClose {
  currency: Currency;
  revenue: number;
  /** What each recipient received (ledger address → minor units). */
  posted: Record<string, number>;
  /** What recipients still owe, carried into the next period (address → minor units, negative). */
  carried: Record<string, number>;
  payers: number;
}

export interface CloseOutcome {
  status: 'closed' | 'already_closed';
  period: string;
  policy_version: string;
  closed_at: string;
  currencies: CurrencyClose[];
}

/** The ledger account of a recipient in a currency. */
export function accountOf(recipient: string, currency: Currency): string {
  if (recipient === 'platform') return fiatAccount.platform(currency);
  if (recipient === 'treasury') return fiatAccount.treasury(currency);
  if (recipient.startsWith('author:')) return fiatAccount.author(Number(recipient.slice(7)), currency);
  throw new Error(`no account for recipient ${recipient}`);
}

export function checkPeriod(period: string): void {
  if (!isPeriod(period)) throw invalid([{ field: 'period', reason: 'must be a month, YYYY-MM' }]);
}

/** Everything a period's split is computed from, and the split itself, per currency. */
export interface PeriodSplit {
  currency: Currency;
  allocation: Allocation;
  adjustments: AdjustmentLine[];
  payers: number;
}

export async function computeSplit(db: Queryable, period: string, policy: RevenuePolicy): Promise<PeriodSplit[]> {
  const window = await activityWindow(db, period);
  const authors = await contentAuthors(db);
  const out: PeriodSplit[] = [];
  for (const currency of CURRENCIES) {
    const payers = await payersOf(db, period, currency);
    const actions = await actionCounts(db, window, policy, payers.map((p) => p.member));
    const allocation = allocateUserCentric({ policy, payers, actions, authors });
    out.push({ currency, allocation, adjustments: await adjustmentsFor(db, period, currency), payers: payers.length });
  }
  return out;
}

/**
 * Closes a period: splits its revenue per currency, posts each recipient's final amount from the
 * period's clearing account (code `revenue_split`), freezes the lines that explain it, and carries
 * into the next period what recipients still owe after refunds of earlier periods. Periods close in
 * calendar order, once each: closing again answers that it is closed.
 */
export async function closePeriod(db: Database, period: string, actor: string, now: Date): Promise<CloseOutcome> {
  checkPeriod(period);
  if (periodBounds(period).to > now) throw invalid([{ field: 'period', reason: `has not ended yet (it ends ${periodBounds(period).to.toISOString()})` }]);
  return db.transaction(async (tx) => {
    await lockPeriods(tx, 'exclusive');
    const [done] = await tx.query<{ closed_at: Date; policy_version: string }>('select closed_at, policy_version from revenue_periods where period = $1', [period]);
    if (done) return { status: 'already_closed' as const, period, policy_version: done.policy_version, closed_at: done.closed_at.toISOString(), currencies: await closedSummary(tx, period) };
    const latest = await latestClosed(tx);
    if (latest && nextPeriod(latest.period) !== period) {
      throw invalid([{ field: 'period', reason: `periods close in order: the next to close is ${nextPeriod(latest.period)}` }]);
    }
    const [earlier] = await tx.query<{ period: string }>('select min(booked_period) as period from payments where booked_period < $1', [period]);
    if (!latest && earlier?.period) throw invalid([{ field: 'period', reason: `periods close in order: ${earlier.period} has payments and is not closed` }]);

    const policy = await revenuePolicyFor(tx, period);
    const [{ closed_at } = { closed_at: now }] = await tx.query<{ closed_at: Date }>(
      "insert into revenue_periods (period, policy_version, closed_at, closed_by) values ($1, $2, now(), $3) returning closed_at",
      [period, policy.version, actor],
    );
    // The split counts what was received by the close: the row above dates it, and the window reads it.
    const splits = await computeSplit(tx, period, policy);
    const currencies: CurrencyClose[] = [];
    const txs: TransactionInput[] = [];
    const rows: string[] = [];
    for (const split of splits) {
      const result = await settle(tx, period, split, actor, txs, rows);
      if (result) currencies.push(result);
    }
    if (rows.length > 0) {
      await tx.copyFrom('copy revenue_lines (period, currency, source, member_id, refund_id, recipient, content_id, amount, learners) from stdin', rows.join(''));
    }
    for (let n = 0; n < txs.length; n += LEDGER_LIMITS.transactions_per_batch) {
      await postValidated(tx, validateTransactions(txs.slice(n, n + LEDGER_LIMITS.transactions_per_batch)));
    }
    await audit(tx, actor, 'revenue.close', `revenue_period:${period}`, { policy_version: policy.version, currencies });
    return { status: 'closed' as const, period, policy_version: policy.version, closed_at: closed_at.toISOString(), currencies };
  });
}

/** Works out one currency's postings and lines; checks they empty the clearing account exactly. */
async function settle(tx: Queryable, period: string, split: PeriodSplit, actor: string, txs: TransactionInput[], rows: string[]): Promise<CurrencyClose | null> {
  const { currency, allocation, adjustments } = split;
  const clearing = fiatAccount.revenue(currency, period);
  const [account] = await tx.query<{ balance: number }>('select balance from accounts where address = $1', [clearing]);
  const balance = Number(account?.balance ?? 0);
  if (allocation.revenue === 0 && adjustments.length === 0 && balance === 0) return null;

  const net = new Map<string, number>(allocation.totals);
  for (const a of adjustments) net.set(a.recipient, (net.get(a.recipient) ?? 0) + a.amount);
  const total = [...net.values()].reduce((a, b) => a + b, 0);
  if (total !== balance) {
    throw new VkladError('internal', `The split of ${period} in ${currency} adds up to ${total}, but ${clearing} holds ${balance}; nothing was posted`);
  }
  const posted: Record<string, number> = {};
  const carried: Record<string, number> = {};
  const postings = [];
  for (const [recipient, amount] of [...net].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (amount > 0) {
      const to = accountOf(recipient, currency);
      posted[to] = amount;
      postings.push({ from: clearing, to, amount, asset: currency });
    } else if (amount < 0) {
      carried[accountOf(recipient, currency)] = amount;
      rows.push(copyRow([nextPeriod(period), currency, 'carry', null, null, recipient, null, amount, 0]));
    }
  }
  const owed = -Object.values(carried).reduce((a, b) => a + b, 0);
  if (owed > 0) postings.push({ from: fiatAccount.revenue(currency, nextPeriod(period)), to: clearing, amount: owed, asset: currency });
  const per = LEDGER_LIMITS.postings_per_transaction;
  for (let n = 0; n < postings.length; n += per) {
    txs.push({
      id: `revenue_split:${currency}:${period}:${n / per + 1}`,
      code: 'revenue_split',
      cause: `revenue_period:${period}`,
      actor,
      memo: `split of ${period} revenue in ${currency}`,
      postings: postings.slice(n, n + per),
    });
  }
  for (const l of allocation.member_lines) rows.push(copyRow([period, currency, 'member', l.member, null, l.recipient, null, l.amount, 1]));
  for (const l of allocation.content_lines) rows.push(copyRow([period, currency, l.source === 'pool' ? 'pool' : 'content', null, null, l.recipient, l.content, l.amount, l.learners]));
  for (const a of adjustments.filter((x) => x.source === 'takeback')) rows.push(copyRow([period, currency, 'takeback', a.member_id, a.refund_id, a.recipient, null, a.amount, 0]));
  return { currency, revenue: allocation.revenue, posted, carried, payers: split.payers };
}

/** What a closed period posted, read back from the ledger. */
async function closedSummary(db: Queryable, period: string): Promise<CurrencyClose[]> {
  const out: CurrencyClose[] = [];
  for (const currency of CURRENCIES) {
    const entries = await db.query<{ account: string; amount: number }>(
      `select e.account, e.amount from entries e join transactions t on t.id = e.transaction_id
       where t.id like $1 and e.account <> $2 order by e.account`,
      [`revenue_split:${currency}:${period}:%`, fiatAccount.revenue(currency, period)],
    );
    const carriedRows = await db.query<{ recipient: string; amount: number }>("select recipient, amount from revenue_lines where period = $1 and currency = $2 and source = 'carry'", [nextPeriod(period), currency]);
    const [stats] = await db.query<{ revenue: number; payers: number }>(
      "select coalesce(sum(amount), 0)::bigint as revenue, count(distinct member_id)::int as payers from revenue_lines where period = $1 and currency = $2 and source = 'member'",
      [period, currency],
    );
    if (entries.length === 0 && carriedRows.length === 0) continue;
    out.push({
      currency,
      revenue: Number(stats!.revenue),
      posted: Object.fromEntries(entries.filter((e) => !e.account.startsWith('revenue:')).map((e) => [e.account, Number(e.amount)])),
      carried: Object.fromEntries(carriedRows.map((r) => [accountOf(r.recipient, currency), Number(r.amount)])),
      payers: stats!.payers,
    });
  }
  return out;
}
