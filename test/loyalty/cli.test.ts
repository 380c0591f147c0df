import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'vklad-loyalty-cli-'));
const env = { ...process.env, DATABASE_URL: '', VKLAD_DATA_DIR: join(dir, 'data') };
// Asynchronous, so the test worker keeps answering its runner while each command starts up.
const vklad = (...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((done) =>
    execFile(process.execPath, ['bin/vklad.js', ...args], { env, encoding: 'utf8' }, (error, stdout, stderr) =>
      done({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );

describe('the vklad loyalty commands on the embedded store', () => {
  it('adjusts points, loads rewards, generates codes, redeems once per id and shows balance and history', async () => {
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, JSON.stringify({ source: 'course', source_event_id: 'c-1', action: 'course.section.read', actor: { provider: 'course', external_id: 'olga' }, occurred_at: '2025-09-01T10:00:00+03:00' }));
    expect((await vklad('import', events)).stdout).toMatch(/stored 1/);

    expect((await vklad('adjust', '1', '100', '--reason', 'welcome gift')).stdout).toMatch(/adjusted .*member 1 now has 100 points available/);

    const catalogue = join(dir, 'rewards.yaml');
    writeFileSync(
      catalogue,
      '- key: mentor-session\n  title: { en: Mentor session, ru: Сессия с наставником }\n  benefit: { kind: privilege, privilege: mentor_session }\n  price: 30\n  stock: 5\n  codes: { source: pool }\n',
    );
    expect((await vklad('rewards', 'load', catalogue)).stdout).toMatch(/loaded 1 rewards/);
    expect((await vklad('rewards', 'list')).stdout).toMatch(/mentor-session\s+30 pts\s+5 of 5 left\s+Mentor session \/ Сессия с наставником/);
    expect((await vklad('codes', 'generate', 'mentor-session', '2')).stdout).toMatch(/generated 2 codes for mentor-session; 2 not issued yet/);

    const first = await vklad('redeem', '1', 'mentor-session', '--id', 'r-1');
    const [, code] = /redeemed mentor-session for member 1 \(r-1\): 30 points, code (\S+)/.exec(first.stdout) ?? [];
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect((await vklad('redeem', '1', 'mentor-session', '--id', 'r-1')).stdout).toContain(`already redeemed mentor-session for member 1 (r-1): 30 points, code ${code}`);

    expect((await vklad('balance', '1')).stdout).toMatch(/member 1: 70 points available \(posted 70, held 0\), 0 pending, 0 owed/);
    const history = (await vklad('history', 'member:1:pts')).stdout.split('\n');
    expect(history[0]).toMatch(/-30\s+70\s+redemption_settle\s+settle:redemption:r-1/);
    expect(history[1]).toMatch(/100\s+100\s+adjustment .*\(welcome gift\)/);

    expect((await vklad('rewards', 'retire', 'mentor-session')).stdout).toContain('retired mentor-session');
    const refused = await vklad('redeem', '1', 'mentor-session');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/reward: is retired/);
  }, 300_000);

  it('refuses a bad rewards file naming the item and field', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, '- key: bad\n  title: { en: x, ru: x }\n  benefit: { kind: privilege, privilege: x }\n  price: -1\n');
    const res = await vklad('rewards', 'load', bad);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/\[0\] price:/);
  }, 60_000);
});
