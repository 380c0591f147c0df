import type { Queryable } from '../db/database.ts';
import { unknownAccounts } from './lock-accounts.ts';
import { type TransactionInput, contentOf, netOf } from './transaction.ts';

/** Thrown inside the database transaction to roll the fast path back: the batch then goes the careful way. */
export class TakeCarefulPath extends Error {}

/**
 * Whether a batch can go the fast way: its ids are distinct and every account it touches was seen
 * committed. (A new account is created between claiming the ids and locking the accounts, which
 * takes a statement of its own: the careful path does that.)
 */
export function mayPostAsNew(txs: readonly TransactionInput[]): boolean {
  if (new Set(txs.map((t) => t.id)).size < txs.length) return false;
  const addresses = new Set(txs.flatMap((t) => t.postings.flatMap((p) => [p.from, p.to])));
  return unknownAccounts([...addresses]).length === 0;
}

/**
 * Posts a batch of transactions that are all expected to be new, in one statement: claim the ids,
 * lock the accounts in address order and move their balances, write the entries with their running
 * balances. The same locks, in the same order, and the same checks as `postValidated`; what that path
 * answers one by one (an id stored before, an account that cannot cover the batch, an account that
 * does not exist) makes this one throw, a unique violation or `TakeCarefulPath`, so that the caller
 * rolls back and posts the batch through `postValidated`.
 */
export async function postNew(tx: Queryable, txs: readonly TransactionInput[]): Promise<void> {
  const sorted = [...txs].sort((a, b) => (a.id < b.id ? -1 : 1));
  const transactions = sorted.map((t) => ({
    id: t.id,
    code: t.code,
    cause: t.cause,
    actor: t.actor,
    memo: t.memo,
    reverses: t.reverses,
    content: contentOf(t),
    at: t.at === undefined ? null : new Date(t.at),
  }));
  const entries: { transaction_id: string; account: string; amount: number; seq: number }[] = [];
  for (const t of txs) {
    for (const [account, amount] of netOf(t)) if (amount !== 0) entries.push({ transaction_id: t.id, account, amount, seq: entries.length });
  }
  const [row] = await tx.query<{ accounts: number; moved: number }>(POST_NEW_SQL, [JSON.stringify(transactions), JSON.stringify(entries)]);
  if (row!.moved < row!.accounts) throw new TakeCarefulPath('an account is missing or cannot cover the batch');
}

// Every id is claimed before any account is locked: the window over the entries, which the locks
// wait for, reads all of `claimed` first. Each account's need is the lowest its running net reaches
// in the batch; `locked` and `moved` are the statement of move-balances.ts, and their reasoning holds.
const POST_NEW_SQL = `
  with clock as (
    select date_trunc('milliseconds', clock_timestamp()) as now
  ), claimed as (
    insert into transactions (id, code, cause, actor, memo, reverses, content, at)
    select t.id, t.code, t.cause, t.actor, t.memo, t.reverses, t.content, coalesce(t.at, clock.now)
    from json_to_recordset($1::json)
      as t(id text, code text, cause text, actor text, memo text, reverses text, content text, at timestamptz), clock
    returning id, at
  ), e as (
    select e.transaction_id, e.account, e.amount, e.seq,
      sum(e.amount) over w as running, max(c.at) over w as latest
    from json_to_recordset($2::json) as e(transaction_id text, account text, amount bigint, seq integer)
    join claimed c on c.id = e.transaction_id
    window w as (partition by e.account order by e.seq)
  ), d as (
    select account as address, sum(amount) as net, greatest(0, -min(running)) as need, max(latest) as latest
    from e group by account
  ), locked as (
    select address, balance, held, may_go_negative, last_at from accounts
    where address in (select address from d) order by address for update
  ), moved as (
    update accounts a set balance = a.balance + d.net, last_at = greatest(a.last_at, d.latest)
    from d join locked l using (address)
    where a.address = d.address and (l.may_go_negative or l.balance - l.held >= d.need)
    returning a.address
  ), written as (
    insert into entries (transaction_id, account, amount, balance_after, at)
    select e.transaction_id, e.account, e.amount, l.balance + e.running, greatest(l.last_at, e.latest)
    from e join locked l on l.address = e.account
    order by e.seq
  )
  select (select count(*) from d)::int as accounts, (select count(*) from moved)::int as moved`;
