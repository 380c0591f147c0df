import type { Database, Queryable } from '../db/database.ts';
import { type FieldError, conflict } from '../errors.ts';
import { mayGoNegative } from './conventions.ts';
import { type LockedAccount, available } from './lock-accounts.ts';
import { type BalanceMove, lockAndMove } from './move-balances.ts';
import { TakeCarefulPath, mayPostAsNew, postNew } from './post-new.ts';
import { isUniqueViolation } from './post-locked.ts';
import { type TransactionInput, contentOf, differingFields, netOf, validateTransactions } from './transaction.ts';

export interface PostOutcome {
  status: 'created' | 'exists';
  id: string;
}

/** Posts one transaction, all or nothing; the same id again answers `exists`, with other content a conflict. */
export async function postTransaction(db: Database, input: unknown): Promise<PostOutcome> {
  const [outcome] = await postTransactions(db, [input]);
  return outcome!;
}

/**
 * Posts a batch in one database transaction: all of it, or none of it. A batch of new transactions
 * goes in one statement (`postNew`); when that finds a repeat, a missing account or too little to
 * cover, it rolls back and the batch goes through `postValidated`, which answers each case.
 */
export async function postTransactions(db: Database, inputs: unknown[]): Promise<PostOutcome[]> {
  const txs = validateTransactions(inputs);
  if (mayPostAsNew(txs)) {
    try {
      await db.transaction((tx) => postNew(tx, txs));
      return txs.map((t) => ({ status: 'created', id: t.id }));
    } catch (error) {
      if (!(error instanceof TakeCarefulPath) && !isUniqueViolation(error)) throw error;
    }
  }
  return db.transaction((tx) => postValidated(tx, txs));
}

/**
 * The core, for callers already inside a database transaction. Locks in a fixed order that every
 * ledger writer follows: transaction ids (sorted), then accounts (sorted by address). Three round
 * trips whatever the batch size: claim the ids, lock and move the balances, write the entries.
 */
export async function postValidated(tx: Queryable, txs: TransactionInput[]): Promise<PostOutcome[]> {
  const contents = txs.map(contentOf);
  const firstOf = new Map<string, number>();
  txs.forEach((t, item) => firstOf.has(t.id) || firstOf.set(t.id, item));
  const claimed = await claimIds(tx, txs, contents, [...firstOf.values()]);

  const outcomes: PostOutcome[] = txs.map((t, item) => ({ status: firstOf.get(t.id) === item && claimed.has(t.id) ? 'created' : 'exists', id: t.id }));
  await compareRepeats(tx, txs, contents, outcomes, firstOf, claimed);

  const created = txs.flatMap((t, item) => (outcomes[item]!.status === 'created' ? [{ t, item, at: claimed.get(t.id)! }] : []));
  const before = await lockAndMove(tx, plannedMoves(created));
  // Replaying the batch from the balances as they were gives each entry its running balance, and
  // names the posting that overdraws when the database refused a move.
  const accounts = new Map([...before].map(([address, { applied: _, ...account }]) => [address, account]));
  const entries: EntryRow[] = [];
  for (const { t, item, at } of created) applyPostings(t, at, accounts, entries, txs.length > 1 ? item : undefined);
  if ([...before.values()].some((a) => !a.applied)) throw conflict('Insufficient funds');
  await insertEntries(tx, entries);
  return outcomes;
}

/** What the batch does to each account, worked out from zero: the database adds it to the real balance. */
function plannedMoves(created: { t: TransactionInput; at: Date }[]): BalanceMove[] {
  const moves = new Map<string, BalanceMove>();
  for (const { t, at } of created) {
    for (const [address, amount] of netOf(t)) {
      if (amount === 0) continue;
      const m = moves.get(address) ?? moves.set(address, { address, net: 0, need: null, latest: at }).get(address)!;
      m.net += amount;
      if (at > m.latest) m.latest = at;
      if (amount < 0 && !mayGoNegative(address)) m.need = Math.max(m.need ?? 0, -m.net);
    }
  }
  return [...moves.values()];
}

export interface EntryRow {
  transaction_id: string;
  account: string;
  amount: number;
  balance_after: number;
  at: Date;
}

/** Inserts the first statement of each id that is new; returns the ids it stored with their times. */
async function claimIds(tx: Queryable, txs: TransactionInput[], contents: string[], items: number[]): Promise<Map<string, Date>> {
  const sorted = [...items].sort((a, b) => (txs[a]!.id < txs[b]!.id ? -1 : 1));
  const rows = JSON.stringify(
    sorted.map((item) => {
      const t = txs[item]!;
      return { id: t.id, code: t.code, cause: t.cause, actor: t.actor, memo: t.memo, reverses: t.reverses, content: contents[item], at: t.at === undefined ? null : new Date(t.at) };
    }),
  );
  const claim = async (onConflict: string) =>
    new Map((await tx.query<{ id: string; at: Date }>(CLAIM_SQL.replace('$onConflict', onConflict), [rows])).map((r) => [r.id, r.at]));
  if (sorted.length < PLAIN_CLAIM_FROM) return claim('on conflict (id) do nothing');
  // A plain insert costs less per row than one with "on conflict", and a new batch is all new ids;
  // the savepoint (two round trips) pays for itself only on a batch.
  await tx.query('savepoint ledger_claim');
  try {
    const claimed = await claim('');
    await tx.query('release savepoint ledger_claim');
    return claimed;
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    await tx.query('rollback to savepoint ledger_claim');
    return claim('on conflict (id) do nothing');
  }
}

const PLAIN_CLAIM_FROM = 32;

const CLAIM_SQL = `
  insert into transactions (id, code, cause, actor, memo, reverses, content, at)
  select id, code, cause, actor, memo, reverses, content, coalesce(at, date_trunc('milliseconds', clock_timestamp()))
  from json_to_recordset($1::json)
    as t(id text, code text, cause text, actor text, memo text, reverses text, content text, at timestamptz)
  $onConflict
  returning id, at`;

/** Every statement that was not stored must say what the stored one says; a difference is a conflict. */
async function compareRepeats(
  tx: Queryable,
  txs: TransactionInput[],
  contents: string[],
  outcomes: PostOutcome[],
  firstOf: Map<string, number>,
  claimed: Map<string, Date>,
): Promise<void> {
  const repeats = outcomes.flatMap((o, item) => (o.status === 'exists' ? [item] : []));
  if (repeats.length === 0) return;
  const unclaimed = [...new Set(repeats.map((item) => txs[item]!.id))].filter((id) => !claimed.has(id));
  const stored = new Map(
    (await tx.query<{ id: string; content: string }>('select id, content from transactions where id = any($1::text[])', [unclaimed])).map((r) => [r.id, r.content]),
  );
  const errors: FieldError[] = repeats.flatMap((item) => {
    const id = txs[item]!.id;
    const original = claimed.has(id) ? contents[firstOf.get(id)!]! : stored.get(id)!;
    return differingFields(original, contents[item]!).map((field) => ({
      field,
      reason: `differs from transaction ${id} as already posted`,
      ...(txs.length > 1 ? { item } : {}),
    }));
  });
  if (errors.length > 0) throw conflict('A transaction with the same id was posted with different content', errors);
}

/**
 * Replays a transaction on the accounts as held in memory and records one entry per account with its
 * running balance; refuses the whole batch if a non-issuance account would have less than zero available.
 * An entry is never dated before the account's latest one, so each account's history is in time order.
 */
export function applyPostings(t: TransactionInput, at: Date, accounts: Map<string, LockedAccount>, entries: EntryRow[], item?: number): void {
  for (const [address, amount] of netOf(t)) {
    if (amount === 0) continue;
    const account = accounts.get(address)!;
    if (!account.last_at || account.last_at < at) account.last_at = at;
    account.balance += amount;
    entries.push({ transaction_id: t.id, account: address, amount, balance_after: account.balance, at: account.last_at });
    if (amount < 0 && !account.may_go_negative && available(account) < 0) throw insufficient(t, account, -amount, item);
  }
}

function insufficient(t: TransactionInput, account: LockedAccount, needed: number, item?: number) {
  const posting = t.postings.findIndex((p) => p.from === account.address);
  const had = available(account) + needed;
  return conflict(`Insufficient funds: ${account.address} has ${had} ${account.asset} available, the transaction needs ${needed}`, [
    { field: `postings[${posting}].from`, reason: `${account.address} has ${had} available, needs ${needed}`, ...(item === undefined ? {} : { item }) },
  ]);
}

// Rows go as one JSON parameter: serialising it is native, where array parameters are escaped element by element.
async function insertEntries(tx: Queryable, entries: EntryRow[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(
    `insert into entries (transaction_id, account, amount, balance_after, at)
     select * from json_to_recordset($1::json) as e(transaction_id text, account text, amount bigint, balance_after bigint, at timestamptz)`,
    [JSON.stringify(entries)],
  );
}
