import type { Queryable } from '../db/database.ts';
import { VkladError, notFound } from '../errors.ts';
import { ASSET_SCALE } from '../ledger/conventions.ts';
import { CURRENCIES, type Currency } from '../payments/record.ts';
import { authorRecipient } from './allocate.ts';
import { checkPeriod } from './close.ts';
import { activityWindow, contentAuthors } from './inputs.ts';
import { nextPeriod } from './period.ts';

export interface StatementContent {
  content_id: string;
  title: string | null;
  from_members: number;
  from_pool: number;
  /** Paying members whose work on this content the money follows. */
  learners: number;
}

export interface StatementCurrency {
  currency: Currency;
  content: StatementContent[];
  /** Paying members whose money reached the author this period. */
  learners: number;
  takebacks: { refund_id: number; kind: string; paid_in: string; amount: number }[];
  carried_in: number;
  posted: number;
  carried_out: number;
}

export interface Statement {
  author_id: number;
  author_name: string | null;
  period: string;
  closed_at: string;
  policy_version: string;
  /** Payments for earlier periods and actions of earlier periods (on this author's content) that arrived late and count here. */
  late: { payments: number; actions: number };
  currencies: StatementCurrency[];
}

/** What an author got for a closed period and why: per content, from how many learners, with refunds taken back and amounts carried. */
export async function authorStatement(db: Queryable, authorId: number, period: string): Promise<Statement> {
  checkPeriod(period);
  const [member] = await db.query<{ display_name: string | null }>('select display_name from members where id = $1', [authorId]);
  if (!member) throw notFound(`Member ${authorId}`);
  const [closed] = await db.query<{ closed_at: Date; policy_version: string }>('select closed_at, policy_version from revenue_periods where period = $1', [period]);
  if (!closed) throw new VkladError('conflict', `Period ${period} is open: its statement exists once it closes; see the accrual for the provisional amount`, [{ field: 'period', reason: 'is not closed yet' }]);
  const recipient = authorRecipient(authorId);
  const lines = await db.query<{ currency: Currency; source: string; content_id: string | null; title: string | null; amount: number; learners: number; member_id: number | null; refund_id: number | null; period: string }>(
    `select l.currency, l.source, l.content_id, c.title, l.amount, l.learners, l.member_id, l.refund_id, l.period
     from revenue_lines l left join content c on c.id = l.content_id
     where l.recipient = $1 and (l.period = $2 or (l.period = $3 and l.source = 'carry'))`,
    [recipient, period, nextPeriod(period)],
  );
  const refunds = new Map(
    (await db.query<{ id: number; kind: string; paid_in: string }>(
      'select r.id, r.kind, p.booked_period as paid_in from payment_refunds r join payments p on p.id = r.payment_id where r.booked_period = $1',
      [period],
    )).map((r) => [Number(r.id), r]),
  );
  const posted = await db.query<{ account: string; amount: number }>(
    "select e.account, sum(e.amount)::bigint as amount from entries e where e.transaction_id like $1 and e.account like $2 group by e.account",
    [`revenue_split:%:${period}:%`, `author:${authorId}:%`],
  );
  const currencies = CURRENCIES.flatMap((currency): StatementCurrency[] => {
    const mine = lines.filter((l) => l.currency === currency);
    if (mine.length === 0) return [];
    const content = new Map<string, StatementContent>();
    for (const l of mine.filter((x) => x.source === 'content' || x.source === 'pool')) {
      const item = content.get(l.content_id!) ?? content.set(l.content_id!, { content_id: l.content_id!, title: l.title, from_members: 0, from_pool: 0, learners: 0 }).get(l.content_id!)!;
      if (l.source === 'content') {
        item.from_members += Number(l.amount);
        item.learners = Math.max(item.learners, l.learners);
      } else item.from_pool += Number(l.amount);
    }
    const sum = (rows: typeof mine) => rows.reduce((s, l) => s + Number(l.amount), 0);
    return [
      {
        currency,
        content: [...content.values()].sort((a, b) => b.from_members + b.from_pool - (a.from_members + a.from_pool) || (a.content_id < b.content_id ? -1 : 1)),
        learners: mine.filter((l) => l.source === 'member' && l.period === period).length,
        takebacks: mine.filter((l) => l.source === 'takeback').map((l) => ({ refund_id: Number(l.refund_id), kind: refunds.get(Number(l.refund_id))?.kind ?? 'refund', paid_in: refunds.get(Number(l.refund_id))?.paid_in ?? '', amount: Number(l.amount) })),
        carried_in: sum(mine.filter((l) => l.source === 'carry' && l.period === period)),
        posted: Number(posted.find((p) => p.account === `author:${authorId}:${currency}`)?.amount ?? 0),
        carried_out: sum(mine.filter((l) => l.source === 'carry' && l.period !== period)),
      },
    ];
  });
  const window = await activityWindow(db, period);
  const own = [...(await contentAuthors(db))].filter(([, list]) => list.some((a) => a.author === authorId)).map(([id]) => id);
  const [late] = await db.query<{ payments: number; actions: number }>(
    `select (select count(*)::int from payments where booked_period = $1 and period < $1) as payments,
            (select count(*)::int from events e where $3::timestamptz is not null and e.object_id = any($2::text[])
               and e.occurred_at >= $4 and e.occurred_at < $5 and e.received_at > $3 and e.received_at <= $6) as actions`,
    [period, own, window.late_after, window.late_from ?? window.from, window.from, window.closed_at],
  );
  return { author_id: authorId, author_name: member.display_name, period, closed_at: closed.closed_at.toISOString(), policy_version: closed.policy_version, late: late!, currencies };
}

type Lang = 'en' | 'ru';
const WORDS = {
  en: {
    title: 'Revenue statement', author: 'Author', period: 'Period', closed: 'Closed', policy: 'Split policy', content: 'Content', learners: 'Learners',
    fromMembers: 'From learners\u2019 activity', fromPool: 'From the common pool', total: 'Total', takeback: 'Taken back', carriedIn: 'Still owed from the previous period',
    posted: 'Credited to your account', carriedOut: 'Carried to the next period', late: 'Counted late in this period', latePayments: 'payments for earlier periods', lateActions: 'actions on your content from earlier periods',
    paidIn: 'payment of', refund: 'refund', chargeback: 'chargeback', reached: 'paying learners whose money reached you',
  },
  ru: {
    title: 'Выписка о доходе', author: 'Автор', period: 'Период', closed: 'Закрыт', policy: 'Политика распределения', content: 'Материал', learners: 'Учащиеся',
    fromMembers: 'По активности учащихся', fromPool: 'Из общего фонда', total: 'Итого', takeback: 'Возвращено', carriedIn: 'Долг с прошлого периода',
    posted: 'Зачислено на ваш счёт', carriedOut: 'Перенесено на следующий период', late: 'Учтено с опозданием в этом периоде', latePayments: 'платежей за прошлые периоды', lateActions: 'действий с вашими материалами за прошлые периоды',
    paidIn: 'платёж за', refund: 'возврат', chargeback: 'чарджбэк', reached: 'платящих учащихся, чьи деньги дошли до вас',
  },
} as const;

/** Minor units as a decimal amount: 12345 RUB → 123.45. */
export const decimal = (amount: number, currency: Currency): string => {
  const scale = ASSET_SCALE[currency];
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(scale + 1, '0');
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
};

// Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers.
const csvCell = (v: string | number): string => {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
export const csvLine = (cells: (string | number)[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** The statement as CSV: one row per item, amounts in minor units and as decimals. */
export function statementCsv(s: Statement): string {
  let out = csvLine(['author_id', 'period', 'currency', 'item', 'content_id', 'title', 'learners', 'amount_minor', 'amount']);
  for (const c of s.currencies) {
    const row = (item: string, id: string, title: string, learners: number | string, amount: number) => (out += csvLine([s.author_id, s.period, c.currency, item, id, title, learners, amount, decimal(amount, c.currency)]));
    for (const item of c.content) {
      row('learners', item.content_id, item.title ?? '', item.learners, item.from_members);
      if (item.from_pool !== 0) row('common_pool', item.content_id, item.title ?? '', '', item.from_pool);
    }
    for (const t of c.takebacks) row(t.kind, `refund:${t.refund_id}`, `payment of ${t.paid_in}`, '', t.amount);
    if (c.carried_in !== 0) row('carried_in', '', '', '', c.carried_in);
    row('posted', '', '', c.learners, c.posted);
    if (c.carried_out !== 0) row('carried_out', '', '', '', c.carried_out);
  }
  return out;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The statement as a small self-contained HTML page, in Russian or English. */
export function statementHtml(s: Statement, lang: Lang): string {
  const w = WORDS[lang];
  const sections = s.currencies.map((c) => {
    const money = (v: number) => `${decimal(v, c.currency)} ${c.currency}`;
    const rows = c.content
      .map((i) => `<tr><td>${esc(i.title ?? i.content_id)}<br><small>${esc(i.content_id)}</small></td><td class="n">${i.learners}</td><td class="n">${money(i.from_members)}</td><td class="n">${money(i.from_pool)}</td></tr>`)
      .join('');
    const takebacks = c.takebacks.map((t) => `<tr><td colspan="3">${w.takeback}: ${w[t.kind === 'chargeback' ? 'chargeback' : 'refund']}, ${w.paidIn} ${esc(t.paid_in)}</td><td class="n">${money(t.amount)}</td></tr>`).join('');
    const carriedIn = c.carried_in !== 0 ? `<tr><td colspan="3">${w.carriedIn}</td><td class="n">${money(c.carried_in)}</td></tr>` : '';
    const carriedOut = c.carried_out !== 0 ? `<tr><td colspan="3">${w.carriedOut}</td><td class="n">${money(c.carried_out)}</td></tr>` : '';
    return `<h2>${c.currency}</h2><p>${c.learners} ${w.reached}</p>
<table><thead><tr><th>${w.content}</th><th>${w.learners}</th><th>${w.fromMembers}</th><th>${w.fromPool}</th></tr></thead>
<tbody>${rows}${takebacks}${carriedIn}<tr class="total"><td colspan="3">${w.posted}</td><td class="n">${money(c.posted)}</td></tr>${carriedOut}</tbody></table>`;
  });
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${w.title} ${esc(s.period)}</title>
<style>body{font:15px/1.4 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;padding:.3rem;text-align:left}.n{text-align:right;white-space:nowrap}.total td{font-weight:bold}small{color:#555}</style></head>
<body><h1>${w.title}</h1>
<p>${w.author}: ${esc(s.author_name ?? String(s.author_id))} (#${s.author_id})<br>${w.period}: ${esc(s.period)} · ${w.closed}: ${esc(s.closed_at)} · ${w.policy}: ${esc(s.policy_version)}</p>
${s.late.payments + s.late.actions > 0 ? `<p>${w.late}: ${s.late.payments} ${w.latePayments}, ${s.late.actions} ${w.lateActions}.</p>` : ''}
${sections.join('\n')}
</body></html>
`;
}
