import type { Database } from '../db/database.ts';
import { releaseMatured } from '../ledger/awards.ts';
import { runScoringPass } from './scoring-pass.ts';

export interface Scorer {
  /** Stops scheduling passes and waits for the one running, if any. */
  stop(): Promise<void>;
}

/**
 * Keeps awards current while the server runs: every `intervalMs` it scores the members marked since
 * the last pass and makes awards whose pending period has ended spendable. Passes never overlap.
 */
export function startScorer(db: Database, intervalMs: number, onError: (error: unknown) => void): Scorer {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    running = (async () => {
      const now = new Date();
      await runScoringPass(db, { now });
      await releaseMatured(db, now.getTime());
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
