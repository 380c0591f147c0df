import type { Database } from '../db/database.ts';
import { releaseMatured } from '../ledger/awards.ts';
import { expirePoints } from '../ledger/expiry.ts';
import { currentPolicies } from '../store/policies.ts';
import { type PassReport, runScoringPass } from './scoring-pass.ts';

export interface UpkeepReport {
  scored: PassReport;
  released_points: number;
  expired_points: number | null;
}

/**
 * Brings points up to date at `now`: scores what changed, makes matured awards spendable and, if
 * asked and the policy in force says so, expires points not spent in time.
 */
export async function keepPointsCurrent(db: Database, now: Date, options: { all?: boolean; expire: boolean }): Promise<UpkeepReport> {
  const scored = await runScoringPass(db, { now, all: options.all ?? false });
  const released = await releaseMatured(db, now.getTime());
  let expired: number | null = null;
  if (options.expire) {
    const { policies } = await currentPolicies(db);
    const today = now.toISOString().slice(0, 10);
    const months = policies.filter((p) => p.effective_from <= today).at(-1)?.points_expire_after_months;
    if (months !== undefined) expired = (await expirePoints(db, { months, now: now.getTime() })).points;
  }
  return { scored, released_points: released.points, expired_points: expired };
}

export interface Scorer {
  /** Stops scheduling passes and waits for the one running, if any. */
  stop(): Promise<void>;
}

/**
 * Keeps points current while the server runs: every `intervalMs` a pass, expiry once a day.
 * Passes never overlap.
 */
export function startScorer(db: Database, intervalMs: number, onError: (error: unknown) => void): Scorer {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let expiredOn = '';
  const tick = () => {
    running = (async () => {
      const now = new Date();
      const today = now.toISOString().slice(0, 10);
      await keepPointsCurrent(db, now, { expire: expiredOn !== today });
      expiredOn = today;
    })()
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  if (intervalMs > 0) timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
