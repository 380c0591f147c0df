import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';

/** Opens the configured store, brings its schema up to date and seeds the default catalogue and policy. */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> {
  // Only the engine in use is loaded: PGlite alone weighs tens of megabytes.
  const db = config.databaseUrl
    ? await (await import('./db/postgres.ts')).openPostgres({ url: config.databaseUrl })
    : await (await import('./db/pglite.ts')).openPglite(config.dataDir);
  try {
    await migrate(db);
    // The seeds (and the schemas that check them) are loaded only for a store that lacks them.
    const [has] = await db.query<{ catalogue: boolean; policy: boolean }>(
      'select exists (select 1 from action_types) as catalogue, exists (select 1 from policies) as policy',
    );
    if (!has!.catalogue) await (await import('./store/catalogue.ts')).seedDefaultCatalogue(db);
    if (!has!.policy) await (await import('./store/policies.ts')).seedDefaultPolicy(db);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
