import type { Queryable } from '../db/database.ts';
import { invalid, notFound } from '../errors.ts';
import { assetOf } from './conventions.ts';
import type { Posting } from './transaction.ts';

export interface Balance {
  address: string;
  asset: string;
  /** Posted: the sum of the account's entries. */
  balance: number;
  held: number;
  available: number;
}

function checkedAsset(address: string): string {
  const asset = assetOf(address);
  if (!asset) throw invalid([{ field: 'account', reason: 'must be a ledger address such as member:42:pts' }]);
  return asset;
}

/** An account nobody has used yet has a zero balance. */
export async function getBalance(db: Queryable, address: string): Promise<Balance> {
  const asset = checkedAsset(address);
  const [row] = await db.query<{ balance: number; held: number }>('select balance, held from accounts where address = $1', [address]);
  const balance = row?.balance ?? 0;
  const held = row?.held ?? 0;
  return { address, asset, balance, held, available: balance - held };
}

/** The posted balance as it was at a moment (epoch ms): the running balance of the last entry at or before it. */
export async function balanceAt(db: Queryable, address: string, at: number): Promise<number> {
  checkedAsset(address);
  const [row] = await db.query<{ balance_after: number }>(
    'select balance_after from entries where account = $1 and at <= $2 order by at desc, id desc limit 1',
    [address, new Date(at).toISOString()],
  );
  return row?.balance_after ?? 0;
}

export interface HistoryEntry {
  entry_id: number;
  transaction_id: string;
  code: string;
  cause: string;
  actor: string;
  memo: string | null;
  at: Date;
  amount: number;
  balance_after: number;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  next_cursor: string | null;
}

export const HISTORY_LIMIT = { default: 50, max: 500 } as const;

/** An account's entries, newest first, each with the balance right after it. */
export async function accountHistory(db: Queryable, address: string, options: { limit?: number; cursor?: string | null } = {}): Promise<HistoryPage> {
  checkedAsset(address);
  const limit = options.limit ?? HISTORY_LIMIT.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_LIMIT.max) {
    throw invalid([{ field: 'limit', reason: `must be an integer from 1 to ${HISTORY_LIMIT.max}` }]);
  }
  const cursor = options.cursor ? Number(options.cursor) : null;
  if (cursor !== null && !(Number.isSafeInteger(cursor) && cursor > 0)) throw invalid([{ field: 'cursor', reason: 'is not a cursor this ledger gave out' }]);
  // Entries of one account are in time order by construction, so the cursor (an entry id) is a position in time too.
  const rows = await db.query<HistoryEntry>(
    `select e.id as entry_id, e.transaction_id, t.code, t.cause, t.actor, t.memo, e.at, e.amount, e.balance_after
     from entries e join transactions t on t.id = e.transaction_id
     where e.account = $1 and ($2::bigint is null or (e.at, e.id) < (select at, id from entries where id = $2 and account = $1))
     order by e.at desc, e.id desc limit $3`,
    [address, cursor, limit + 1],
  );
  const page = rows.slice(0, limit);
  return { entries: page, next_cursor: rows.length > limit ? String(page.at(-1)!.entry_id) : null };
}

export interface StoredTransaction {
  id: string;
  code: string;
  cause: string;
  actor: string;
  memo: string | null;
  reverses: string | null;
  reversed_by: string | null;
  at: Date;
  postings: Posting[];
  entries: { account: string; amount: number; balance_after: number }[];
}

export async function getTransaction(db: Queryable, id: string): Promise<StoredTransaction> {
  const [row] = await db.query<Omit<StoredTransaction, 'postings' | 'entries'> & { content: string }>(
    `select t.id, t.code, t.cause, t.actor, t.memo, t.reverses, r.id as reversed_by, t.at, t.content
     from transactions t left join transactions r on r.reverses = t.id where t.id = $1`,
    [id],
  );
  if (!row) throw notFound(`Transaction ${id}`);
  const entries = await db.query<StoredTransaction['entries'][number]>(
    'select account, amount, balance_after from entries where transaction_id = $1 order by id',
    [id],
  );
  const { content, ...rest } = row;
  return { ...rest, postings: (JSON.parse(content) as { postings: Posting[] }).postings, entries };
}

/** The sum of all balances of each asset: zero for every asset in a sound ledger. */
export async function totalsPerAsset(db: Queryable): Promise<{ asset: string; total: number; accounts: number }[]> {
  return db.query(
    'select asset, sum(balance)::bigint as total, count(*)::int as accounts from accounts group by asset order by asset',
  );
}

export interface LedgerCheck {
  /** Assets whose balances do not sum to zero. */
  unbalanced_assets: { asset: string; total: number }[];
  /** Accounts whose balance is not the sum of their entries, or whose latest running balance disagrees. */
  mismatched_accounts: { address: string; balance: number; entries_sum: number }[];
  /** Non-issuance accounts with less than zero available. */
  negative_accounts: { address: string; balance: number; held: number }[];
  /** Transactions whose entries do not sum to zero per asset. */
  unbalanced_transactions: string[];
}

/** Checks the ledger's invariants from scratch. */
export async function checkLedger(db: Queryable): Promise<LedgerCheck> {
  const unbalanced_assets = (await totalsPerAsset(db)).filter((t) => t.total !== 0).map(({ asset, total }) => ({ asset, total }));
  const mismatched_accounts = await db.query<LedgerCheck['mismatched_accounts'][number]>(
    `select a.address, a.balance, coalesce(e.total, 0)::bigint as entries_sum
     from accounts a
     left join (select account, sum(amount) as total from entries group by account) e on e.account = a.address
     left join lateral (select balance_after from entries where account = a.address order by at desc, id desc limit 1) l on true
     where a.balance <> coalesce(e.total, 0) or a.balance <> coalesce(l.balance_after, 0)
     order by a.address`,
  );
  const negative_accounts = await db.query<LedgerCheck['negative_accounts'][number]>(
    'select address, balance, held from accounts where not may_go_negative and (balance < 0 or balance - held < 0) order by address',
  );
  const unbalanced = await db.query<{ transaction_id: string }>(
    `select distinct e.transaction_id from entries e join accounts a on a.address = e.account
     group by e.transaction_id, a.asset having sum(e.amount) <> 0 order by 1`,
  );
  return { unbalanced_assets, mismatched_accounts, negative_accounts, unbalanced_transactions: unbalanced.map((r) => r.transaction_id) };
}
