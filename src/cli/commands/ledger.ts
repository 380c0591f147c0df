import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { adjustBalance } from '../../ledger/adjust.ts';
import { memberAccount } from '../../ledger/conventions.ts';
import { accountHistory, getBalance } from '../../ledger/reads.ts';
import { cliActor, printJson, withStore } from '../context.ts';

const member = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`"${value}" is not a member id`);
  return n;
};
const integer = (what: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`"${value}" is not ${what}`);
  return n;
};

export function ledgerCommand(program: Command): void {
  program
    .command('balance')
    .description("A member's points: posted, held, available, pending and owed")
    .argument('<member>', 'member id', member)
    .option('--json', 'print JSON')
    .action(async (id: number, opts: { json?: boolean }) =>
      withStore(async (db) => {
        const [points, pending, debt] = await Promise.all([memberAccount.available(id), memberAccount.pending(id), memberAccount.debt(id)].map((a) => getBalance(db, a)));
        const view = { member_id: id, posted: points!.balance, held: points!.held, available: points!.available, pending: pending!.balance, debt: debt!.balance };
        if (opts.json) return printJson(view);
        console.log(`member ${id}: ${view.available} points available (posted ${view.posted}, held ${view.held}), ${view.pending} pending, ${view.debt} owed`);
      }),
    );
  program
    .command('history')
    .description("An account's entries, newest first, with the running balance")
    .argument('<account>', 'ledger address, e.g. member:42:pts')
    .option('--limit <n>', 'entries per page', integer('a number'), 50)
    .option('--cursor <cursor>', 'continue from a previous page')
    .action(async (account: string, opts: { limit: number; cursor?: string }) =>
      withStore(async (db) => {
        const page = await accountHistory(db, account, { limit: opts.limit, cursor: opts.cursor ?? null });
        for (const e of page.entries) {
          console.log(`${e.at.toISOString()}  ${String(e.amount).padStart(8)}  ${String(e.balance_after).padStart(8)}  ${e.code.padEnd(18)} ${e.transaction_id}${e.memo ? `  (${e.memo})` : ''}`);
        }
        if (page.next_cursor) console.log(`more: --cursor ${page.next_cursor}`);
      }),
    );
  program
    .command('adjust')
    .description("Adjust a member's points (negative takes away), with a required reason; audited")
    .argument('<member>', 'member id', member)
    .argument('<amount>', 'points, signed', integer('a whole number of points'))
    .requiredOption('--reason <text>', 'why, for the audit log')
    .option('--id <id>', 'transaction id; the same id again changes nothing')
    .action(async (id: number, amount: number, opts: { reason: string; id?: string }) =>
      withStore(async (db) => {
        const txId = opts.id ?? `adjust:cli:${randomBytes(8).toString('hex')}`;
        const outcome = await adjustBalance(db, { id: txId, account: memberAccount.available(id), amount, reason: opts.reason, actor: cliActor() });
        const balance = await getBalance(db, memberAccount.available(id));
        console.log(`${outcome.status === 'created' ? 'adjusted' : 'already adjusted'} (${txId}): member ${id} now has ${balance.available} points available`);
      }),
    );
}
