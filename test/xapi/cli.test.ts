import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'vklad-xapi-cli-'));
const env = { ...process.env, DATABASE_URL: '', VKLAD_DATA_DIR: join(dir, 'data') };
const vklad = (...args: string[]) => spawnSync(process.execPath, ['bin/vklad.js', ...args], { env, encoding: 'utf8' });

describe('vklad xapi mapping', () => {
  it('prints the default mapping, replaces it from a file and refuses a bad file naming the field', () => {
    const shown = vklad('xapi', 'mapping');
    expect(shown.status).toBe(0);
    expect(JSON.parse(shown.stdout).rules[0]).toMatchObject({ action: 'course.assignment.accepted' });

    const good = join(dir, 'mapping.json');
    writeFileSync(good, JSON.stringify({ rules: [{ verb: 'http://adlnet.gov/expapi/verbs/passed', action: 'course.test.passed' }] }));
    expect(vklad('xapi', 'mapping', '--set', good).stdout).toContain('1 rules');
    expect(JSON.parse(vklad('xapi', 'mapping').stdout).rules).toHaveLength(1);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ rules: [{ verb: 'passed', action: 'course.test.passed' }, { verb: 'http://x.example/v', action: 'no.such.action' }] }));
    const refused = vklad('xapi', 'mapping', '--set', bad);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/rules\.0\.verb/);
    writeFileSync(bad, JSON.stringify({ rules: [{ verb: 'http://x.example/v', action: 'no.such.action' }] }));
    expect(vklad('xapi', 'mapping', '--set', bad).stderr).toMatch(/rules\.0\.action/);
    expect(JSON.parse(vklad('xapi', 'mapping').stdout).rules).toHaveLength(1);
  });
});
