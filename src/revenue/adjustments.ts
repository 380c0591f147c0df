import type { Queryable } from '../db/database.ts';
import type { Currency } from '../payments/record.ts';
import { takeBack } from './allocate.ts';

/** A correction a period's close applies on top of its own revenue. */
export interface AdjustmentLine {
  source: 'takeback' | 'carry';
  recipient: string;
  amount: number;
  refund_id: number | null;
  member_id: number | null;
}

/**
 * What the close of `period` takes back or carries in: refunds booked in it of payments from closed
 * periods (in proportion to what each payment allocated there), and what recipients still owed at
 * the previous close. All amounts are negative.
 */
export async function adjustmentsFor(db: Queryable, period: string, currency: Currency): Promise<AdjustmentLine[]> {
  const carried = await db.query<{ recipient: string; amount: number }>(
    "select recipient, amount from revenue_lines where period = $1 and currency = $2 and source = 'carry' order by recipient",
    [period, currency],
  );
  const lines: AdjustmentLine[] = carried.map((c) => ({ source: 'carry', recipient: c.recipient, amount: Number(c.amount), refund_id: null, member_id: null }));
  const refunds = await db.query<{ id: number; amount: number; member_id: number; paid_in: string }>(
    `select r.id, r.amount, p.member_id, p.booked_period as paid_in
     from payment_refunds r join payments p on p.id = r.payment_id
     where r.booked_period = $1 and p.currency = $2 and p.booked_period < $1 order by r.id`,
    [period, currency],
  );
  for (const refund of refunds) {
    const paidIn = refund.paid_in;
    const memberLines = await db.query<{ recipient: string; amount: number }>(
      `select recipient, sum(amount)::bigint as amount from revenue_lines
       where period = $1 and currency = $2 and source = 'member'
         and member_id in (select $3::bigint union select coalesce(merged_into, id) from members where id = $3)
       group by recipient order by recipient`,
      [paidIn, currency, refund.member_id],
    );
    const pool = await db.query<{ recipient: string; amount: number }>(
      `select recipient, sum(amount)::bigint as amount from revenue_lines
       where period = $1 and currency = $2 and source = 'pool' group by recipient order by recipient`,
      [paidIn, currency],
    );
    const num = (rows: { recipient: string; amount: number }[]) => rows.map((r) => ({ recipient: r.recipient, amount: Number(r.amount) })).filter((r) => r.amount > 0);
    const member = num(memberLines);
    // A payment whose period split nothing (it closed before the payment's lines existed) is taken back from the platform.
    const back = member.length > 0 ? takeBack(Number(refund.amount), member, num(pool)) : new Map([['platform', -Number(refund.amount)]]);
    for (const [recipient, amount] of back) lines.push({ source: 'takeback', recipient, amount, refund_id: Number(refund.id), member_id: Number(refund.member_id) });
  }
  return lines;
}
