import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { renderTrail, type Language } from '../../scoring/index.ts';
import { keepPointsCurrent } from '../../services/scorer.ts';
import { type WhatIfReport, whatIf } from '../../services/what-if.ts';
import { memberAwards } from '../../store/awards.ts';
import { adoptPolicy, listPolicies } from '../../store/policies.ts';
import { cliActor, printJson, withStore } from '../context.ts';

const positive = (what: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`"${value}" is not a ${what}`);
  return n;
};

export function scoringCommands(program: Command): void {
  program
    .command('score')
    .description('Score what changed since the last pass (or everything, with --all), release matured points and expire unspent ones as the policy says; with --policy and --diff, compare a candidate policy over the whole history without changing anything')
    .option('--all', 're-score every member from the whole history')
    .option('--policy <file>', 'a candidate policy (YAML or JSON)')
    .option('--diff', 'with --policy: report who and what would gain or lose')
    .option('--top <n>', 'gainers and losers to list', positive('count'), 10)
    .option('--json', 'print the report as JSON')
    .action(async (opts: { all?: boolean; policy?: string; diff?: boolean; top: number; json?: boolean }) => {
      if (opts.policy !== undefined && !opts.diff) throw new Error('--policy compares a candidate: add --diff (adopt it with `vklad policy adopt`)');
      if (opts.diff && opts.policy === undefined) throw new Error('--diff needs --policy <file>');
      await withStore(async (db) => {
        if (opts.policy !== undefined) {
          const report = await whatIf(db, readFileSync(opts.policy, 'utf8'), { top: opts.top });
          if (opts.json) printJson(report);
          else printWhatIf(report);
          return;
        }
        const started = performance.now();
        const upkeep = await keepPointsCurrent(db, new Date(), { all: opts.all ?? false, expire: true });
        if (opts.json) printJson(upkeep);
        else {
          const { scored } = upkeep;
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          console.log(`scored ${scored.members} members (${scored.events} events) in ${seconds} s: ${scored.awards_changed} awards changed, ${signed(scored.points_delta)} points, ${scored.ledger_transactions} ledger transactions`);
          console.log(`${upkeep.released_points} points became spendable${upkeep.expired_points === null ? '' : `, ${upkeep.expired_points} expired`}`);
        }
      });
    });

  program
    .command('explain')
    .description("A member's recent awards, each with the rules that made it")
    .argument('<member>', 'member id', positive('member id'))
    .option('--limit <n>', 'how many awards', positive('count'), 20)
    .option('--lang <language>', 'en or ru', 'en')
    .action(async (member: number, opts: { limit: number; lang: string }) => {
      if (opts.lang !== 'en' && opts.lang !== 'ru') throw new Error('--lang must be en or ru');
      await withStore(async (db) => {
        const { awards } = await memberAwards(db, member, { limit: opts.limit });
        if (awards.length === 0) console.log(`member ${member} has no awards yet`);
        for (const a of awards) {
          const what = a.action ?? a.key.split(':')[0];
          console.log(`${new Date(a.at).toISOString().slice(0, 16).replace('T', ' ')} UTC  ${String(a.points).padStart(4)}  ${what}: ${renderTrail(a.trail, a.points, opts.lang as Language)}`);
        }
      });
    });

  const policy = program.command('policy').description('Scoring policy versions');
  policy
    .command('list')
    .description('Adopted versions, by effective date')
    .action(async () => withStore(async (db) => printJson(await listPolicies(db))));
  policy
    .command('adopt')
    .description('Adopt a policy version from its effective date (today or later), or with --rescore from any date, posting corrections')
    .argument('<file>', 'policy file (YAML or JSON)')
    .option('--rescore', 'allow an effective date in the past: the next scoring pass posts the differences as correcting transactions')
    .action(async (file: string, opts: { rescore?: boolean }) =>
      withStore(async (db) => {
        const result = await adoptPolicy(db, readFileSync(file, 'utf8'), { mode: opts.rescore ? 'rescore' : 'forward', actor: cliActor(), now: new Date() });
        console.log(`adopted ${result.policy.version} from ${result.policy.effective_from}; ${result.members_marked} members marked for re-scoring (run \`vklad score\`)`);
      }),
    );
}

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

function printWhatIf(r: WhatIfReport): void {
  const pct = (s: { current: number; candidate: number }) => (s.current === 0 ? '' : ` (${signed(Math.round(((s.candidate - s.current) / s.current) * 1000) / 10)}%)`);
  console.log(`candidate ${r.candidate.version} from ${r.candidate.effective_from}, over ${r.events} events of ${r.members} members`);
  console.log(`total points: ${r.total.current} now, ${r.total.candidate} with the candidate${pct(r.total)}`);
  const table = (title: string, rows: Record<string, { current: number; candidate: number }>) => {
    console.log(`\n${title}`);
    const share = (v: number, total: number) => (total === 0 ? '0%' : `${((v / total) * 100).toFixed(1)}%`);
    for (const [key, s] of Object.entries(rows).sort((a, b) => b[1].candidate - a[1].candidate)) {
      console.log(`  ${key.padEnd(28)} ${String(s.current).padStart(9)} ${share(s.current, r.total.current).padStart(6)}  ->  ${String(s.candidate).padStart(9)} ${share(s.candidate, r.total.candidate).padStart(6)}`);
    }
  };
  table('by kind', r.by_kind);
  table('by role', r.by_role);
  table('by action', r.by_action);
  for (const [title, list] of [['top gainers', r.gainers], ['top losers', r.losers]] as const) {
    console.log(`\n${title}`);
    for (const g of list) console.log(`  member ${String(g.member).padEnd(8)} ${g.current} -> ${g.candidate} (${signed(g.difference)})`);
  }
}
