import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Each command opens the embedded store afresh, a few seconds apiece on a busy machine.
const SLOW = { timeout: 300_000 };

const dir = mkdtempSync(join(tmpdir(), 'vklad-sources-cli-'));
const env = { ...process.env, DATABASE_URL: '', VKLAD_DATA_DIR: join(dir, 'data') };
/** Runs the command without blocking the test worker (a blocked worker misses vitest's heartbeats). */
const vklad = (...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['bin/vklad.js', ...args], { env, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('vklad sources on the embedded store', () => {
  it('adds, lists, shows and rotates, printing secrets only when made', SLOW, async () => {
    const added = await vklad('sources', 'add', 'telegram', '--kind', 'telegram', '--chats', '-1001234567890,-1002222222222');
    expect(added.status).toBe(0);
    const [, secret] = /shown only now:\n(\S+)/.exec(added.stdout)!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(added.stdout).toContain('setWebhook');
    expect((await vklad('sources', 'add', 'partner', '--kind', 'signed', '--secret', 'partner-secret-0123456789')).status).toBe(0);

    const listed = await vklad('sources', 'list');
    expect(listed.stdout).toMatch(/partner {2}signed {2}\/hooks\/sources\/partner {2}last event never {2}accepted 0, duplicate 0, ignored 0, rejected 0/);
    expect(listed.stdout).toMatch(/telegram {2}telegram {2}\/hooks\/telegram /);
    expect(listed.stdout).not.toContain(secret);
    expect(JSON.parse((await vklad('sources', 'list', '--json')).stdout)[1]).toMatchObject({ name: 'telegram', settings: { chats: [-1001234567890, -1002222222222] } });

    const shown = await vklad('sources', 'show', 'telegram');
    expect(shown.stdout).toContain('telegram (telegram)');
    expect(shown.stdout).toMatch(/last event received\s+never/);
    expect(JSON.parse((await vklad('sources', 'show', 'telegram', '--json')).stdout)).toMatchObject({ counts: { rejected: 0 }, events: 0 });

    expect((await vklad('sources', 'set', 'telegram', '--chats', '-1003333333333')).stdout).toBe('telegram: settings {"chats":[-1003333333333]}, enabled\n');
    expect((await vklad('sources', 'set', 'telegram', '--disable')).stdout).toMatch(/disabled since 20/);
    expect((await vklad('sources', 'list')).stdout).toMatch(/telegram .*DISABLED/);
    expect((await vklad('sources', 'set', 'telegram', '--enable')).stdout).toMatch(/enabled/);
    expect((await vklad('sources', 'set', 'telegram', '--enable', '--disable')).status).toBe(2);

    const rotated = await vklad('sources', 'rotate-secret', 'telegram');
    const [, fresh] = /shown only now:\n(\S+)/.exec(rotated.stdout)!;
    expect(fresh).not.toBe(secret);
  });

  it('refuses bad input naming the field, with exit code 2', SLOW, async () => {
    const kind = await vklad('sources', 'add', 'x', '--kind', 'myspace');
    expect(kind.status).toBe(2);
    expect(kind.stderr).toMatch(/kind: must be one of/);
    expect((await vklad('sources', 'add', 'x', '--kind', 'telegram', '--chats', 'general')).stderr).toMatch(/--chats/);
    expect((await vklad('sources', 'add', 'x', '--kind', 'signed', '--settings', '[1]')).stderr).toMatch(/--settings/);
    expect((await vklad('sources', 'show', 'nobody')).status).toBe(2);
    expect((await vklad('sources', 'add', 'telegram', '--kind', 'telegram')).status).toBe(2);
  });
});
