import type { Queryable } from '../db/database.ts';
import { invalid } from '../errors.ts';
import type { Currency } from '../payments/record.ts';
import { csvLine, decimal } from './statement.ts';

/**
 * Every movement of money (RUB and USD accounts) between two moments, as CSV for the accountant:
 * one row per entry, with the transaction's code, cause and memo and the account's running balance.
 */
export async function accountingCsv(db: Queryable, range: { from?: string | undefined; to?: string | undefined }): Promise<string> {
  const errors = (['from', 'to'] as const).filter((k) => range[k] !== undefined && Number.isNaN(Date.parse(range[k]!))).map((field) => ({ field, reason: 'must be an ISO 8601 date or time' }));
  if (errors.length > 0) throw invalid(errors);
  const rows = await db.query<{ at: Date; transaction_id: string; code: string; cause: string; memo: string | null; account: string; asset: Currency; amount: number; balance_after: number; actor: string }>(
    `select e.at, e.transaction_id, t.code, t.cause, t.memo, t.actor, e.account, a.asset, e.amount, e.balance_after
     from entries e join accounts a on a.address = e.account join transactions t on t.id = e.transaction_id
     where a.asset in ('RUB', 'USD') and ($1::timestamptz is null or e.at >= $1) and ($2::timestamptz is null or e.at < $2)
     order by e.at, e.id`,
    [range.from ?? null, range.to ?? null],
  );
  let out = csvLine(['at', 'transaction_id', 'code', 'cause', 'memo', 'actor', 'account', 'currency', 'amount_minor', 'amount', 'balance_after']);
  for (const r of rows) {
    out += csvLine([r.at.toISOString(), r.transaction_id, r.code, r.cause, r.memo ?? '', r.actor, r.account, r.asset, Number(r.amount), decimal(Number(r.amount), r.asset), Number(r.balance_after)]);
  }
  return out;
}
