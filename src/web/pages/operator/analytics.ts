import type { Queryable } from '../../../db/database.ts';
import type { Page } from '../../access.ts';
import { lineChart } from '../../charts/lines.ts';
import type { WebContext, WebDeps } from '../../context.ts';
import { html } from '../../html.ts';
import { fill } from '../../i18n/index.ts';
import { type OperatorWords, opWords } from '../../i18n/operator.ts';
import { render } from '../../layout.ts';
import { BONUS, CUTS, type Cell, type Cut, GRAINS, type Grain, MAX_PERIODS, MEASURES, type Measure, NONE, type Question, analytics, measureOf, periodCount } from './analytics-data.ts';
import { type Problems, choice, field, noProblems, problem } from './form.ts';

const SERIES = 7;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_DAYS: Record<Grain, number> = { day: 30, week: 84, month: 365 };

const pick = <T extends string>(list: readonly T[], value: string | undefined, fallback: T): T => (list.includes(value as T) ? (value as T) : fallback);
const shift = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const validDate = (text: string): boolean => {
  const at = Date.parse(`${text}T00:00:00Z`);
  return DATE.test(text) && !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === text;
};

interface Asked {
  measure: Measure;
  question: Question;
  problems: Problems;
}

/** The question in the address, checked; defaults for what is missing, problems by field for what is wrong. */
function asked(c: WebContext, deps: WebDeps): Asked {
  const w = opWords(c);
  const problems = noProblems();
  const zone = deps.config.timeZone;
  const grain = pick(GRAINS, c.req.query('grain'), 'week');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(deps.now());
  let to = c.req.query('to') || shift(today, 1);
  let from = c.req.query('from') || shift(to, -DEFAULT_DAYS[grain]);
  if (!validDate(from)) problem(problems, 'from', w.analytics.badDate);
  if (!validDate(to)) problem(problems, 'to', w.analytics.badDate);
  if (problems.size === 0 && to <= from) problem(problems, 'to', w.analytics.badRange);
  if (problems.size === 0 && periodCount(grain, from, to) > MAX_PERIODS) problem(problems, 'to', fill(w.analytics.tooLong, { n: MAX_PERIODS }));
  if (problems.size > 0) {
    to = shift(today, 1);
    from = shift(to, -DEFAULT_DAYS[grain]);
  }
  return {
    measure: pick(MEASURES, c.req.query('measure'), 'actions'),
    question: { cut: pick(CUTS, c.req.query('cut'), 'kind'), grain, from, to, zone },
    problems,
  };
}

/** Words for the keys of a cut: catalogue titles for actions, content titles for courses. */
async function labeller(db: Queryable, c: WebContext, cut: Cut, w: OperatorWords): Promise<(key: string) => string> {
  const { lang } = c.get('locale');
  let names = new Map<string, string>();
  if (cut === 'action') {
    const rows = await db.query<{ key: string; title_en: string; title_ru: string }>('select key, title_en, title_ru from action_types');
    names = new Map(rows.map((r) => [r.key, lang === 'ru' ? r.title_ru : r.title_en]));
  }
  if (cut === 'course') {
    const rows = await db.query<{ id: string; title: string }>('select id, title from content where parent_id is null');
    names = new Map(rows.map((r) => [r.id, r.title]));
  }
  return (key) => {
    if (key === BONUS) return w.whatIf.bonus;
    if (key === NONE) return cut === 'course' ? w.analytics.noCourse : '—';
    if (cut === 'kind') return w.catalogue.kinds[key] ?? key;
    return names.get(key) ?? key;
  };
}

const periodDate = (period: string): number => Date.parse(`${period}T12:00:00Z`);

async function page(c: WebContext, deps: WebDeps): Promise<Response> {
  const w = opWords(c);
  const { number, date } = c.get('locale');
  const { measure, question: q, problems } = asked(c, deps);
  const answer = await analytics(deps.db, q);
  const label = await labeller(deps.db, c, q.cut, w);
  const totals = new Map<string, number>();
  for (const cell of answer.cells) totals.set(cell.key, (totals.get(cell.key) ?? 0) + measureOf(cell, measure));
  const ranked = [...totals].filter(([, v]) => v !== 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = ranked.slice(0, SERIES).map(([k]) => k);
  const rest = ranked.length > SERIES;
  const byPeriod = new Map<string, Map<string, number>>();
  for (const cell of answer.cells) {
    const row = byPeriod.get(cell.period) ?? new Map<string, number>();
    const key = shown.includes(cell.key) ? cell.key : '\u0000other';
    row.set(key, (row.get(key) ?? 0) + measureOf(cell, measure));
    byPeriod.set(cell.period, row);
  }
  const columns = [...shown, ...(rest ? ['\u0000other'] : [])];
  const name = (key: string) => (key === '\u0000other' ? w.analytics.other : label(key));
  const round = (v: number) => Math.round(v * 10) / 10;
  const value = (period: string, key: string) => round(byPeriod.get(period)?.get(key) ?? 0);
  const labels = answer.periods.map((p) => date(periodDate(p)).replace(/\s*\d{4}\s*(г\.)?$/, ''));
  const m = w.analytics.measures[measure]!;
  const title = fill(w.analytics.chart, { measure: m, grain: w.analytics.grains[q.grain]!, cut: w.analytics.cuts[q.cut]! });
  const query = new URLSearchParams({ measure, cut: q.cut, grain: q.grain, from: q.from, to: q.to }).toString();
  const options = (list: readonly string[], words: Record<string, string>) => list.map((v) => ({ value: v, label: words[v] ?? v }));
  return render(
    c,
    w.analytics.title,
    html`<form method="get" action="/operator/analytics" class="inline-form" id="analytics-form">
  ${choice(problems, { form: 'analytics', name: 'measure', label: w.analytics.measure, value: measure, options: options(MEASURES, w.analytics.measures) })}
  ${choice(problems, { form: 'analytics', name: 'cut', label: w.analytics.cut, value: q.cut, options: options(CUTS, w.analytics.cuts) })}
  ${choice(problems, { form: 'analytics', name: 'grain', label: w.analytics.grain, value: q.grain, options: options(GRAINS, w.analytics.grains) })}
  ${field(problems, { form: 'analytics', name: 'from', label: w.analytics.from, value: c.req.query('from') ?? q.from, type: 'text', attrs: html` placeholder="2025-09-01" size="10"` })}
  ${field(problems, { form: 'analytics', name: 'to', label: w.analytics.to, value: c.req.query('to') ?? q.to, type: 'text', attrs: html` placeholder="2025-10-01" size="10"` })}
  <button type="submit">${w.analytics.show}</button>
</form>
<p><a href="/operator/analytics.csv?${query}" download>${w.analytics.csv}</a></p>
${measure === 'hours' ? html`<p class="muted">${w.analytics.hoursNote}</p>` : ''}
${q.cut === 'tag' ? html`<p class="muted">${w.analytics.tagNote}</p>` : ''}
${ranked.length === 0
  ? html`<p>${w.analytics.empty}</p>`
  : html`${lineChart({ id: 'analytics-chart', title, labels, series: columns.map((k) => ({ name: name(k), values: answer.periods.map((p) => value(p, k)) })), format: number })}
<section aria-labelledby="totals-h"><h2 id="totals-h">${w.analytics.total}: ${m}</h2>
<table id="analytics-totals"><thead><tr><th scope="col">${w.analytics.cuts[q.cut]}</th><th scope="col" class="num">${m}</th></tr></thead>
<tbody>${ranked.map(([k, v]) => html`<tr><th scope="row">${label(k)}</th><td class="num">${number(round(v))}</td></tr>`)}</tbody></table></section>
<section aria-labelledby="periods-h"><h2 id="periods-h">${title}</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="periods-h"><table id="analytics-table"><thead><tr><th scope="col">${w.analytics.period}</th>${columns.map((k) => html`<th scope="col" class="num">${name(k)}</th>`)}<th scope="col" class="num">${w.analytics.total}</th></tr></thead>
<tbody>${answer.periods.map(
      (p) => html`<tr><th scope="row">${date(periodDate(p))}</th>${columns.map((k) => html`<td class="num">${number(value(p, k))}</td>`)}<td class="num">${number(round([...(byPeriod.get(p)?.values() ?? [])].reduce((a, b) => a + b, 0)))}</td></tr>`,
    )}</tbody></table></div></section>`}`,
    problems.size > 0 ? 400 : 200,
  );
}

const csvField = (value: string | number): string => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The same question as CSV: one line per period and key, with every measure. */
async function csv(c: WebContext, deps: WebDeps): Promise<Response> {
  const w = opWords(c);
  const { question: q, problems } = asked(c, deps);
  if (problems.size > 0) return c.text([...problems].map(([f, r]) => `${f}: ${r.join('; ')}`).join('\n'), 400);
  const answer = await analytics(deps.db, q);
  const label = await labeller(deps.db, c, q.cut, w);
  const lines = [`period,${q.cut},label,actions,hours,points`];
  for (const cell of answer.cells as Cell[]) {
    lines.push([cell.period, cell.key, label(cell.key), cell.actions, measureOf(cell, 'hours'), cell.points].map(csvField).join(','));
  }
  const name = `vklad-${q.cut}-${q.grain}-${q.from}-${q.to}.csv`;
  return c.body(`${lines.join('\r\n')}\r\n`, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` });
}

export const analyticsPages: Page[] = [
  { method: 'GET', path: '/operator/analytics', roles: ['operator'], handler: page },
  { method: 'GET', path: '/operator/analytics.csv', roles: ['operator'], handler: csv },
];
