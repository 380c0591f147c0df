import type { Queryable } from '../db/database.ts';
import { type LockedAccount, createAccounts, rememberAccounts, unknownAccounts } from './lock-accounts.ts';

/** The change a batch makes to one account: its net amount, and the available balance it needs to start with. */
export interface BalanceMove {
  address: string;
  net: number;
  /** The least `balance - held` the account must start with so that no transaction leaves it below zero; null: no debit. */
  need: number | null;
  /** The latest time among the batch's transactions touching the account. */
  latest: Date;
}

export type MovedAccount = LockedAccount & { applied: boolean };

// One round trip: lock the rows in address order, then apply each move whose account covers its need.
// Under READ COMMITTED the update re-reads a row changed while this statement waited for its lock,
// and the lock holds it from there on, so `locked` shows exactly the balance the move was added to.
const MOVE_SQL = `
  with d as (
    select * from json_to_recordset($1::json) as d(address text, net bigint, need bigint, latest timestamptz)
  ), locked as (
    select address, asset, balance, held, may_go_negative, last_at from accounts
    where address in (select address from d) order by address for update
  ), moved as (
    update accounts a set balance = a.balance + d.net, last_at = greatest(a.last_at, d.latest)
    from d join locked l using (address)
    where a.address = d.address and (l.may_go_negative or d.need is null or l.balance - l.held >= d.need)
    returning a.address
  )
  select l.*, m.address is not null as applied from locked l left join moved m using (address) order by l.address`;

/**
 * Locks the accounts of the moves (creating those that do not exist yet) and applies every move
 * whose account can cover it. Returns each account as it was before, and whether its move was applied:
 * the caller refuses the whole transaction when any was not.
 */
export async function lockAndMove(tx: Queryable, moves: BalanceMove[]): Promise<Map<string, MovedAccount>> {
  const sorted = [...moves].sort((a, b) => (a.address < b.address ? -1 : 1));
  if (sorted.length === 0) return new Map();
  const created = await createAccounts(tx, unknownAccounts(sorted.map((m) => m.address)));
  const rows = await move(tx, sorted);
  if (rows.length < sorted.length) {
    // An address remembered as existing was not (one process, several databases): create it, then
    // move it; the rest are moved already. Only here is an account locked out of address order.
    const found = new Set(rows.map((r) => r.address));
    const missing = sorted.filter((m) => !found.has(m.address));
    for (const a of await createAccounts(tx, missing.map((m) => m.address))) created.add(a);
    rows.push(...(await move(tx, missing)));
  }
  rememberAccounts(rows.map((r) => r.address).filter((a) => !created.has(a)));
  return new Map(rows.map((r) => [r.address, r]));
}

const move = (tx: Queryable, sorted: BalanceMove[]) =>
  tx.query<MovedAccount>(MOVE_SQL, [JSON.stringify(sorted)]);
