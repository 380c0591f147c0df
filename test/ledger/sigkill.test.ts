import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { checkLedger } from '../../src/ledger/reads.ts';
import { POSTGRES_URL } from '../helpers/stores.ts';

/** Starts the writer, kills it with SIGKILL once `batches` batches have committed; returns the last one it reported. */
async function killMidStream(args: string[], batches: number): Promise<number> {
  const writer = spawn(process.execPath, ['--import', 'tsx', 'test/ledger/post-forever.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let committed = 0;
  await new Promise<void>((resolve, reject) => {
    writer.on('exit', () => reject(new Error('the writer stopped before it was killed')));
    writer.stdout.on('data', (d: Buffer) => {
      committed = Math.max(committed, ...d.toString().trim().split('\n').map(Number));
      if (committed >= batches) resolve();
    });
  });
  writer.removeAllListeners('exit');
  writer.kill('SIGKILL');
  await new Promise((resolve) => writer.on('close', resolve));
  return committed;
}

async function expectWhole(db: Database, committed: number): Promise<void> {
  await migrate(db);
  expect(await checkLedger(db)).toEqual({ unbalanced_assets: [], mismatched_accounts: [], negative_accounts: [], unbalanced_transactions: [] });
  // Each batch is there whole (20 transactions of 3 postings, 4 accounts each) or not at all.
  const batches = await db.query<{ cause: string; transactions: number; entries: number }>(
    `select t.cause, count(distinct t.id)::int as transactions, count(e.id)::int as entries
     from transactions t left join entries e on e.transaction_id = t.id where t.id like 'stream-%' group by t.cause`,
  );
  expect(batches.length).toBeGreaterThanOrEqual(committed);
  expect(batches.filter((b) => b.transactions !== 20 || b.entries !== 80)).toEqual([]);
  const [lost] = await db.query<{ n: number }>(
    `select count(*)::int as n from generate_series(1, $1::int) g where not exists (select 1 from transactions where id = 'stream-' || g || '-0')`,
    [committed],
  );
  expect(lost!.n).toBe(0);
}

describe('the ledger after a SIGKILL mid-stream', () => {
  it('has no half transaction and still sums to zero on PGlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vklad-ledger-kill-'));
    const committed = await killMidStream(['pglite', dir], 25);
    const db = await openPglite(dir);
    await expectWhole(db, committed);
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(POSTGRES_URL)('has no half transaction and still sums to zero on PostgreSQL', async () => {
    const schema = `vklad_kill_${randomBytes(6).toString('hex')}`;
    const committed = await killMidStream(['postgres', POSTGRES_URL!, schema], 40);
    const db = await openPostgres({ url: POSTGRES_URL!, schema });
    try {
      await expectWhole(db, committed);
    } finally {
      await db.query(`drop schema ${schema} cascade`);
      await db.close();
    }
  });
});
