/** One change to an account's posted balance: signed amount, epoch ms. */
export interface Movement {
  amount: number;
  at: number;
}

/**
 * How many points that came in at or before `cutoff` are still unspent, when every spending
 * (expiry included) uses up the oldest points first. Movements are in the order they were posted.
 */
export function expiringAmount(movements: Movement[], cutoff: number): number {
  const lots: { amount: number; at: number }[] = [];
  let oldest = 0;
  for (const m of movements) {
    if (m.amount > 0) {
      lots.push({ amount: m.amount, at: m.at });
      continue;
    }
    let spend = -m.amount;
    while (spend > 0 && oldest < lots.length) {
      const lot = lots[oldest]!;
      const used = Math.min(lot.amount, spend);
      lot.amount -= used;
      spend -= used;
      if (lot.amount === 0) oldest += 1;
    }
  }
  let expiring = 0;
  for (let i = oldest; i < lots.length && lots[i]!.at <= cutoff; i += 1) expiring += lots[i]!.amount;
  return expiring;
}

/** The same wall-clock moment `months` calendar months earlier (UTC), on the month's last day if it is shorter. */
export function monthsBefore(now: number, months: number): number {
  const d = new Date(now);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime() + (now - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}
