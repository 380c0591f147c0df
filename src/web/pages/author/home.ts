import { fiatAccount } from '../../../ledger/conventions.ts';
import { getBalance } from '../../../ledger/reads.ts';
import { CURRENCIES } from '../../../payments/record.ts';
import { type AccrualView, authorAccrual } from '../../../revenue/accrual.ts';
import { periodOf } from '../../../revenue/period.ts';
import type { Page } from '../../access.ts';
import { lineChart } from '../../charts/lines.ts';
import type { WebContext, WebDeps } from '../../context.ts';
import { type Html, html, raw } from '../../html.ts';
import { authorWords } from '../../i18n/author.ts';
import { fill } from '../../i18n/index.ts';
import { render } from '../../layout.ts';
import { type Figures, type ItemActivity, MIN_LEARNERS, authorActivity } from './activity.ts';

const RECENT_DAYS = 28;
const WEEKS = 12;
const DAY = 86_400_000;
/** How often an open author page asks for its earnings again: money follows actions as they happen. */
export const EARNINGS_POLL_MS = 5_000;

/** The first days of the last `weeks` weeks (Monday to Sunday) in the community's zone, oldest first. */
export function lastWeeks(now: Date, zone: string, weeks: number): string[] {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const at = Date.parse(`${today}T00:00:00Z`);
  const monday = at - ((new Date(at).getUTCDay() + 6) % 7) * DAY;
  return Array.from({ length: weeks }, (_, i) => new Date(monday - (weeks - 1 - i) * 7 * DAY).toISOString().slice(0, 10));
}

function money(c: WebContext, minor: number, currency: string): string {
  const tag = c.get('locale').lang === 'ru' ? 'ru-RU' : 'en-GB';
  return new Intl.NumberFormat(tag, { style: 'currency', currency }).format(minor / 100);
}

/** The month's accrual and the author's balances, read afresh: for the page and for its polling. */
async function earningsOf(c: WebContext, deps: WebDeps): Promise<Html> {
  const author = c.get('viewer')!.id;
  // The revenue module computes the open month on read; if it cannot, the rest of the page still shows.
  const accrual = await authorAccrual(deps.db, author, periodOf(deps.now())).catch(() => null);
  const balances = (await Promise.all(CURRENCIES.map(async (currency) => ({ currency, balance: (await getBalance(deps.db, fiatAccount.author(author, currency))).balance })))).filter(
    (b, i) => b.balance !== 0 || i === 0,
  );
  return earnings(c, accrual, balances);
}

// Replaces the earnings section with a fresh one while the page is open and visible.
const POLL_SCRIPT = `<script>
setInterval(async () => {
  if (document.hidden) return;
  const answer = await fetch('/author/earnings', { credentials: 'same-origin' }).catch(() => null);
  const section = document.getElementById('earnings');
  if (answer && answer.ok && section) section.outerHTML = await answer.text();
}, ${EARNINGS_POLL_MS});
</script>`;

function earnings(c: WebContext, accrual: AccrualView | null, balances: { currency: string; balance: number }[]): Html {
  const w = authorWords(c);
  const { number } = c.get('locale');
  const heading = accrual ? fill(accrual.status === 'open' ? w.live : w.closed, { period: accrual.period }) : '';
  return html`<section id="earnings" aria-labelledby="earnings-h"><h2 id="earnings-h">${w.earnings}</h2>
${accrual === null
  ? html`<p>${w.unavailable}</p>`
  : html`<h3>${heading}</h3>${accrual.currencies.length === 0
      ? html`<p>${w.noEarnings}</p>`
      : html`<table id="accrual"><thead><tr><th scope="col"></th>${accrual.currencies.map((a) => html`<th scope="col" class="num">${a.currency}</th>`)}</tr></thead>
<tbody>
<tr><th scope="row">${w.fromMembers}</th>${accrual.currencies.map((a) => html`<td class="num">${money(c, a.from_members, a.currency)}</td>`)}</tr>
<tr><th scope="row">${w.fromPool}</th>${accrual.currencies.map((a) => html`<td class="num">${money(c, a.from_pool, a.currency)}</td>`)}</tr>
<tr><th scope="row">${w.adjustments}</th>${accrual.currencies.map((a) => html`<td class="num">${money(c, a.adjustments, a.currency)}</td>`)}</tr>
<tr><th scope="row">${w.total}</th>${accrual.currencies.map((a) => html`<td class="num"><strong>${money(c, a.total, a.currency)}</strong></td>`)}</tr>
<tr><th scope="row">${w.learnersPaying}</th>${accrual.currencies.map((a) => html`<td class="num">${number(a.learners)}</td>`)}</tr>
</tbody></table>`}`}
<div class="cards">${balances.map((b) => html`<div class="card"><p class="figure" id="balance-${b.currency}">${money(c, b.balance, b.currency)}</p><p>${w.balance} (${b.currency})</p></div>`)}</div>
<p class="muted">${w.balanceHelp}</p>
</section>`;
}

function cells(c: WebContext, f: Figures): Html {
  const w = authorWords(c);
  const { number } = c.get('locale');
  if (f.learners > 0 && f.learners < MIN_LEARNERS) return html`<td class="num muted" colspan="3">${fill(w.fewer, { n: MIN_LEARNERS })}</td>`;
  return html`<td class="num">${number(f.actions)}</td><td class="num">${number(f.learners)}</td><td class="num">${number(Math.round(f.minutes / 6) / 10)}</td>`;
}

function itemTable(c: WebContext, course: ItemActivity & { parts: ItemActivity[] }, index: number): Html {
  const w = authorWords(c);
  const recent = fill(w.recent, { days: RECENT_DAYS });
  const head = (scope: string) => html`<th scope="col" class="num">${w.actions}<span class="visually-hidden"> (${scope})</span></th><th scope="col" class="num">${w.learners}<span class="visually-hidden"> (${scope})</span></th><th scope="col" class="num">${w.hours}<span class="visually-hidden"> (${scope})</span></th>`;
  const row = (item: ItemActivity, strong: boolean) =>
    html`<tr${strong ? html` class="total"` : ''}><th scope="row">${item.title}${item.kind ? html` <span class="muted">(${item.kind})</span>` : ''}</th>${cells(c, item.recent)}${cells(c, item.all)}</tr>`;
  return html`<section aria-labelledby="course-${index}-h"><h2 id="course-${index}-h">${course.title}</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="course-${index}-h"><table class="author-activity" id="course-${index}">
<thead><tr><th scope="col" rowspan="2">${w.item}</th><th scope="colgroup" colspan="3">${recent}</th><th scope="colgroup" colspan="3">${w.allTime}</th></tr>
<tr>${head(recent)}${head(w.allTime)}</tr></thead>
<tbody>${row(course, true)}${course.parts.map((p) => row(p, false))}</tbody></table></div></section>`;
}

async function authorPage(c: WebContext, deps: WebDeps): Promise<Response> {
  const w = authorWords(c);
  const { number, date } = c.get('locale');
  const viewer = c.get('viewer')!;
  const now = deps.now();
  const zone = deps.config.timeZone;
  const weeks = lastWeeks(now, zone, WEEKS);
  const courses = await authorActivity(deps.db, viewer.id, { since: new Date(now.getTime() - RECENT_DAYS * DAY), weeksSince: new Date(Date.parse(`${weeks[0]}T00:00:00Z`) - DAY), zone });
  const earningsSection = await earningsOf(c, deps);
  const series = courses.slice(0, 7).map((course) => ({ name: course.title, values: weeks.map((week) => course.weeks.get(week) ?? 0) }));
  return render(
    c,
    w.title,
    html`<p>${w.intro}</p>
${earningsSection}${raw(POLL_SCRIPT)}
${courses.length === 0
  ? html`<p>${w.none}</p>`
  : html`${lineChart({ id: 'author-chart', title: fill(w.chart, { weeks: WEEKS }), labels: weeks.map((d) => date(Date.parse(`${d}T12:00:00Z`)).replace(/\s*\d{4}\s*(г\.)?$/, '')), series, format: number })}
<p class="muted">${fill(w.fewerNote, { n: MIN_LEARNERS })}</p>
${courses.map((course, i) => itemTable(c, course, i))}`}`,
  );
}

export const authorPages: Page[] = [
  { method: 'GET', path: '/author', roles: ['author'], handler: authorPage },
  { method: 'GET', path: '/author/earnings', roles: ['author'], handler: async (c, deps) => c.html(await earningsOf(c, deps)) },
];
