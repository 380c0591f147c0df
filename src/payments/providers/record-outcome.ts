import type { Database } from '../../db/database.ts';
import { recordPayment, recordRefund } from '../record.ts';
import type { ProviderOutcome } from './notices.ts';
import type { HookResult } from './providers.ts';

/**
 * Records what a verified notification says. Each payment and refund is idempotent by the provider's
 * id, so a provider's retry answers "duplicate" and records nothing twice.
 */
export async function recordOutcome(db: Database, outcome: ProviderOutcome, actor: string): Promise<HookResult> {
  switch (outcome.kind) {
    case 'ignored':
      return { status: 'ignored', reason: outcome.reason };
    case 'payment': {
      const { status } = await recordPayment(db, outcome.notice, actor);
      return { status: status === 'created' ? 'accepted' : 'duplicate' };
    }
    case 'refunds': {
      let created = 0;
      for (const notice of outcome.notices) if ((await recordRefund(db, notice, actor)).status === 'created') created += 1;
      return { status: created > 0 ? 'accepted' : 'duplicate' };
    }
  }
}
