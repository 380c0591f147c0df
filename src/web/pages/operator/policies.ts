import type { Queryable } from '../../../db/database.ts';
import { VkladError } from '../../../errors.ts';
import { type WhatIfReport, type Share, whatIf } from '../../../services/what-if.ts';
import { adoptPolicy, listPolicies } from '../../../store/policies.ts';
import type { Page } from '../../access.ts';
import { changeChart, pairChart } from '../../charts/compare.ts';
import type { WebContext, WebDeps } from '../../context.ts';
import { type Html, csrfField, html } from '../../html.ts';
import { fill } from '../../i18n/index.ts';
import { opWords } from '../../i18n/operator.ts';
import { render } from '../../layout.ts';
import { type Problems, actorOf, field, noProblems, problemsOf, str, summary } from './form.ts';

const TEXT_LIMIT = 60_000;

async function latestText(db: Queryable): Promise<string> {
  const [row] = await db.query<{ source: string }>('select source from policies order by effective_from desc limit 1');
  return row?.source ?? '';
}

async function namesOf(db: Queryable, ids: number[]): Promise<Map<number, string | null>> {
  const rows = await db.query<{ id: number; display_name: string | null }>('select id, display_name from members where id = any($1::bigint[])', [ids]);
  return new Map(rows.map((r) => [Number(r.id), r.display_name]));
}

function candidateForm(c: WebContext, text: string, problems: Problems): Html {
  const w = opWords(c);
  return html`<section aria-labelledby="candidate-h"><h2 id="candidate-h">${w.policies.candidateTitle}</h2>
${summary(c, problems, 'candidate')}
<form method="post" action="/operator/policies/what-if" id="candidate-form">
  ${csrfField(c)}
  ${field(problems, { form: 'candidate', name: 'text', label: w.policies.candidate, value: text, type: 'textarea', rows: 18, required: true, help: w.policies.candidateHelp })}
  <button type="submit">${w.policies.compare}</button>
</form></section>`;
}

async function policiesPage(c: WebContext, deps: WebDeps, text: string | null, problems: Problems, status: 200 | 400 | 409 = 200): Promise<Response> {
  const w = opWords(c);
  const { number, dateTime } = c.get('locale');
  const versions = await listPolicies(deps.db);
  const adopted = c.req.query('adopted');
  const marked = c.req.query('marked');
  return render(
    c,
    w.policies.title,
    html`${adopted ? html`<p class="success" role="status">${fill(w.policies.justAdopted, { version: adopted, members: number(Number(marked ?? 0)) })}</p>` : ''}
<section aria-labelledby="versions-h"><h2 id="versions-h">${w.policies.adopted}</h2>
${versions.length === 0
  ? html`<p>${w.policies.none}</p>`
  : html`<table id="versions"><thead><tr><th scope="col">${w.policies.version}</th><th scope="col">${w.policies.effective}</th><th scope="col">${w.policies.adoptedAt}</th><th scope="col">${w.policies.adoptedBy}</th></tr></thead>
<tbody>${versions.map((v) => html`<tr><td>${v.version}</td><td>${v.effective_from}</td><td>${dateTime(Date.parse(v.adopted_at))}</td><td>${v.adopted_by}</td></tr>`)}</tbody></table>`}
</section>
${candidateForm(c, text ?? (await latestText(deps.db)), problems)}`,
    status,
  );
}

/** A table of shares by key, with the difference; the biggest change first. */
function shareTable(c: WebContext, id: string, caption: string, table: Record<string, Share>, label: (key: string) => string): Html {
  const w = opWords(c);
  const { number, percent } = c.get('locale');
  const rows = Object.entries(table).sort((a, b) => Math.abs(b[1].candidate - b[1].current) - Math.abs(a[1].candidate - a[1].current) || a[0].localeCompare(b[0]));
  return html`<table id="${id}"><caption>${caption}</caption>
<thead><tr><th scope="col"></th><th scope="col" class="num">${w.whatIf.current}</th><th scope="col" class="num">${w.whatIf.candidateShort}</th><th scope="col" class="num">${w.whatIf.difference}</th><th scope="col" class="num">${w.whatIf.change}</th></tr></thead>
<tbody>${rows.map(([key, s]) => {
    const d = s.candidate - s.current;
    return html`<tr><th scope="row">${label(key)}</th><td class="num">${number(s.current)}</td><td class="num">${number(s.candidate)}</td>
<td class="num${d < 0 ? ' neg' : ''}">${d > 0 ? '+' : ''}${number(d)}</td><td class="num">${s.current === 0 ? '—' : `${d > 0 ? '+' : ''}${percent(d / s.current)}`}</td></tr>`;
  })}</tbody></table>`;
}

async function reportPage(c: WebContext, deps: WebDeps, text: string, report: WhatIfReport): Promise<Response> {
  const w = opWords(c);
  const { number } = c.get('locale');
  const version = report.candidate.version;
  const names = await namesOf(deps.db, [...report.gainers, ...report.losers].map((g) => g.member));
  const lang = c.get('locale').lang;
  const titles = new Map(
    (await deps.db.query<{ key: string; title_en: string; title_ru: string }>('select key, title_en, title_ru from action_types')).map((r) => [r.key, `${lang === 'ru' ? r.title_ru : r.title_en} (${r.key})`]),
  );
  const who = (id: number) => `#${id} ${names.get(id) ?? ''}`.trim();
  const label = (key: string) => (key === 'bonus' ? w.whatIf.bonus : key);
  const signed = (n: number) => `${n > 0 ? '+' : ''}${number(n)}`;
  const pairs = (table: Record<string, Share>) => Object.entries(table).map(([key, s]) => ({ label: label(key), before: s.current, after: s.candidate }));
  const chartNames = { before: w.whatIf.current, after: fill(w.whatIf.candidate, { version }) };
  const moves = [...report.gainers.slice(0, 8), ...report.losers.slice(0, 8)].sort((a, b) => b.difference - a.difference);
  const people = (id: string, caption: string, list: WhatIfReport['gainers']) =>
    list.length === 0
      ? html`<div><p class="caption">${caption}</p><p>${w.whatIf.nobody}</p></div>`
      : html`<table id="${id}"><caption>${caption}</caption><thead><tr><th scope="col">${w.whatIf.member}</th><th scope="col" class="num">${w.whatIf.current}</th><th scope="col" class="num">${w.whatIf.candidateShort}</th><th scope="col" class="num">${w.whatIf.difference}</th></tr></thead>
<tbody>${list.map((g) => html`<tr><th scope="row"><a href="/operator/members/${g.member}">${who(g.member)}</a></th><td class="num">${number(g.current)}</td><td class="num">${number(g.candidate)}</td><td class="num${g.difference < 0 ? ' neg' : ''}">${signed(g.difference)}</td></tr>`)}</tbody></table>`;
  const d = report.total.candidate - report.total.current;
  return render(
    c,
    fill(w.whatIf.title, { version }),
    html`<p id="what-if-summary">${fill(w.whatIf.summary, { events: number(report.events), members: number(report.members), version, from: report.candidate.effective_from })}</p>
<div class="cards">
  <div class="card"><p class="figure" id="total-current">${number(report.total.current)}</p><p>${w.whatIf.totals}: ${w.whatIf.current}</p></div>
  <div class="card"><p class="figure" id="total-candidate">${number(report.total.candidate)}</p><p>${w.whatIf.totals}: ${fill(w.whatIf.candidate, { version })}</p></div>
  <div class="card"><p class="figure${d < 0 ? ' neg' : ''}" id="total-difference">${signed(d)}</p><p>${w.whatIf.difference}</p></div>
</div>
<section aria-labelledby="moves-h"><h2 id="moves-h">${w.whatIf.gainers} / ${w.whatIf.losers}</h2>
${moves.length > 0 ? changeChart({ id: 'moves-chart', title: w.whatIf.movesChart, changes: moves.map((g) => ({ label: who(g.member), value: g.difference })), format: signed }) : ''}
<div class="two">${people('gainers', w.whatIf.gainers, report.gainers)}${people('losers', w.whatIf.losers, report.losers)}</div>
</section>
<section aria-labelledby="kind-h"><h2 id="kind-h">${w.whatIf.byKind}</h2>
${pairChart({ id: 'kind-chart', title: w.whatIf.kindChart, pairs: pairs(report.by_kind), names: chartNames, format: number })}
${shareTable(c, 'by-kind', w.whatIf.byKind, report.by_kind, label)}
</section>
<section aria-labelledby="role-h"><h2 id="role-h">${w.whatIf.byRole}</h2>
${pairChart({ id: 'role-chart', title: w.whatIf.roleChart, pairs: pairs(report.by_role), names: chartNames, format: number })}
${shareTable(c, 'by-role', w.whatIf.byRole, report.by_role, label)}
</section>
<section aria-labelledby="action-h"><h2 id="action-h">${w.whatIf.byAction}</h2>
${shareTable(c, 'by-action', w.whatIf.byAction, report.by_action, (key) => titles.get(key) ?? label(key))}
</section>
<section aria-labelledby="adopt-h"><h2 id="adopt-h">${w.whatIf.adoptTitle}</h2>
<form method="post" action="/operator/policies/adopt" id="adopt-form">
  ${csrfField(c)}<input type="hidden" name="text" value="${text}">
  <fieldset><legend>${w.whatIf.mode}</legend>
    <label class="inline"><input type="radio" name="mode" value="forward" checked> ${w.whatIf.forward}</label>
    <label class="inline"><input type="radio" name="mode" value="rescore"> ${w.whatIf.rescore}</label>
  </fieldset>
  <button type="submit">${fill(w.whatIf.adopt, { version })}</button>
</form>
<form method="post" action="/operator/policies/edit">${csrfField(c)}<input type="hidden" name="text" value="${text}"><button type="submit" class="link">${w.whatIf.back}</button></form>
</section>
`,
  );
}

function textOf(form: Record<string, unknown>, c: WebContext): { text: string; problems: Problems } {
  const text = str(form, 'text');
  const problems = noProblems();
  if (text === '') problems.set('text', [opWords(c).form.required]);
  if (text.length > TEXT_LIMIT) problems.set('text', [`≤ ${TEXT_LIMIT}`]);
  return { text, problems };
}

export const policyPages: Page[] = [
  { method: 'GET', path: '/operator/policies', roles: ['operator'], handler: (c, deps) => policiesPage(c, deps, null, noProblems()) },
  {
    method: 'POST',
    path: '/operator/policies/what-if',
    roles: ['operator'],
    exampleForm: { text: '' },
    handler: async (c, deps) => {
      const { text, problems } = textOf(await c.req.parseBody(), c);
      if (problems.size > 0) return policiesPage(c, deps, text, problems, 400);
      let report: WhatIfReport;
      try {
        report = await whatIf(deps.db, text);
      } catch (error) {
        return policiesPage(c, deps, text, textProblems(error), 400);
      }
      return reportPage(c, deps, text, report);
    },
  },
  {
    method: 'POST',
    path: '/operator/policies/edit',
    roles: ['operator'],
    exampleForm: { text: 'version: x' },
    handler: async (c, deps) => policiesPage(c, deps, str(await c.req.parseBody(), 'text'), noProblems()),
  },
  {
    method: 'POST',
    path: '/operator/policies/adopt',
    roles: ['operator'],
    exampleForm: { text: '', mode: 'forward' },
    handler: async (c, deps) => {
      const form = await c.req.parseBody();
      const { text, problems } = textOf(form, c);
      if (problems.size > 0) return policiesPage(c, deps, text, problems, 400);
      const mode = str(form, 'mode') === 'rescore' ? 'rescore' : 'forward';
      try {
        const done = await adoptPolicy(deps.db, text, { mode, actor: actorOf(c), now: deps.now() });
        return c.redirect(`/operator/policies?adopted=${encodeURIComponent(done.policy.version)}&marked=${done.members_marked}`, 303);
      } catch (error) {
        return policiesPage(c, deps, text, textProblems(error), 400);
      }
    },
  },
];

/** Every problem of a policy text is shown by the text, with the line and field it names. */
function textProblems(error: unknown): Problems {
  const problems = problemsOf(error);
  const lines = error instanceof VkladError ? error.errors.map((e) => `${'line' in e ? `${String(e.line)}: ` : ''}${e.field}: ${e.reason}`) : [];
  return new Map([['text', lines.length > 0 ? lines : [...problems.values()].flat()]]);
}
