import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'vklad-scoring-cli-'));
const env = { ...process.env, DATABASE_URL: '', VKLAD_DATA_DIR: join(dir, 'data') };
const vklad = (...args: string[]) => spawnSync(process.execPath, ['bin/vklad.js', ...args], { env, encoding: 'utf8' });

const candidate = join(dir, 'candidate.yaml');

describe('scoring from the command line', () => {
  beforeAll(() => {
    const post = (n: number, words: number) => ({
      source: 'forum',
      source_event_id: `cli-post-${n}`,
      action: 'forum.post.created',
      actor: { provider: 'forum', external_id: 'olga' },
      occurred_at: `2025-10-0${n}T10:00:00+03:00`,
      attributes: { words },
    });
    const file = join(dir, 'posts.jsonl');
    writeFileSync(file, [post(1, 120), post(2, 20), post(3, 90)].map((e) => JSON.stringify(e)).join('\n'));
    expect(vklad('import', file).stdout).toMatch(/stored 3/);
    const policy = readFileSync(new URL('../policies/default.yaml', import.meta.url), 'utf8');
    writeFileSync(
      candidate,
      policy
        .replace('version: "2025-09"', 'version: "2025-10"')
        .replace('effective_from: 2025-09-01', 'effective_from: 2025-10-02')
        .replace(/forum\.post\.created:\n    points: 6/, 'forum.post.created:\n    points: 9'),
    );
  });

  it('scores what changed and explains each award in English and Russian', () => {
    const scored = vklad('score');
    expect(scored.status).toBe(0);
    expect(scored.stdout).toMatch(/scored 1 members \(3 events\)/);
    expect(vklad('score').stdout).toMatch(/scored 0 members/);
    const explained = vklad('explain', '1').stdout.trim().split('\n');
    expect(explained).toHaveLength(3);
    expect(explained[0]).toMatch(/^2025-10-03 07:00 UTC\s+\d+\s+forum\.post\.created: base 6, .*= \d+$/);
    expect(explained[1]).toMatch(/\s0\s+forum\.post\.created: base 6, words 20 .* = 0$/);
    expect(vklad('explain', '1', '--lang', 'ru').stdout).toMatch(/база 6/);
    expect(vklad('explain', '1', '--lang', 'fr').status).toBe(1);
  });

  it('compares a candidate policy, refuses to adopt it for the past without a re-score, then adopts it', () => {
    const diff = vklad('score', '--policy', candidate, '--diff');
    expect(diff.status).toBe(0);
    const [, now, next] = /total points: (\d+) now, (\d+) with the candidate/.exec(diff.stdout)!;
    expect(Number(next)).toBeGreaterThan(Number(now));
    expect(diff.stdout).toMatch(/top gainers\n\s+member 1 /);
    expect(vklad('score', '--policy', candidate).status).toBe(1);

    const refused = vklad('policy', 'adopt', candidate);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/effective_from: is before today/);
    expect(JSON.parse(vklad('policy', 'list').stdout)).toHaveLength(1);

    expect(vklad('policy', 'adopt', candidate, '--rescore').stdout).toMatch(/adopted 2025-10 from 2025-10-02; 1 members marked/);
    expect(vklad('score').stdout).toMatch(/scored 1 members/);
    expect(vklad('explain', '1', '--limit', '1').stdout).toMatch(/forum\.post\.created: base 9/);
  });
});
