import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { configFromEnv } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { openStore } from '../../open-store.ts';
import { authenticate, createApiKey } from '../../store/api-keys.ts';
import { putContent } from '../../store/content.ts';
import { ingestEvents } from '../../store/events.ts';
import { createMembers } from '../../store/members.ts';
import { runScoringPass } from '../../services/scoring-pass.ts';
import { runServer } from './serve.ts';

const ACTOR = 'demo';

/** Loads the synthetic community: members, courses with authors, then a year of activity. */
export async function loadDemo(db: Database, options: { seed: number; end: Date; log: (line: string) => void }): Promise<number> {
  // Loaded on demand: only the demo needs the generator.
  const { generateCommunity } = await import('../../demo/community.ts');
  const community = generateCommunity({ seed: options.seed, end: options.end });
  const ids: number[] = [];
  for (let start = 0; start < community.members.length; start += 2000) {
    ids.push(...(await createMembers(db, community.members.slice(start, start + 2000), ACTOR)));
  }
  options.log(`${ids.length} members`);
  for (const item of community.content) {
    const authors = item.authors.map((a) => ({ member_id: ids[a.member]!, share: a.share }));
    await putContent(db, item.id, { kind: item.kind, title: item.title, parent_id: item.parent_id, url: null, authors }, ACTOR);
  }
  options.log(`${community.content.length} courses and sections`);
  let events = 0;
  const started = performance.now();
  for (const batch of community.events(5000)) {
    await ingestEvents(db, batch, { atomic: true, unknownIdentity: () => 'create' });
    events += batch.length;
    if (process.stderr.isTTY) process.stderr.write(`\r${events.toLocaleString('en')} events`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  const seconds = (performance.now() - started) / 1000;
  options.log(`${events} events in ${seconds.toFixed(1)} s (${Math.round(events / seconds)}/s)`);
  const scoring = performance.now();
  const scored = await runScoringPass(db, {
    now: options.end,
    all: true,
    onProgress: (done, total) => process.stderr.isTTY && process.stderr.write(`\rscoring: ${done} of ${total} members`),
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const points = (await db.query<{ n: number }>('select coalesce(sum(points), 0)::bigint as n from awards'))[0]!.n;
  options.log(`${points} points awarded to ${scored.members} members in ${((performance.now() - scoring) / 1000).toFixed(1)} s`);
  const { loadSubscriptions } = await import('../../demo/subscriptions.ts');
  const billing = await loadSubscriptions(db, { end: options.end, months: 3 });
  options.log(`${billing.payments} subscription payments over the last 3 months; ${billing.closed.join(' and ')} closed and shared with authors`);
  return events;
}

/** Reuses the demo's admin key while it is valid, so the printed key stays the same across restarts. */
async function demoKey(db: Database, file: string): Promise<string> {
  const saved = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (saved && (await authenticate(db, saved, undefined))) return saved;
  const { key } = await createApiKey(db, 'demo', ['admin'], ACTOR);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description('Create a synthetic community (12,000 members, a year of activity) in the embedded store and serve it')
    .option('--reset', 'throw away the demo data and generate it again')
    .option('--seed <n>', 'random seed of the community', (v) => Number.parseInt(v, 10), 1)
    .option('--no-serve', 'load the data and exit')
    .action(async (opts: { reset?: boolean; seed: number; serve: boolean }) => {
      const config = configFromEnv({ ...process.env, VKLAD_DATA_DIR: process.env.VKLAD_DATA_DIR || '.vklad/demo' });
      if (opts.reset && !config.databaseUrl) rmSync(config.dataDir, { recursive: true, force: true });
      const db = await openStore(config);
      const [{ n }] = (await db.query<{ n: number }>('select count(*)::int as n from members')) as [{ n: number }];
      if (n === 0) {
        console.log(`Generating the demo community into ${config.databaseUrl ? 'PostgreSQL' : config.dataDir} ...`);
        const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00+03:00`);
        await loadDemo(db, { seed: opts.seed, end: today, log: (line) => console.log(`  ${line}`) });
      } else {
        console.log(`Using the demo community already in ${config.databaseUrl ? 'PostgreSQL' : config.dataDir} (${n} members; --reset to regenerate)`);
      }
      if (!opts.serve) return db.close();
      const key = config.adminKey ?? (await demoKey(db, join(config.dataDir, 'demo-admin-key')));
      const url = await runServer(db, config);
      console.log(`\nVklad demo is serving at ${url}`);
      console.log(`admin API key: ${key}`);
      const [recent] = await db.query<{ member_id: number }>('select member_id from awards where points > 0 order by at desc limit 1');
      const member = recent?.member_id ?? 1;
      console.log(`try: curl -H "Authorization: Bearer ${key}" "${url}/api/v1/members/${member}/awards?limit=5"`);
      console.log(`     curl -H "Authorization: Bearer ${key}" "${url}/api/v1/events?member=${member}&limit=5"`);
      const { prepareDemoSite } = await import('../../web/demo.ts');
      console.log(`\nthe site: ${url}/`);
      for (const line of await prepareDemoSite(db, { url, now: new Date() })) console.log(line);
    });
}
