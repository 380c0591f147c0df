import { ActionTypeBody } from '../../../catalogue/action-type.ts';
import { fieldErrors } from '../../../schemas/common.ts';
import { actionKey } from '../../../schemas/common.ts';
import { type ActionTypeView, listActionTypes, putActionType, retireActionType } from '../../../store/catalogue.ts';
import type { Page } from '../../access.ts';
import type { WebContext, WebDeps } from '../../context.ts';
import { csrfField, html } from '../../html.ts';
import { fill } from '../../i18n/index.ts';
import { opWords } from '../../i18n/operator.ts';
import { render } from '../../layout.ts';
import { type Problems, actorOf, choice, field, noProblems, problem, problemsOf, refusal, str, summary } from './form.ts';

type Values = Record<string, string>;

const valuesOf = (a: ActionTypeView): Values => ({
  key: a.key,
  kind: a.kind,
  role: a.role,
  minutes: String(a.minutes),
  tags: a.tags.join(', '),
  title_en: a.title.en,
  title_ru: a.title.ru,
});

async function cataloguePage(c: WebContext, deps: WebDeps, typed: Values | null, problems: Problems): Promise<Response> {
  const w = opWords(c);
  const { lang, number } = c.get('locale');
  const showRetired = c.req.query('retired') === '1';
  const types = await listActionTypes(deps.db, true);
  const editing = c.req.query('edit');
  const values = typed ?? (editing ? valuesOf(types.find((t) => t.key === editing) ?? types[0]!) : { kind: 'learning', minutes: '0' });
  const saved = c.req.query('saved');
  const retired = c.req.query('retired_key');
  const f = (name: string, label: string, extra: Partial<Parameters<typeof field>[1]> = {}) => field(problems, { form: 'action', name, label, value: values[name], required: true, ...extra });
  return render(
    c,
    w.catalogue.title,
    html`${saved ? html`<p class="success" role="status">${fill(w.catalogue.saved, { key: saved })}</p>` : ''}
${retired ? html`<p class="success" role="status">${fill(w.catalogue.retiredDone, { key: retired })}</p>` : ''}
<p><a href="/operator/catalogue${showRetired ? '' : '?retired=1'}">${showRetired ? w.catalogue.title : w.catalogue.showRetired}</a></p>
<table id="catalogue"><thead><tr><th scope="col">${w.catalogue.key}</th><th scope="col">${w.catalogue.kind}</th><th scope="col">${w.catalogue.role}</th><th scope="col" class="num">${w.catalogue.minutes}</th><th scope="col">${w.catalogue.tags}</th><th scope="col"><span class="visually-hidden">${w.catalogue.edit}</span></th></tr></thead>
<tbody>${types
      .filter((t) => showRetired || t.retired_at === null)
      .map(
        (t) => html`<tr${t.retired_at ? html` class="muted"` : ''}><th scope="row">${t.title[lang]}<br><code>${t.key}</code>${t.retired_at ? html` (${w.catalogue.retired})` : ''}</th>
<td>${w.catalogue.kinds[t.kind] ?? t.kind}</td><td>${t.role}</td><td class="num">${number(t.minutes)}</td><td>${t.tags.join(', ')}</td>
<td><a href="/operator/catalogue?edit=${encodeURIComponent(t.key)}#action-form" aria-label="${w.catalogue.edit}: ${t.key}">${w.catalogue.edit}</a>
${t.retired_at ? '' : html`<form method="post" action="/operator/catalogue/${t.key}/retire" class="inline">${csrfField(c)}<button type="submit" class="link" aria-label="${w.catalogue.retire}: ${t.key}">${w.catalogue.retire}</button></form>`}</td></tr>`,
      )}</tbody></table>
<section aria-labelledby="action-h"><h2 id="action-h">${w.catalogue.editTitle}</h2>
${summary(c, problems, 'action')}
<form method="post" action="/operator/catalogue" id="action-form">
  ${csrfField(c)}
  ${f('key', w.catalogue.key, { help: w.catalogue.keyHelp })}
  ${choice(problems, { form: 'action', name: 'kind', label: w.catalogue.kind, value: values.kind ?? 'learning', options: ['learning', 'contribution'].map((k) => ({ value: k, label: w.catalogue.kinds[k]! })) })}
  ${f('role', w.catalogue.role)}
  ${f('minutes', w.catalogue.minutes, { type: 'number', attrs: html` min="0" max="1440"` })}
  ${f('tags', w.catalogue.tags, { required: false, help: w.catalogue.tagsHelp })}
  ${f('title_en', w.catalogue.titleEn)}
  ${f('title_ru', w.catalogue.titleRu)}
  <button type="submit">${w.catalogue.save}</button>
</form></section>`,
    problems.size > 0 ? 400 : 200,
  );
}

export const cataloguePages: Page[] = [
  { method: 'GET', path: '/operator/catalogue', roles: ['operator'], handler: (c, deps) => cataloguePage(c, deps, null, noProblems()) },
  {
    method: 'POST',
    path: '/operator/catalogue',
    roles: ['operator'],
    exampleForm: { key: 'Not A Key' },
    handler: async (c, deps) => {
      const form = await c.req.parseBody();
      const values = Object.fromEntries(['key', 'kind', 'role', 'minutes', 'tags', 'title_en', 'title_ru'].map((k) => [k, str(form, k)]));
      const problems = noProblems();
      const key = actionKey.safeParse(values.key);
      if (!key.success) problem(problems, 'key', key.error.issues[0]!.message);
      const body = ActionTypeBody.safeParse({
        kind: values.kind,
        role: values.role,
        minutes: /^-?\d{1,9}$/.test(values.minutes!) ? Number(values.minutes) : values.minutes,
        tags: values.tags!.split(/[\s,]+/).filter(Boolean),
        title: { en: values.title_en, ru: values.title_ru },
      });
      if (!body.success) {
        for (const [k, v] of problemsOf(refusal(fieldErrors(body.error)), { 'title.en': 'title_en', 'title.ru': 'title_ru' }, ['kind', 'role', 'minutes', 'tags'])) for (const r of v) problem(problems, k, r);
      }
      if (problems.size > 0 || !body.success) return cataloguePage(c, deps, values, problems);
      await putActionType(deps.db, values.key!, body.data, actorOf(c));
      return c.redirect(`/operator/catalogue?saved=${encodeURIComponent(values.key!)}`, 303);
    },
  },
  {
    method: 'POST',
    path: '/operator/catalogue/:key/retire',
    roles: ['operator'],
    example: '/operator/catalogue/no.such.action/retire',
    handler: async (c, deps) => {
      const key = c.req.param('key') ?? '';
      await retireActionType(deps.db, key, actorOf(c));
      return c.redirect(`/operator/catalogue?retired_key=${encodeURIComponent(key)}`, 303);
    },
  },
];
