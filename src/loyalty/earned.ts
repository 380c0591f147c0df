import type { Queryable } from '../db/database.ts';
import { memberAccount } from '../ledger/conventions.ts';

/**
 * Points a member earned in (from, to], epoch ms: what award and achievement transactions brought
 * to their point accounts, less what award reversals took back (a debt recorded counts as taken).
 * Moving pending points to available nets to zero; spending and expiry are other codes, so they
 * never lower it.
 */
export async function earnedPoints(db: Queryable, member: number, from: number, to: number): Promise<number> {
  const [row] = await db.query<{ earned: number | null }>(
    `select sum(case when e.account = $2 then -e.amount else e.amount end)::bigint as earned
     from entries e join transactions t on t.id = e.transaction_id
     where e.account = any($1::text[]) and e.at > $3 and e.at <= $4 and t.code in ('award', 'achievement', 'award_reversal')`,
    [
      [memberAccount.available(member), memberAccount.pending(member), memberAccount.debt(member)],
      memberAccount.debt(member),
      new Date(from).toISOString(),
      new Date(to).toISOString(),
    ],
  );
  return Math.max(0, row?.earned ?? 0);
}
