import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { openPglite } from './db/pglite.ts';
import { openPostgres } from './db/postgres.ts';
import { seedDefaultCatalogue } from './store/catalogue.ts';

/** Opens the configured store, brings its schema up to date and seeds the default catalogue. */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> {
  const db = config.databaseUrl ? await openPostgres({ url: config.databaseUrl }) : await openPglite(config.dataDir);
  try {
    await migrate(db);
    await seedDefaultCatalogue(db);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
