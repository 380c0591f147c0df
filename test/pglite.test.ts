import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPglite } from '../src/db/pglite.ts';
import { migrate } from '../src/db/migrate.ts';

describe('the embedded store', () => {
  it('is created by a process of its own, into a directory beside it that is then moved in and removed', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'vklad-create-'));
    const dir = join(parent, 'data');
    const db = await openPglite(dir);
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    expect(readdirSync(parent)).toEqual(['data']);
    await db.close();
  });

  it('refuses a second process on the same data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vklad-lock-'));
    const db = await openPglite(dir);
    const child = spawn(process.execPath, ['bin/vklad.js', 'actions', 'list'], { env: { ...process.env, DATABASE_URL: '', VKLAD_DATA_DIR: dir } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain(`in use by process ${process.pid}`);
    await db.close();
  });

  it('keeps every committed batch after the process is killed with SIGKILL mid-stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vklad-kill-'));
    const writer = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/write-forever.ts', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let committed = 0;
    await new Promise<void>((resolve) => {
      writer.stdout.on('data', (d: Buffer) => {
        committed = Math.max(committed, ...d.toString().trim().split('\n').map(Number));
        if (committed >= 30) resolve();
      });
    });
    writer.kill('SIGKILL');
    await new Promise((resolve) => writer.on('close', resolve));

    const db = await openPglite(dir);
    await migrate(db);
    const [row] = await db.query<{ batches: number; partial: number }>(
      `select count(distinct display_name)::int as batches,
              count(*) filter (where n <> 100)::int as partial
       from (select display_name, count(*) over (partition by display_name) as n from members) m`,
    );
    expect(row!.partial).toBe(0);
    expect(row!.batches).toBeGreaterThanOrEqual(committed);
    await db.close();
  });
});
