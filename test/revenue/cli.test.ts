import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'vklad-revenue-cli-'));
const env = { ...process.env, DATABASE_URL: '', VKLAD_DATA_DIR: join(dir, 'data') };
const vklad = (...args: string[]) => spawnSync(process.execPath, ['bin/vklad.js', ...args], { env, encoding: 'utf8' });

describe('revenue from the command line', () => {
  it('records a payment, closes the period once, compares, states and exports', () => {
    const event = { source: 'lms', source_event_id: 'cli-rev-1', action: 'course.section.read', actor: { provider: 'lms', external_id: 'olga' }, occurred_at: '2025-10-02T10:00:00Z', object: 'post:none' };
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, JSON.stringify(event));
    expect(vklad('import', file).stdout).toMatch(/stored 1/);
    const payment = { provider: 'stripe', provider_payment_id: 'pi_cli_1', member: { member_id: 1 }, amount: 99900, currency: 'RUB', period: '2025-10', occurred_at: '2025-10-01T00:00:00Z' };
    expect(vklad('payments', 'record', JSON.stringify(payment)).stdout).toMatch(/^recorded: payment #1/);
    const bad = vklad('payments', 'record', JSON.stringify({ ...payment, provider_payment_id: 'x', amount: -1 }));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/amount: must be a positive integer/);
    expect(vklad('payments', 'list').stdout).toMatch(/#1 {2}stripe:pi_cli_1 {2}member 1 {2}999\.00 RUB {2}for 2025-10/);

    // Nobody authored what member 1 read: the authors' share goes to the platform.
    const closed = vklad('revenue', 'close', '2025-10');
    expect(closed.stdout).toMatch(/2025-10 closed now/);
    expect(closed.stdout).toMatch(/platform:RUB\s+899\.10/);
    expect(closed.stdout).toMatch(/treasury:RUB\s+99\.90/);
    expect(vklad('revenue', 'close', '2025-10').stdout).toMatch(/was already closed/);
    expect(vklad('revenue', 'compare', '2025-10').stdout).toMatch(/platform\s+899\.10\s+899\.10\s+0\.00/);
    expect(vklad('revenue', 'statement', '1', '2025-10').stdout.split('\r\n')[0]).toBe('author_id,period,currency,item,content_id,title,learners,amount_minor,amount');
    const out = join(dir, 'export.csv');
    vklad('revenue', 'export', '--out', out);
    expect(readFileSync(out, 'utf8')).toMatch(/revenue_split:RUB:2025-10:1,revenue_split/);
    expect(vklad('payout', '1', '100', '--currency', 'RUB', '--id', 'b1').stderr).toMatch(/amount: is more than author:1:RUB holds/);
  }, 300_000);
});
