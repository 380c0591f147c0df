import type { Queryable } from '../db/database.ts';
import type { Currency } from '../payments/record.ts';
import { allocateProRata, allocateUserCentric, authorOf } from './allocate.ts';
import { checkPeriod } from './close.ts';
import { actionCounts, activityWindow, contentAuthors, payersOf } from './inputs.ts';
import { revenuePolicyFor } from './policies.ts';
import { CURRENCIES } from '../payments/record.ts';

export interface ComparisonRow {
  /** An author's member id, or null for the platform and the treasury. */
  author_id: number | null;
  recipient: string;
  user_centric: number;
  pro_rata: number;
  /** user_centric − pro_rata: what following each member's money changes for this recipient. */
  difference: number;
}

export interface Comparison {
  period: string;
  policy_version: string;
  status: 'open' | 'closed';
  currencies: { currency: Currency; revenue: number; rows: ComparisonRow[] }[];
}

/**
 * The period's revenue split two ways from the same payments and actions: user-centric (what Vklad
 * posts) and plain pro-rata (the whole authors' share by each author's part of all payers' work).
 * Refunds of earlier periods and carried amounts are left out of both: they are not a split.
 */
export async function compareAllocations(db: Queryable, period: string): Promise<Comparison> {
  checkPeriod(period);
  const window = await activityWindow(db, period);
  const policy = await revenuePolicyFor(db, period);
  const authors = await contentAuthors(db);
  const currencies: Comparison['currencies'] = [];
  for (const currency of CURRENCIES) {
    const payers = await payersOf(db, period, currency);
    if (payers.length === 0) continue;
    const input = { policy, payers, actions: await actionCounts(db, window, policy, payers.map((p) => p.member)), authors };
    const userCentric = allocateUserCentric(input).totals;
    const proRata = allocateProRata(input);
    const recipients = [...new Set([...userCentric.keys(), ...proRata.keys()])].sort((a, b) => {
      const [x, y] = [authorOf(a), authorOf(b)];
      return x === null || y === null ? (x === null ? -1 : 1) - (y === null ? -1 : 1) || (a < b ? -1 : 1) : x - y;
    });
    const rows = recipients.map((recipient) => {
      const [u, p] = [userCentric.get(recipient) ?? 0, proRata.get(recipient) ?? 0];
      return { author_id: authorOf(recipient), recipient, user_centric: u, pro_rata: p, difference: u - p };
    });
    currencies.push({ currency, revenue: payers.reduce((s, p) => s + p.amount, 0), rows });
  }
  return { period, policy_version: policy.version, status: window.closed_at ? 'closed' : 'open', currencies };
}
