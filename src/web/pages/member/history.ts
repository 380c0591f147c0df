import { memberAccount } from '../../../ledger/conventions.ts';
import { type HistoryEntry, accountHistory } from '../../../ledger/reads.ts';
import type { Page } from '../../access.ts';
import type { WebContext } from '../../context.ts';
import { html } from '../../html.ts';
import { fill } from '../../i18n/index.ts';
import { render } from '../../layout.ts';

const ACCOUNTS = { available: memberAccount.available, pending: memberAccount.pending } as const;
type Which = keyof typeof ACCOUNTS;
const which = (value: string | undefined): Which => (value === 'pending' ? 'pending' : 'available');
const PAGE = 50;

const codeLabel = (c: WebContext, code: string): string => (c.get('locale').t.history.codes as Record<string, string>)[code] ?? code;

/** CSV as RFC 4180 has it: fields quoted when they hold a comma, quote or line break. */
const csvField = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const historyPages: Page[] = [
  {
    method: 'GET',
    path: '/history',
    roles: ['member'],
    handler: async (c, deps) => {
      const { t, number, dateTime } = c.get('locale');
      const viewer = c.get('viewer')!;
      const account = which(c.req.query('account'));
      const cursor = c.req.query('cursor') ?? null;
      const page = await accountHistory(deps.db, ACCOUNTS[account](viewer.id), { limit: PAGE, cursor });
      const tab = (w: Which) => html`<a href="/history?account=${w}"${w === account ? html` aria-current="page"` : ''}>${t.history.accounts[w]}</a>`;
      return render(
        c,
        t.history.title,
        html`<nav aria-label="${t.history.accountsLabel}" class="pager">${tab('available')} ${tab('pending')}</nav>
<p>${t.history.explain[account]}</p>
<p><a href="/history.csv?account=${account}" download>${t.history.csv}</a></p>
${page.entries.length === 0
  ? html`<p>${t.history.empty}</p>`
  : html`<table id="ledger"><caption class="visually-hidden">${t.history.accounts[account]}</caption>
  <thead><tr><th scope="col">${t.history.when}</th><th scope="col">${t.history.what}</th><th scope="col">${t.history.note}</th><th scope="col" class="num">${t.history.amount}</th><th scope="col" class="num">${t.history.balance}</th></tr></thead>
  <tbody>${page.entries.map(
    (e: HistoryEntry) => html`<tr><td>${dateTime(e.at)}</td><td>${codeLabel(c, e.code)}</td><td class="muted">${e.memo ?? e.cause}</td>
    <td class="num${e.amount < 0 ? ' neg' : ''}">${e.amount > 0 ? '+' : ''}${number(e.amount)}</td><td class="num">${number(e.balance_after)}</td></tr>`,
  )}</tbody></table>`}
<p class="pager">${cursor ? html`<a href="/history?account=${account}">${t.history.newest}</a>` : ''}
${page.next_cursor ? html`<a href="/history?account=${account}&amp;cursor=${page.next_cursor}">${t.history.older}</a>` : ''}</p>`,
      );
    },
  },
  {
    method: 'GET',
    path: '/history.csv',
    roles: ['member'],
    handler: async (c, deps) => {
      const viewer = c.get('viewer')!;
      const account = which(c.req.query('account'));
      const lines = ['entry_id,at,transaction_id,code,cause,memo,amount,balance_after'];
      let cursor: string | null = null;
      do {
        const page = await accountHistory(deps.db, ACCOUNTS[account](viewer.id), { limit: 500, cursor });
        for (const e of page.entries) {
          lines.push([e.entry_id, new Date(e.at).toISOString(), e.transaction_id, e.code, e.cause, e.memo, e.amount, e.balance_after].map(csvField).join(','));
        }
        cursor = page.next_cursor;
      } while (cursor);
      const name = fill('vklad-{account}-{member}.csv', { account, member: viewer.id });
      return c.body(`${lines.join('\r\n')}\r\n`, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` });
    },
  },
];
