import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'vklad-cli-'));
const env = { ...process.env, DATABASE_URL: '', VKLAD_DATA_DIR: join(dir, 'data') };
const vklad = (...args: string[]) => spawnSync(process.execPath, ['bin/vklad.js', ...args], { env, encoding: 'utf8' });

describe('the vklad command on the embedded store', () => {
  it('imports a file and reports stored, already present and rejected, with a rejects file', () => {
    const event = (n: number) => ({
      source: 'course',
      source_event_id: `cli-${n}`,
      action: 'course.section.read',
      actor: { provider: 'course', external_id: `u${n % 3}` },
      occurred_at: '2025-09-01T10:00:00+03:00',
    });
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, [event(1), event(2), event(1), { ...event(3), action: 'nope.nope' }].map((e) => JSON.stringify(e)).join('\n'));
    const first = vklad('import', file);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/stored 2, already present 1, rejected 1/);
    expect(JSON.parse(readFileSync(`${file}.rejects.jsonl`, 'utf8'))).toMatchObject({ line: 4 });
    expect(vklad('import', file).stdout).toMatch(/stored 0, already present 3, rejected 1/);
  });

  it('changes the catalogue from a YAML file and refuses a bad one naming the field', () => {
    const good = join(dir, 'catalogue.yaml');
    writeFileSync(good, '- key: teaching.seminar.held\n  kind: contribution\n  role: teacher\n  minutes: 90\n  tags: [teaching]\n  title: { en: Held a seminar, ru: Провёл семинар }\n');
    expect(vklad('actions', 'load', good).stdout).toMatch(/loaded 1 action types/);
    expect(vklad('actions', 'list').stdout).toMatch(/teaching\.seminar\.held\s+contribution\s+teacher\s+90 min/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, '- key: teaching.bad\n  kind: fun\n  role: teacher\n  minutes: 1\n  title: { en: x, ru: x }\n');
    const res = vklad('actions', 'load', bad);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/\[0\] kind:/);
  });

  it('creates, lists and revokes API keys, showing the secret only once', () => {
    const created = vklad('keys', 'create', '--name', 'forum-bridge', '--scopes', 'ingest,read');
    const [, id] = /created key ([0-9a-f]{12})/.exec(created.stdout)!;
    expect(created.stdout).toMatch(/vk_[0-9a-f]{12}_\S{32}/);
    const listed = vklad('keys', 'list').stdout;
    expect(listed).toContain(`${id}  forum-bridge  ingest,read`);
    expect(listed).not.toMatch(/vk_/);
    expect(vklad('keys', 'revoke', id!).stdout).toContain(`revoked ${id}`);
    expect(vklad('keys', 'create', '--name', 'x', '--scopes', 'root').status).not.toBe(0);
  });
});
