import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { seedDefaultCatalogue } from './store/catalogue.ts';
import { seedDefaultPolicy } from './store/policies.ts';

/** Opens the configured store, brings its schema up to date and seeds the default catalogue and policy. */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> {
  // Only the engine in use is loaded: PGlite alone weighs tens of megabytes.
  const db = config.databaseUrl
    ? await (await import('./db/postgres.ts')).openPostgres({ url: config.databaseUrl })
    : await (await import('./db/pglite.ts')).openPglite(config.dataDir);
  try {
    await migrate(db);
    await seedDefaultCatalogue(db);
    await seedDefaultPolicy(db);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
