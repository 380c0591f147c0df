import { copyRow } from '../db/copy-text.ts';
import type { Queryable } from '../db/database.ts';
import { type LockedAccount, saveAccounts } from './lock-accounts.ts';
import { type EntryRow, applyPostings } from './post.ts';
import { type TransactionInput, contentOf } from './transaction.ts';

/**
 * Writes a batch of new transactions whose accounts the caller has already locked (in address order)
 * and read: each entry's running balance is worked out in memory from those locked balances, the
 * rows go in by COPY, and each account's balance is written once. The same checks as `postValidated`:
 * no account that may not go negative ends up below zero, or the whole batch is refused.
 * An id stored before makes the COPY fail with a unique violation (23505), and nothing of the batch
 * stays: the caller then posts it through `postValidated`, which answers repeats one by one.
 */
export async function postLocked(tx: Queryable, txs: readonly TransactionInput[], accounts: Map<string, LockedAccount>): Promise<void> {
  if (txs.length === 0) return;
  const entries: EntryRow[] = [];
  const rows: string[] = [];
  const iso = isoOnce();
  for (const t of txs) {
    if (t.at === undefined) throw new Error(`postLocked needs the time of ${t.id}`);
    const at = new Date(t.at);
    const unlocked = t.postings.flatMap((p) => [p.from, p.to]).find((address) => !accounts.has(address));
    if (unlocked !== undefined) throw new Error(`postLocked: ${unlocked} is not locked`);
    applyPostings(t, at, accounts, entries, txs.length > 1 ? rows.length : undefined);
    rows.push(copyRow([t.id, t.code, t.cause, t.actor, t.memo ?? null, t.reverses ?? null, contentOf(t), iso(at)]));
  }
  await tx.copyFrom('copy transactions (id, code, cause, actor, memo, reverses, content, at) from stdin', rows.join(''));
  await tx.copyFrom(
    'copy entries (transaction_id, account, amount, balance_after, at) from stdin',
    entries.map((e) => copyRow([e.transaction_id, e.account, e.amount, e.balance_after, iso(e.at)])).join(''),
  );
  await saveAccounts(tx, [...new Set(entries.map((e) => e.account))].map((address) => accounts.get(address)!));
}

/** Formats times as ISO text, once per distinct time: a batch's transactions mostly share one. */
function isoOnce(): (at: Date) => string {
  let last = Number.NaN;
  let text = '';
  return (at) => {
    if (at.getTime() !== last) {
      last = at.getTime();
      text = at.toISOString();
    }
    return text;
  };
}

/** Whether a database error is a unique violation: here, a transaction id already stored. */
export const isUniqueViolation = (error: unknown): boolean => (error as { code?: string } | null)?.code === '23505';
