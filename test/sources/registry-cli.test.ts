import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'vklad-sources-cli-'));
const env = { ...process.env, DATABASE_URL: '', VKLAD_DATA_DIR: join(dir, 'data') };
const vklad = (...args: string[]) => spawnSync(process.execPath, ['bin/vklad.js', ...args], { env, encoding: 'utf8' });

describe('vklad sources on the embedded store', () => {
  it('adds, lists, shows and rotates, printing secrets only when made', () => {
    const added = vklad('sources', 'add', 'telegram', '--kind', 'telegram', '--chats', '-1001234567890,-1002222222222');
    expect(added.status).toBe(0);
    const [, secret] = /shown only now:\n(\S+)/.exec(added.stdout)!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(added.stdout).toContain('setWebhook');
    expect(vklad('sources', 'add', 'partner', '--kind', 'signed', '--secret', 'partner-secret-0123456789').status).toBe(0);

    const listed = vklad('sources', 'list');
    expect(listed.stdout).toMatch(/partner {2}signed {2}\/hooks\/sources\/partner {2}last event never {2}accepted 0, duplicate 0, ignored 0, rejected 0/);
    expect(listed.stdout).toMatch(/telegram {2}telegram {2}\/hooks\/telegram /);
    expect(listed.stdout).not.toContain(secret);
    expect(JSON.parse(vklad('sources', 'list', '--json').stdout)[1]).toMatchObject({ name: 'telegram', settings: { chats: [-1001234567890, -1002222222222] } });

    const shown = vklad('sources', 'show', 'telegram');
    expect(shown.stdout).toContain('telegram (telegram)');
    expect(shown.stdout).toMatch(/last event received\s+never/);
    expect(JSON.parse(vklad('sources', 'show', 'telegram', '--json').stdout)).toMatchObject({ counts: { rejected: 0 }, events: 0 });

    const rotated = vklad('sources', 'rotate-secret', 'telegram');
    const [, fresh] = /shown only now:\n(\S+)/.exec(rotated.stdout)!;
    expect(fresh).not.toBe(secret);
  });

  it('refuses bad input naming the field, with exit code 2', () => {
    const kind = vklad('sources', 'add', 'x', '--kind', 'myspace');
    expect(kind.status).toBe(2);
    expect(kind.stderr).toMatch(/kind: must be one of/);
    expect(vklad('sources', 'add', 'x', '--kind', 'telegram', '--chats', 'general').stderr).toMatch(/--chats/);
    expect(vklad('sources', 'add', 'x', '--kind', 'signed', '--settings', '[1]').stderr).toMatch(/--settings/);
    expect(vklad('sources', 'show', 'nobody').status).toBe(2);
    expect(vklad('sources', 'add', 'telegram', '--kind', 'telegram').status).toBe(2);
  });
});
