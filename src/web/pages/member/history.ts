import { memberAccount } from '../../../ledger/conventions.ts';
import { type HistoryEntry, accountHistory } from '../../../ledger/reads.ts';
import type { Page } from '../../access.ts';
import type { WebContext, WebDeps } from '../../context.ts';
import { html } from '../../html.ts';
import { fill } from '../../i18n/index.ts';
import { render } from '../../layout.ts';

const ACCOUNTS = { available: memberAccount.available, pending: memberAccount.pending } as const;
type Which = keyof typeof ACCOUNTS;
const which = (value: string | undefined): Which => (value === 'pending' ? 'pending' : 'available');
const PAGE = 50;

const codeLabel = (c: WebContext, code: string): string => (c.get('locale').t.history.codes as Record<string, string>)[code] ?? code;

/** The ledger's own notes, said in the member's language where Vklad wrote them; an operator's reason as written. */
function entryNote(c: WebContext, e: HistoryEntry, rewards: Map<string, { en: string; ru: string }>): string {
  const { t, lang, number, date } = c.get('locale');
  const week = /^award:week:\d+:(\d{4}-\d{2}-\d{2})$/.exec(e.cause);
  const change = /^(\d+) → (\d+) points$/.exec(e.memo ?? '');
  if (week && change) return fill(t.history.weekTotal, { week: date(Date.parse(`${week[1]}T12:00:00Z`)), from: number(Number(change[1])), to: number(Number(change[2])) });
  const matured = /^(\d+) points no longer pending$/.exec(e.memo ?? '');
  if (matured) return fill(t.history.matured, { points: number(Number(matured[1])) });
  const redemption = /^redemption:(.+)$/.exec(e.cause);
  if (redemption) return rewards.get(redemption[1]!)?.[lang] ?? e.cause;
  const expired = /^points unspent for (\d+) months$/.exec(e.cause);
  if (expired) return fill(t.history.expired, { months: number(Number(expired[1])) });
  return e.memo ?? e.cause;
}

async function rewardTitles(deps: WebDeps, entries: HistoryEntry[]): Promise<Map<string, { en: string; ru: string }>> {
  const ids = entries.flatMap((e) => (e.cause.startsWith('redemption:') ? [e.cause.slice('redemption:'.length)] : []));
  if (ids.length === 0) return new Map();
  const rows = await deps.db.query<{ id: string; title_en: string; title_ru: string }>(
    'select d.id, r.title_en, r.title_ru from redemptions d join rewards r on r.key = d.reward_key where d.id = any($1::text[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { en: r.title_en, ru: r.title_ru }]));
}

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
      const rewards = await rewardTitles(deps, page.entries);
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
    (e: HistoryEntry) => html`<tr><td>${dateTime(e.at)}</td><td>${codeLabel(c, e.code)}</td><td class="muted">${entryNote(c, e, rewards)}</td>
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
