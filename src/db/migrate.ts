import { readdirSync, readFileSync } from 'node:fs';
import { VkladError } from '../errors.ts';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function knownMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8'),
    }));
}

/** Applies, in order and each in its own transaction, the migrations the database has not seen. Forward only. */
export async function migrate(db: Database): Promise<number[]> {
  const migrations = knownMigrations();
  const applied: number[] = [];
  await db.query(`create table if not exists schema_migrations (
    version integer primary key, name text not null, applied_at timestamptz not null default now())`);
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      // Several servers may start at once against one database: one migrates, the others wait.
      await tx.query('select pg_advisory_xact_lock(7372001)');
      const seen = await tx.query('select 1 from schema_migrations where version = $1', [migration.version]);
      if (seen.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  const [newest] = await db.query<{ version: number }>('select max(version) as version from schema_migrations');
  const latest = migrations.at(-1)?.version ?? 0;
  if ((newest?.version ?? 0) > latest) {
    throw new VkladError('conflict', `The database is at schema version ${newest?.version}, newer than this Vklad (${latest})`);
  }
  return applied;
}
