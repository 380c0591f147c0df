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

// Addresses seen committed in a database. Accounts are never deleted, so this only saves asking
// to create them again; an address wrongly taken as existing is found missing and created below.
const known = new Set<string>();
const KNOWN_LIMIT = 1_000_000;

/**
 * Creates the accounts that do not exist yet, then locks every one of them for the rest of the
 * transaction, in address order: every writer takes its locks in the same order, so none deadlock.
 */
export async function lockAccounts(tx: Queryable, addresses: Iterable<string>): Promise<Map<string, LockedAccount>> {
  const sorted = [...new Set(addresses)].sort();
  if (sorted.length === 0) return new Map();
  const created = await createAccounts(tx, unknownAccounts(sorted));
  const rows = await selectForUpdate(tx, sorted);
  if (rows.length < sorted.length) {
    const found = new Set(rows.map((r) => r.address));
    const missing = sorted.filter((a) => !found.has(a));
    for (const a of await createAccounts(tx, missing)) created.add(a);
    rows.push(...(await selectForUpdate(tx, missing)));
  }
  rememberAccounts(rows.map((r) => r.address).filter((a) => !created.has(a)));
  return new Map(rows.map((r) => [r.address, r]));
}

export const unknownAccounts = (addresses: string[]): string[] => addresses.filter((a) => !known.has(a));

/** Remembers addresses found committed (not ones this transaction created: it may yet roll back). */
export function rememberAccounts(addresses: string[]): void {
  if (known.size + addresses.length > KNOWN_LIMIT) known.clear();
  for (const a of addresses) known.add(a);
}

/** Creates, in address order, the accounts that do not exist; returns those this transaction created. */
export async function createAccounts(tx: Queryable, sorted: string[]): Promise<Set<string>> {
  if (sorted.length === 0) return new Set();
  const rows = await tx.query<{ address: string }>(
    `insert into accounts (address, asset, may_go_negative)
     select * from unnest($1::text[], $2::text[], $3::boolean[])
     on conflict (address) do nothing returning address`,
    [sorted, sorted.map((a) => assetOf(a)), sorted.map(mayGoNegative)],
  );
  return new Set(rows.map((r) => r.address));
}

const selectForUpdate = (tx: Queryable, sorted: string[]) =>
  tx.query<LockedAccount>(
    `select address, asset, balance, held, may_go_negative, last_at from accounts
     where address = any($1::text[]) order by address for update`,
    [sorted],
  );

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
