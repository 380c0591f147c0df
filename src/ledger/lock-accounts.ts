import type { Queryable } from '../db/database.ts';
import { assetOf, mayGoNegative } from './conventions.ts';

export interface LockedAccount {
  address: string;
  asset: string;
  balance: number;
  held: number;
  may_go_negative: boolean;
  last_at: Date | null;
}

/**
 * Creates the accounts that do not exist yet, then locks every one of them for the rest of the
 * transaction, in address order: every writer takes its locks in the same order, so none deadlock.
 */
export async function lockAccounts(tx: Queryable, addresses: Iterable<string>): Promise<Map<string, LockedAccount>> {
  const sorted = [...new Set(addresses)].sort();
  if (sorted.length === 0) return new Map();
  await tx.query(
    `insert into accounts (address, asset, may_go_negative)
     select * from unnest($1::text[], $2::text[], $3::boolean[])
     on conflict (address) do nothing`,
    [sorted, sorted.map((a) => assetOf(a)), sorted.map(mayGoNegative)],
  );
  const rows = await tx.query<LockedAccount>(
    `select address, asset, balance, held, may_go_negative, last_at from accounts
     where address = any($1::text[]) order by address for update`,
    [sorted],
  );
  return new Map(rows.map((r) => [r.address, r]));
}

/** Writes back the balances of locked accounts. */
export async function saveAccounts(tx: Queryable, accounts: LockedAccount[]): Promise<void> {
  if (accounts.length === 0) return;
  await tx.query(
    `update accounts a set balance = v.balance, held = v.held, last_at = v.last_at
     from unnest($1::text[], $2::bigint[], $3::bigint[], $4::timestamptz[]) as v(address, balance, held, last_at)
     where a.address = v.address`,
    [accounts.map((a) => a.address), accounts.map((a) => a.balance), accounts.map((a) => a.held), accounts.map((a) => a.last_at)],
  );
}

export const available = (account: LockedAccount): number => account.balance - account.held;
