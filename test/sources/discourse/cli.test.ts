import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { discourseCommand } from '../../../src/cli/commands/sources-discourse.ts';
import { openStore } from '../../../src/open-store.ts';
import { registerSource } from '../../../src/sources/registry.ts';
import { type FakeDiscourse, fakeDiscourse } from './fake-discourse.ts';

const at = (day: number) => new Date(Date.UTC(2025, 9, day, 10)).toISOString();

describe('vklad sources discourse backfill', () => {
  let dir: string;
  let forum: FakeDiscourse;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vklad-discourse-cli-'));
    // The command opens the store the environment names: here an embedded one of its own.
    delete process.env.DATABASE_URL;
    process.env.VKLAD_DATA_DIR = dir;
    const db = await openStore({ databaseUrl: undefined, dataDir: dir });
    await registerSource(db, { name: 'discourse', kind: 'discourse' }, 'test');
    await db.close();
    forum = await fakeDiscourse({
      apiKey: 'k-123',
      pageSize: 50,
      actions: [],
      posts: [
        { id: 1, user_id: 7, username: 'anna', topic_id: 3, post_number: 1, created_at: at(1), words: 70 },
        { id: 2, user_id: 8, username: 'boris', topic_id: 3, post_number: 2, created_at: at(2), words: 70 },
      ],
    });
  });
  afterAll(async () => {
    await forum.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (...args: string[]) => {
    const program = new Command('vklad').exitOverride();
    discourseCommand(program.command('sources'));
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await program.parseAsync(['node', 'vklad', 'sources', 'discourse', 'backfill', ...args]);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    return lines.join('\n');
  };
  const flags = () => ['--url', forum.url, '--api-key', 'k-123', '--api-username', 'system', '--rps', '50'];

  it('loads the forum and says what it did; a second run has nothing to do', async () => {
    expect(await run(...flags())).toMatch(/posts 2, likes 0, solutions 0; new events 2/);
    expect(await run(...flags())).toMatch(/finished before/);
    expect(await run(...flags(), '--restart')).toMatch(/new events 0/);
  });

  it('takes the key from DISCOURSE_API_KEY', async () => {
    process.env.DISCOURSE_API_KEY = 'k-123';
    try {
      expect(await run('--url', forum.url, '--api-username', 'system', '--rps', '50', '--restart')).toMatch(/posts 2/);
    } finally {
      delete process.env.DISCOURSE_API_KEY;
    }
  });

  it('refuses bad flags and an unregistered source, naming them', async () => {
    await expect(run('--url', 'forum.example.org', '--api-username', 'u', '--rps', '0')).rejects.toMatchObject({
      errors: [
        { field: '--url', reason: expect.any(String) },
        { field: '--api-key', reason: expect.any(String) },
        { field: '--rps', reason: expect.any(String) },
      ],
    });
    await expect(run(...flags(), '--source', 'nowhere')).rejects.toMatchObject({ errors: [{ field: '--source', reason: expect.stringContaining('nowhere') }] });
  });
});
