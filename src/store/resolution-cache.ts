import type { Queryable } from '../db/database.ts';

/**
 * Lock taken shared by every ingesting transaction and exclusively by whatever changes whom an
 * identity or member id resolves to (merge, link): resolutions cannot change under a batch.
 */
export const RESOLUTION_LOCK = 7372002;

/** Whom identities (by provider and external id) and member ids resolve to. */
export interface Resolutions {
  identities: Map<string, number>;
  members: Map<number, number>;
}

/**
 * Remembers which member each identity and member id resolves to, across batches of one process.
 * Valid while the store's resolution epoch is unchanged; bounded, so memory stays flat.
 */
export class ResolutionCache {
  // Replaced, never cleared: a batch in flight keeps the maps it entered with.
  identities = new Map<string, number>();
  members = new Map<number, number>();
  private epoch = -1;

  constructor(private readonly maxEntries = 500_000) {}

  /**
   * Takes the shared resolution lock for this transaction and drops the cache if a merge happened
   * since; returns the maps this transaction is to use and extend.
   */
  async enter(tx: Queryable): Promise<Resolutions> {
    const [row] = await tx.query<{ value: number }>(
      `select pg_advisory_xact_lock_shared(${RESOLUTION_LOCK}), (select value from resolution_epoch) as value`,
    );
    if (row!.value !== this.epoch || this.identities.size + this.members.size > this.maxEntries) {
      this.identities = new Map();
      this.members = new Map();
      this.epoch = row!.value;
    }
    return { identities: this.identities, members: this.members };
  }
}

/** For writers that change resolutions: waits for ingesting batches and invalidates their caches. */
export async function changeResolutions(tx: Queryable): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(${RESOLUTION_LOCK})`);
  await tx.query('update resolution_epoch set value = value + 1');
}
