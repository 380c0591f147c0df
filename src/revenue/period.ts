import type { Queryable } from '../db/database.ts';

/** A revenue period is a calendar month in UTC, written YYYY-MM. */
export const PERIOD_PATTERN = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

export const isPeriod = (value: string): boolean => PERIOD_PATTERN.test(value);

export function nextPeriod(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

export function previousPeriod(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** The first moment of a period (inclusive) and of the next (exclusive). */
export const periodBounds = (period: string): { from: Date; to: Date } => ({
  from: new Date(`${period}-01T00:00:00Z`),
  to: new Date(`${nextPeriod(period)}-01T00:00:00Z`),
});

export const periodOf = (at: Date): string => at.toISOString().slice(0, 7);

/**
 * Writers of payments and refunds hold this lock shared, a close holds it exclusively: nothing is
 * booked into a period while it closes.
 */
export async function lockPeriods(tx: Queryable, mode: 'shared' | 'exclusive'): Promise<void> {
  await tx.query(mode === 'shared' ? 'select pg_advisory_xact_lock_shared(7372007)' : 'select pg_advisory_xact_lock(7372007)');
}

export interface ClosedPeriod {
  period: string;
  closed_at: Date;
}

/** The latest closed period, if any: periods close in calendar order. */
export async function latestClosed(db: Queryable): Promise<ClosedPeriod | null> {
  const [row] = await db.query<ClosedPeriod>('select period, closed_at from revenue_periods order by period desc limit 1');
  return row ?? null;
}

/** Where money for `period` is booked: that period while it is open, otherwise the first open one. */
export function bookingPeriod(period: string, closed: ClosedPeriod | null): string {
  if (!closed || period > closed.period) return period;
  return nextPeriod(closed.period);
}
