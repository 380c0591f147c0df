import type { Database } from '../db/database.ts';
import { recordPayment } from '../payments/record.ts';
import { closePeriod } from '../revenue/close.ts';
import { periodBounds, periodOf, previousPeriod } from '../revenue/period.ts';

/** The demo's subscription: 1,490 ₽ a month, in kopecks. */
const PRICE = 149_000;
const ACTOR = 'demo';

/**
 * Whether a member pays for a month: four in five of those who were active in it, and one in
 * thirty-three of those who were not (their money goes where the revenue policy sends it).
 * A hash of member and month, so the demo is the same every time.
 */
export function pays(member: number, period: string, active: boolean): boolean {
  let h = Math.imul(member, 2654435761) ^ Math.imul(Number(period.replace('-', '')), 40503);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  const roll = ((h ^ (h >>> 13)) >>> 0) % 1000;
  return active ? roll < 800 : roll < 30;
}

/**
 * Subscription payments for the last `months` calendar months up to `end` (the current one
 * included), then every month before the current one closed: authors have money from closed
 * months on their accounts and a live accrual for the open one.
 */
export async function loadSubscriptions(db: Database, options: { end: Date; months: number }): Promise<{ payments: number; closed: string[] }> {
  const current = periodOf(options.end);
  const periods = [current];
  while (periods.length < options.months) periods.unshift(previousPeriod(periods[0]!));
  const members = (await db.query<{ id: number }>('select id from members where merged_into is null order by id')).map((r) => Number(r.id));
  let payments = 0;
  for (const period of periods) {
    const { from, to } = periodBounds(period);
    const active = new Set(
      (await db.query<{ member_id: number }>('select distinct member_id from events where member_id is not null and occurred_at >= $1 and occurred_at < $2', [from, to])).map((r) => Number(r.member_id)),
    );
    // Paid on the first of the month (or today, for a month that begins in the future of `end`).
    const at = new Date(Math.min(from.getTime() + 10 * 3_600_000, options.end.getTime())).toISOString();
    for (const member of members) {
      if (!pays(member, period, active.has(member))) continue;
      await recordPayment(db, { provider: 'demo', provider_payment_id: `${period}-${member}`, member: { member_id: member }, amount: PRICE, currency: 'RUB', period, occurred_at: at }, ACTOR);
      payments += 1;
    }
  }
  const closed = periods.slice(0, -1);
  for (const period of closed) await closePeriod(db, period, ACTOR, options.end);
  return { payments, closed };
}
