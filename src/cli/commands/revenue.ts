import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { decimal } from '../../revenue/statement.ts';
import { accountingCsv } from '../../revenue/accounting-export.ts';
import { authorAccrual } from '../../revenue/accrual.ts';
import { closePeriod } from '../../revenue/close.ts';
import { adoptRevenuePolicy, checkRevenuePolicy, listRevenuePolicies } from '../../revenue/policies.ts';
import { compareAllocations } from '../../revenue/report.ts';
import { authorStatement, statementCsv, statementHtml } from '../../revenue/statement.ts';
import { listPayments } from '../../payments/list.ts';
import { recordPayout } from '../../payments/payout.ts';
import { recordPayment, recordRefund } from '../../payments/record.ts';
import { cliActor, printJson, withStore } from '../context.ts';

const member = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`"${value}" is not a member id`);
  return n;
};
const minor = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`"${value}" is not a positive amount in minor units (kopecks, cents)`);
  return n;
};
const pad = (s: string | number, n: number) => String(s).padStart(n);

/** `vklad revenue ...`: the split policy, accruals, closing a period, the comparison, statements and the accounting export. */
function revenueCommand(program: Command): void {
  const revenue = program.command('revenue').description('Subscription revenue shared with authors by what learners did');

  revenue
    .command('close')
    .description('Close a period (YYYY-MM): post the final split to authors, treasury and platform; closing again says it is closed')
    .argument('<period>', 'month, YYYY-MM')
    .option('--json', 'print JSON')
    .action(async (period: string, opts: { json?: boolean }) =>
      withStore(async (db) => {
        const outcome = await closePeriod(db, period, cliActor(), new Date());
        if (opts.json) return printJson(outcome);
        console.log(`${period} ${outcome.status === 'closed' ? 'closed now' : 'was already closed'} (${outcome.closed_at}, policy ${outcome.policy_version})`);
        for (const c of outcome.currencies) {
          console.log(`${c.currency}: revenue ${decimal(c.revenue, c.currency)} from ${c.payers} payers`);
          for (const [account, amount] of Object.entries(c.posted)) console.log(`  ${account.padEnd(28)} ${pad(decimal(amount, c.currency), 14)}`);
          for (const [account, amount] of Object.entries(c.carried)) console.log(`  ${account.padEnd(28)} ${pad(decimal(amount, c.currency), 14)}  carried to the next period`);
        }
      }),
    );

  revenue
    .command('accrual')
    .description("An author's accrual for a period: provisional while open, final once closed")
    .argument('<author>', 'member id', member)
    .requiredOption('--period <period>', 'month, YYYY-MM')
    .option('--json', 'print JSON')
    .action(async (author: number, opts: { period: string; json?: boolean }) =>
      withStore(async (db) => {
        const view = await authorAccrual(db, author, opts.period);
        if (opts.json) return printJson(view);
        console.log(`author ${author}, ${opts.period} (${view.status === 'open' ? 'open: provisional' : 'closed: final'})`);
        for (const c of view.currencies) {
          console.log(`  ${c.currency}: ${decimal(c.total, c.currency)} = ${decimal(c.from_members, c.currency)} from ${c.learners} learners + ${decimal(c.from_pool, c.currency)} common pool + ${decimal(c.adjustments, c.currency)} adjustments`);
        }
        if (view.currencies.length === 0) console.log('  nothing yet');
      }),
    );

  revenue
    .command('compare')
    .description('What each author gets under user-centric and under plain pro-rata allocation for a period')
    .argument('<period>', 'month, YYYY-MM')
    .option('--json', 'print JSON')
    .action(async (period: string, opts: { json?: boolean }) =>
      withStore(async (db) => {
        const report = await compareAllocations(db, period);
        if (opts.json) return printJson(report);
        console.log(`${period} (${report.status}, policy ${report.policy_version})`);
        for (const c of report.currencies) {
          console.log(`${c.currency}: revenue ${decimal(c.revenue, c.currency)}`);
          console.log(`  ${'recipient'.padEnd(20)} ${pad('user-centric', 14)} ${pad('pro-rata', 14)} ${pad('difference', 14)}`);
          for (const r of c.rows) console.log(`  ${r.recipient.padEnd(20)} ${pad(decimal(r.user_centric, c.currency), 14)} ${pad(decimal(r.pro_rata, c.currency), 14)} ${pad(decimal(r.difference, c.currency), 14)}`);
        }
      }),
    );

  revenue
    .command('statement')
    .description("An author's statement for a closed period, as CSV, HTML or JSON")
    .argument('<author>', 'member id', member)
    .argument('<period>', 'month, YYYY-MM')
    .option('--format <format>', 'csv, html or json', 'csv')
    .option('--lang <lang>', 'en or ru (HTML)', 'en')
    .option('--out <file>', 'write to a file instead of the terminal')
    .action(async (author: number, period: string, opts: { format: string; lang: string; out?: string }) =>
      withStore(async (db) => {
        if (!['csv', 'html', 'json'].includes(opts.format)) throw new Error('--format must be csv, html or json');
        if (!['en', 'ru'].includes(opts.lang)) throw new Error('--lang must be en or ru');
        const s = await authorStatement(db, author, period);
        const text = opts.format === 'csv' ? statementCsv(s) : opts.format === 'html' ? statementHtml(s, opts.lang as 'en' | 'ru') : `${JSON.stringify(s, null, 2)}\n`;
        if (opts.out) writeFileSync(opts.out, text);
        else process.stdout.write(text);
      }),
    );

  revenue
    .command('export')
    .description('Every movement of money (RUB, USD) as CSV for accounting')
    .option('--from <time>', 'from this moment (ISO 8601)')
    .option('--to <time>', 'up to this moment, exclusive (ISO 8601)')
    .option('--out <file>', 'write to a file instead of the terminal')
    .action(async (opts: { from?: string; to?: string; out?: string }) =>
      withStore(async (db) => {
        const csv = await accountingCsv(db, opts);
        if (opts.out) writeFileSync(opts.out, csv);
        else process.stdout.write(csv);
      }),
    );

  const policy = revenue.command('policy').description('Revenue split policy versions');
  policy
    .command('list')
    .description('Adopted versions by effective date')
    .action(async () => withStore(async (db) => (await listRevenuePolicies(db)).forEach((p) => console.log(`${p.effective_from}  ${p.version}  adopted ${p.adopted_at} by ${p.adopted_by}`))));
  policy
    .command('check')
    .description('Check a policy file (YAML or JSON) without adopting it')
    .argument('<file>')
    .action(async (file: string) =>
      withStore(async (db) => {
        const p = await checkRevenuePolicy(db, readFileSync(file, 'utf8'));
        console.log(`ok: version ${p.version} from ${p.effective_from}; shares ${p.shares.platform}/${p.shares.treasury}/${p.shares.authors}; no activity → ${p.no_activity}`);
      }),
    );
  policy
    .command('adopt')
    .description('Adopt a policy file from its effective month on (audited)')
    .argument('<file>')
    .action(async (file: string) =>
      withStore(async (db) => {
        const p = await adoptRevenuePolicy(db, readFileSync(file, 'utf8'), cliActor());
        console.log(`adopted ${p.version}, effective from ${p.effective_from}`);
      }),
    );
}

/** `vklad payments ...` and `vklad payout`: money in and out by hand (webhooks record most payments). */
function paymentsCommand(program: Command): void {
  const payments = program.command('payments').description('Subscription payments, refunds and chargebacks');
  payments
    .command('list')
    .description('Payments in id order')
    .option('--member <id>', 'only this member', member)
    .option('--period <period>', 'only for this month, YYYY-MM')
    .option('--json', 'print JSON')
    .action(async (opts: { member?: number; period?: string; json?: boolean }) =>
      withStore(async (db) => {
        const list = await listPayments(db, { member: opts.member, period: opts.period, limit: 1000 });
        if (opts.json) return printJson(list);
        for (const p of list) console.log(`#${p.payment_id}  ${p.provider}:${p.provider_payment_id}  member ${p.member_id}  ${decimal(p.amount, p.currency)} ${p.currency}  for ${p.period}${p.booked_period === p.period ? '' : ` (booked in ${p.booked_period})`}${p.net === p.amount ? '' : `  net ${decimal(p.net, p.currency)}`}`);
      }),
    );
  payments
    .command('record')
    .description('Record a payment given as JSON: {provider, provider_payment_id, member, amount, currency, period, occurred_at}')
    .argument('<json>')
    .action(async (json: string) =>
      withStore(async (db) => {
        const outcome = await recordPayment(db, JSON.parse(json), cliActor());
        console.log(`${outcome.status === 'created' ? 'recorded' : 'already recorded'}: payment #${outcome.payment_id}`);
      }),
    );
  payments
    .command('refund')
    .description('Record a refund or chargeback given as JSON: {provider, provider_payment_id, provider_refund_id, kind, amount, occurred_at}')
    .argument('<json>')
    .action(async (json: string) =>
      withStore(async (db) => {
        const outcome = await recordRefund(db, JSON.parse(json), cliActor());
        console.log(`${outcome.status === 'created' ? 'recorded' : 'already recorded'}: refund #${outcome.refund_id}`);
      }),
    );
  program
    .command('payout')
    .description("Record money paid out to an author (never more than the author's account holds)")
    .argument('<author>', 'member id', member)
    .argument('<amount>', 'minor units (kopecks, cents)', minor)
    .requiredOption('--currency <currency>', 'RUB or USD')
    .requiredOption('--id <id>', 'the payout id (bank transfer number, say); the same id again changes nothing')
    .option('--reference <text>', 'what it was paid by')
    .action(async (author: number, amount: number, opts: { currency: string; id: string; reference?: string }) =>
      withStore(async (db) => {
        const outcome = await recordPayout(db, { id: opts.id, author_id: author, currency: opts.currency, amount, ...(opts.reference ? { reference: opts.reference } : {}) }, cliActor());
        console.log(`${outcome.status === 'created' ? 'paid out' : 'already paid out'}: ${outcome.transaction_id}`);
      }),
    );
}

/** Registers `vklad revenue`, `vklad payments` and `vklad payout`. */
export function revenueCommands(program: Command): void {
  revenueCommand(program);
  paymentsCommand(program);
}
