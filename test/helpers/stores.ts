import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { configFromEnv, type Config } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { seedDefaultCatalogue } from '../../src/store/catalogue.ts';
import { seedDefaultPolicy } from '../../src/store/policies.ts';

export const POSTGRES_URL = process.env.DATABASE_URL;

export interface TestStore {
  db: Database;
  /** Drops everything the store created. */
  destroy(): Promise<void>;
}

export interface StoreKind {
  name: 'pglite' | 'postgres';
  open(): Promise<TestStore>;
}

const pglite: StoreKind = {
  name: 'pglite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'vklad-test-'));
    const db = await openPglite(dir);
    return prepared(db, async () => rmSync(dir, { recursive: true, force: true }));
  },
};

const postgres: StoreKind = {
  name: 'postgres',
  async open() {
    const schema = `vklad_test_${randomBytes(6).toString('hex')}`;
    const db = await openPostgres({ url: POSTGRES_URL!, schema });
    return prepared(db, async () => {
      const admin = await openPostgres({ url: POSTGRES_URL! });
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.close();
    });
  },
};

async function prepared(db: Database, cleanup: () => Promise<void>): Promise<TestStore> {
  await migrate(db);
  await seedDefaultCatalogue(db);
  await seedDefaultPolicy(db);
  return {
    db,
    async destroy() {
      await db.close();
      await cleanup();
    },
  };
}

if (!POSTGRES_URL && process.env.VKLAD_REQUIRE_POSTGRES === '1') {
  throw new Error('VKLAD_REQUIRE_POSTGRES=1 but DATABASE_URL is not set');
}
if (!POSTGRES_URL) {
  console.warn('DATABASE_URL is not set: the PostgreSQL half of the contract suite is skipped');
}

/** Every store the contract suite runs against: PGlite always, PostgreSQL when DATABASE_URL is set. */
export const STORES: StoreKind[] = POSTGRES_URL ? [pglite, postgres] : [pglite];

export const testConfig = (overrides: Partial<Config> = {}): Config => ({
  ...configFromEnv({ VKLAD_ADMIN_KEY: ADMIN_KEY }),
  ...overrides,
});

export const ADMIN_KEY = 'test-admin-key-0123456789';
