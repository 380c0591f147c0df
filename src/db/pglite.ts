import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { PGlite, types } from '@electric-sql/pglite';
import { VkladError } from '../errors.ts';
import type { Database, Queryable } from './database.ts';

/**
 * PostgreSQL's memory settings inside PGlite. Its pages live in the process's own memory, beside
 * the operating system's file cache, so a small buffer pool costs little speed and keeps a store's
 * memory (and that of creating one, when initdb runs a second instance) low.
 */
const MEMORY = { shared_buffers: '16MB', maintenance_work_mem: '16MB', temp_buffers: '1MB' } as const;
const SETTINGS = {
  postgresqlconf: Object.entries(MEMORY).map(([name, value]) => `${name} = ${value}`),
  initDbStartParams: Object.entries(MEMORY).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
};

// V8 compiles PGlite's WebAssembly on as many threads as it likes, each with its own scratch memory:
// one is as fast here (PostgreSQL's hot code is optimised later anyway) and peaks ~30 MB lower.
setFlagsFromString('--wasm-num-compilation-tasks=1');

/** The embedded store: PGlite persisted in a data directory, used by one process at a time. */
export async function openPglite(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir);
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await createDataDir(dataDir);
  } catch (error) {
    lock.release();
    throw error;
  }
  const db = await PGlite.create(dataDir, { ...SETTINGS, parsers: { [types.INT8]: (value: string) => Number(value) } });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    query: async (sql, params) => (await q.query(sql, params)).rows as never[],
    exec: async (sql) => void (await q.exec(sql)),
    copyFrom: async (sql, rows) => void (await q.query(sql.replace(/from stdin/i, "from '/dev/blob'"), [], { blob: new Blob([rows]) })),
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

/**
 * Runs initdb in a process of its own (see pglite-init.mjs), into a directory beside the store's,
 * then moves the result in: a store cut off halfway is never taken for a store.
 */
async function createDataDir(dataDir: string): Promise<void> {
  const staging = `${dataDir}.init-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const script = fileURLToPath(new URL('./pglite-init.mjs', import.meta.url));
    await promisify(execFile)(process.execPath, [script, staging, JSON.stringify(SETTINGS)]);
    for (const name of readdirSync(staging)) renameSync(join(staging, name), join(dataDir, name));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
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
