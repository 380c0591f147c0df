import type { Database } from '../db/database.ts';
import { invalid } from '../errors.ts';
import { available, lockAccounts } from './lock-accounts.ts';
import { expiringAmount, monthsBefore } from './expiry-fifo.ts';
import { postValidated } from './post.ts';
import type { TransactionInput } from './transaction.ts';

export const EXPIRED = 'sink:pts:expired';
/** Accounts examined per database transaction. */
const CHUNK = 200;

/**
 * Points not spent within `months` expire, oldest first, as a visible `expiry` transaction from the
 * member's available points to `sink:pts:expired`. Held points stay. Running it again for the same
 * `now` (epoch ms) changes nothing: the earlier expiry has already used up those points.
 */
export async function expirePoints(db: Database, options: { months: number; now: number }): Promise<{ accounts: number; points: number }> {
  const { months, now } = options;
  if (!Number.isInteger(months) || months < 1 || months > 120) throw invalid([{ field: 'months', reason: 'must be an integer from 1 to 120' }]);
  if (!Number.isSafeInteger(now)) throw invalid([{ field: 'now', reason: 'must be epoch milliseconds' }]);
  const cutoff = monthsBefore(now, months);
  const candidates = await db.query<{ account: string }>(
    `select distinct account from entries where account like 'member:%:pts' and amount > 0 and at <= $1 order by account`,
    [new Date(cutoff).toISOString()],
  );
  const report = { accounts: 0, points: 0 };
  for (let start = 0; start < candidates.length; start += CHUNK) {
    const chunk = candidates.slice(start, start + CHUNK).map((c) => c.account);
    await db.transaction(async (tx) => {
      // Expiry ids are made only here, under these account locks, so locking before claiming them is safe.
      const accounts = await lockAccounts(tx, chunk);
      const rows = await tx.query<{ account: string; amount: number; at: Date }>(
        'select account, amount, at from entries where account = any($1::text[]) order by account, at, id',
        [chunk],
      );
      const movements = new Map<string, { amount: number; at: Date }[]>();
      for (const r of rows) movements.get(r.account)?.push(r) ?? movements.set(r.account, [r]);
      const expiries: TransactionInput[] = chunk.flatMap((account) => {
        const due = expiringAmount((movements.get(account) ?? []).map((r) => ({ amount: r.amount, at: r.at.getTime() })), cutoff);
        const amount = Math.min(due, available(accounts.get(account)!));
        if (amount <= 0) return [];
        report.accounts += 1;
        report.points += amount;
        return [{ id: `expiry:${account}:${now}`, code: 'expiry', cause: `points unspent for ${months} months`, actor: 'ledger', at: now, postings: [{ from: account, to: EXPIRED, amount, asset: 'PTS' }] }];
      });
      await postValidated(tx, expiries);
    });
  }
  return report;
}
