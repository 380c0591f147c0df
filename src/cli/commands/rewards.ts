import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { z } from 'zod';
import { invalid } from '../../errors.ts';
import { listRewards, putReward, retireReward } from '../../loyalty/catalogue.ts';
import { generateCodes, uploadCodes } from '../../loyalty/pool.ts';
import { redeem } from '../../loyalty/redeem.ts';
import { RewardEntry } from '../../loyalty/reward.ts';
import { fieldErrors } from '../../schemas/common.ts';
import { cliActor, printJson, withStore } from '../context.ts';

const positive = (what: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`"${value}" is not ${what}`);
  return n;
};

export function rewardsCommand(program: Command): void {
  const rewards = program.command('rewards').description('The rewards catalogue: discounts and privileges bought with points');
  rewards
    .command('list')
    .option('--retired', 'include retired rewards')
    .option('--json', 'print JSON')
    .action(async (opts: { retired?: boolean; json?: boolean }) =>
      withStore(async (db) => {
        const list = await listRewards(db, opts.retired ?? false);
        if (opts.json) return printJson(list);
        for (const r of list) {
          const stock = r.stock === null ? 'unlimited' : `${Math.max(0, r.stock - r.taken)} of ${r.stock} left`;
          console.log(`${r.key.padEnd(28)} ${String(r.price).padStart(6)} pts  ${stock.padEnd(18)} ${r.title.en} / ${r.title.ru}${r.retired_at ? '  (retired)' : ''}`);
        }
      }),
    );
  rewards
    .command('load')
    .description('Create or replace rewards from a YAML or JSON list of {key, title: {en, ru}, benefit, price, stock, per_member_limit, valid_from, valid_until, eligibility, codes}')
    .argument('<file>')
    .action(async (file: string) => {
      const parsed = z.array(RewardEntry).safeParse(parse(readFileSync(file, 'utf8')));
      if (!parsed.success) throw invalid(fieldErrors(parsed.error, true), `${file} is not a valid rewards catalogue`);
      await withStore(async (db) => {
        for (const { key, ...input } of parsed.data) await putReward(db, key, input, cliActor());
        console.log(`loaded ${parsed.data.length} rewards`);
      });
    });
  rewards
    .command('retire')
    .argument('<key>')
    .action(async (key: string) =>
      withStore(async (db) => {
        await retireReward(db, key, cliActor());
        console.log(`retired ${key}`);
      }),
    );

  const codes = program.command('codes').description("Single-use codes in a reward's pool");
  codes
    .command('upload')
    .description('Add codes from a file, one per line, all or none')
    .argument('<reward>')
    .argument('<file>')
    .option('--expires-at <timestamp>', 'the end date the shop gave these codes, with an offset')
    .action(async (reward: string, file: string, opts: { expiresAt?: string }) => {
      const lines = readFileSync(file, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      await withStore(async (db) => {
        const r = await uploadCodes(db, reward, { codes: lines, expires_at: opts.expiresAt ?? null }, cliActor());
        console.log(`added ${r.added} codes to ${reward}; ${r.free} not issued yet`);
      });
    });
  codes
    .command('generate')
    .argument('<reward>')
    .argument('<count>', 'how many', positive('a count'))
    .action(async (reward: string, count: number) =>
      withStore(async (db) => {
        const r = await generateCodes(db, reward, count, cliActor());
        console.log(`generated ${r.added} codes for ${reward}; ${r.free} not issued yet`);
      }),
    );

  program
    .command('redeem')
    .description('Redeem a reward for a member: hold the price, issue a code, settle')
    .argument('<member>', 'member id', positive('a member id'))
    .argument('<reward>')
    .option('--id <id>', 'redemption id; the same id again never redeems twice')
    .action(async (member: number, reward: string, opts: { id?: string }) =>
      withStore(async (db) => {
        const id = opts.id ?? `cli-${randomBytes(8).toString('hex')}`;
        const { status, redemption: r } = await redeem(db, { id, member, reward }, cliActor(), Date.now());
        console.log(`${status === 'created' ? 'redeemed' : 'already redeemed'} ${reward} for member ${member} (${r.id}): ${r.price} points, code ${r.code}${r.code_expires_at ? `, valid until ${r.code_expires_at}` : ''}`);
      }),
    );
}
