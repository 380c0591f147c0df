import type { Command } from 'commander';
import { invalid } from '../../errors.ts';
import { type BackfillReport, type BackfillState, backfillDiscourse } from '../../sources/discourse/backfill.ts';
import { DiscourseClient } from '../../sources/discourse/client.ts';
import { activeSource } from '../../sources/registry.ts';
import { cliActor, withStore } from '../context.ts';

interface BackfillFlags {
  url: string;
  apiKey?: string;
  apiUsername: string;
  source: string;
  rps: number;
  restart?: boolean;
}

const where = (s: BackfillState): string =>
  s.stage === 'posts' ? `posts before ${s.before ?? 'the newest'}` : s.stage === 'done' ? 'done' : `${s.stage} of users after ${s.after_user}`;

const summary = (r: BackfillReport): string =>
  `posts ${r.posts}, likes ${r.likes}, solutions ${r.solutions}; new events ${r.events}, skipped ${r.skipped}, requests ${r.requests}`;

/** `vklad sources discourse backfill`: a forum's history through the Discourse API, resumable. */
export function discourseCommand(sources: Command): void {
  const discourse = sources.command('discourse').description('Discourse forum: load its history (webhooks bring what happens next)');
  discourse
    .command('backfill')
    .description('Load posts, topics, likes and accepted solutions through the Discourse API; resumes where an interrupted run stopped')
    .requiredOption('--url <url>', 'the forum, like https://forum.example.org')
    .option('--api-key <key>', 'a Discourse API key (or DISCOURSE_API_KEY, which keeps it out of shell history)')
    .requiredOption('--api-username <name>', 'the user the key acts as (an admin sees every public post)')
    .option('--source <name>', 'the registered discourse source the events belong to', 'discourse')
    .option('--rps <n>', 'requests per second at most (Discourse allows 60 a minute by default)', Number, 1)
    .option('--restart', 'start again from the newest post even if a previous backfill finished')
    .action(async (flags: BackfillFlags) => {
      const apiKey = flags.apiKey ?? process.env.DISCOURSE_API_KEY;
      const errors = [];
      if (!/^https?:\/\/[^\s]+$/.test(flags.url)) errors.push({ field: '--url', reason: 'must be an http(s) URL' });
      if (!apiKey) errors.push({ field: '--api-key', reason: 'is required (or set DISCOURSE_API_KEY)' });
      if (!(flags.rps > 0 && flags.rps <= 100)) errors.push({ field: '--rps', reason: 'must be above 0 and at most 100' });
      if (errors.length > 0) throw invalid(errors);
      await withStore(async (db, config) => {
        if (!(await activeSource(db, flags.source, 'discourse'))) {
          throw invalid([{ field: '--source', reason: `no enabled discourse source "${flags.source}": register it with vklad sources add` }]);
        }
        const client = new DiscourseClient({ url: flags.url, apiKey: apiKey!, apiUsername: flags.apiUsername, maxPerSecond: flags.rps });
        let last = 0;
        const report = await backfillDiscourse(db, {
          source: flags.source,
          client,
          unknownIdentity: config.unknownIdentity,
          actor: cliActor(),
          restart: flags.restart ?? false,
          onProgress: (state, r) => {
            if (Date.now() - last < 2000) return;
            last = Date.now();
            console.error(`${where(state)}: ${summary(r)}`);
          },
        });
        if (report.resumed_from?.stage === 'done' && report.requests === 0) {
          console.log('the backfill of this source has finished before; --restart runs it again (nothing is counted twice)');
          return;
        }
        if (report.resumed_from) console.log(`resumed from ${where(report.resumed_from)}`);
        console.log(summary(report));
      });
    });
}
