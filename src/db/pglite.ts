import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { VkladError } from '../errors.ts';
import type { Database, Queryable } from './database.ts';

/**
 * PostgreSQL's memory settings inside PGlite. Its pages live in the process's own memory, beside
 * the operating system's file cache, so a small buffer pool costs little speed and keeps a store's
 * memory (and that of creating one, when initdb runs a second instance) low.
 */
const MEMORY = { shared_buffers: '16MB', maintenance_work_mem: '16MB', temp_buffers: '1MB' } as const;

/** The embedded store: PGlite persisted in a data directory, used by one process at a time. */
export async function openPglite(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir);
  const db = await PGlite.create(dataDir, {
    parsers: { [types.INT8]: (value: string) => Number(value) },
    postgresqlconf: Object.entries(MEMORY).map(([name, value]) => `${name} = ${value}`),
    initDbStartParams: Object.entries(MEMORY).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    query: async (sql, params) => (await q.query(sql, params)).rows as never[],
    exec: async (sql) => void (await q.exec(sql)),
    copyFrom: async (sql, rows) => void (await q.query(sql.replace(/from stdin$/i, "from '/dev/blob'"), [], { blob: new Blob([rows]) })),
  });
  return {
    engine: 'pglite',
    ...wrap(db),
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    async close() {
      await db.close();
      lock.release();
    },
  };
}

// Two processes writing one PGlite directory would corrupt it, so the second one is refused.
function lockDataDir(dataDir: string): { release(): void } {
  const file = join(dataDir, 'vklad.pid');
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(file, 'utf8'));
    if (holder !== process.pid && isAlive(holder)) {
      throw new VkladError(
        'conflict',
        `The data directory ${dataDir} is in use by process ${holder}; stop it first (or use PostgreSQL via DATABASE_URL)`,
      );
    }
    writeFileSync(file, String(process.pid));
  }
  return { release: () => rmSync(file, { force: true }) };
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
