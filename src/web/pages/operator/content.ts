import type { Queryable } from '../../../db/database.ts';
import { fieldErrors } from '../../../schemas/common.ts';
import { ContentBody, getContent, putContent } from '../../../store/content.ts';
import type { Page } from '../../access.ts';
import type { WebContext, WebDeps } from '../../context.ts';
import { csrfField, html } from '../../html.ts';
import { fill } from '../../i18n/index.ts';
import { opWords } from '../../i18n/operator.ts';
import { render } from '../../layout.ts';
import { type Problems, actorOf, field, noProblems, problem, problemsOf, refusal, str, summary } from './form.ts';

type Values = Record<string, string>;
const SHOWN = 500;

interface Row {
  id: string;
  kind: string;
  title: string;
  parent_id: string | null;
  url: string | null;
  authors: string | null;
  parts: number;
}

/** The content under a parent (the top level when none), with authors and how many parts each has. */
async function contentUnder(db: Queryable, parent: string | null): Promise<Row[]> {
  return db.query<Row>(
    `select c.id, c.kind, c.title, c.parent_id, c.url,
       (select string_agg(a.member_id || ':' || a.share, ', ' order by a.member_id) from content_authors a where a.content_id = c.id) as authors,
       (select count(*)::int from content p where p.parent_id = c.id) as parts
     from content c where c.parent_id is not distinct from $1 order by c.id limit $2`,
    [parent, SHOWN],
  );
}

/** "12:60, 14:40" as authors with shares, or null when it cannot be read. */
export function authorsOf(text: string): { member_id: number; share: number }[] | null {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const authors = parts.map((p) => /^#?(\d{1,15})(?::(\d{1,7}))?$/.exec(p)).map((m) => (m ? { member_id: Number(m[1]), share: m[2] ? Number(m[2]) : 1 } : null));
  return authors.every((a) => a !== null) ? (authors as { member_id: number; share: number }[]) : null;
}

async function contentPage(c: WebContext, deps: WebDeps, typed: Values | null, problems: Problems): Promise<Response> {
  const w = opWords(c);
  const { number } = c.get('locale');
  const parent = (c.req.query('parent') ?? '').trim() || null;
  const rows = await contentUnder(deps.db, parent);
  const editing = c.req.query('edit');
  let values: Values = typed ?? { parent_id: parent ?? '' };
  if (!typed && editing) {
    const item = await getContent(deps.db, editing).catch(() => null);
    if (item) values = { id: item.id, kind: item.kind, title: item.title, parent_id: item.parent_id ?? '', url: item.url ?? '', authors: item.authors.map((a) => `${a.member_id}:${a.share}`).join(', ') };
  }
  const saved = c.req.query('saved');
  const f = (name: string, label: string, extra: Partial<Parameters<typeof field>[1]> = {}) => field(problems, { form: 'content', name, label, value: values[name], ...extra });
  return render(
    c,
    w.content.title,
    html`${saved ? html`<p class="success" role="status">${fill(w.content.saved, { id: saved })}</p>` : ''}
${parent ? html`<p><a href="/operator/content">${w.content.all}</a> · ${w.content.filter} <code>${parent}</code></p>` : ''}
${rows.length === 0
  ? html`<p>${w.content.none}</p>`
  : html`<table id="content"><thead><tr><th scope="col">${w.content.titleCol}</th><th scope="col">${w.content.kind}</th><th scope="col">${w.content.authors}</th><th scope="col" class="num">${w.content.parent}</th><th scope="col"><span class="visually-hidden">${w.content.edit}</span></th></tr></thead>
<tbody>${rows.map(
    (r) => html`<tr><th scope="row">${r.url ? html`<a href="${r.url}">${r.title}</a>` : r.title}<br><code>${r.id}</code></th><td>${r.kind}</td><td>${r.authors ?? '—'}</td>
<td class="num">${r.parts > 0 ? html`<a href="/operator/content?parent=${encodeURIComponent(r.id)}">${number(r.parts)}</a>` : '0'}</td>
<td><a href="/operator/content?edit=${encodeURIComponent(r.id)}${parent ? `&parent=${encodeURIComponent(parent)}` : ''}#content-form" aria-label="${w.content.edit}: ${r.id}">${w.content.edit}</a></td></tr>`,
  )}</tbody></table>`}
<section aria-labelledby="content-h"><h2 id="content-h">${w.content.editTitle}</h2>
${summary(c, problems, 'content')}
<form method="post" action="/operator/content" id="content-form">
  ${csrfField(c)}
  ${f('id', w.content.id, { required: true, help: w.content.idHelp })}
  ${f('kind', w.content.kind, { required: true, help: w.content.kindHelp })}
  ${f('title', w.content.titleCol, { required: true })}
  ${f('parent_id', w.content.parent, { help: w.content.parentHelp })}
  ${f('url', w.content.url, { type: 'url' })}
  ${f('authors', w.content.authors, { help: w.content.authorsHelp })}
  <button type="submit">${w.content.save}</button>
</form></section>`,
    problems.size > 0 ? 400 : 200,
  );
}

export const contentPages: Page[] = [
  { method: 'GET', path: '/operator/content', roles: ['operator'], handler: (c, deps) => contentPage(c, deps, null, noProblems()) },
  {
    method: 'POST',
    path: '/operator/content',
    roles: ['operator'],
    exampleForm: { id: '' },
    handler: async (c, deps) => {
      const w = opWords(c);
      const form = await c.req.parseBody();
      const values = Object.fromEntries(['id', 'kind', 'title', 'parent_id', 'url', 'authors'].map((k) => [k, str(form, k)]));
      const problems = noProblems();
      if (values.id === '' || values.id!.length > 200) problem(problems, 'id', w.form.required);
      const authors = authorsOf(values.authors!);
      if (authors === null) problem(problems, 'authors', w.content.authorsInvalid);
      const body = ContentBody.safeParse({ kind: values.kind, title: values.title, parent_id: values.parent_id || null, url: values.url || null, authors: authors ?? [] });
      const known = ['kind', 'title', 'parent_id', 'url', 'authors'];
      if (!body.success) for (const [k, v] of problemsOf(refusal(fieldErrors(body.error)), {}, known)) for (const r of v) problem(problems, k, r);
      if (problems.size === 0 && body.success) {
        try {
          await putContent(deps.db, values.id!, body.data, actorOf(c));
          return c.redirect(`/operator/content?saved=${encodeURIComponent(values.id!)}${body.data.parent_id ? `&parent=${encodeURIComponent(body.data.parent_id)}` : ''}`, 303);
        } catch (error) {
          for (const [k, v] of problemsOf(error, {}, known)) for (const r of v) problem(problems, k, r);
        }
      }
      return contentPage(c, deps, values, problems);
    },
  },
];
