import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../../db/database.ts';
import { adjustBalance } from '../../../ledger/adjust.ts';
import { memberAccount } from '../../../ledger/conventions.ts';
import { getBalance } from '../../../ledger/reads.ts';
import { type MemberView, getMember, linkIdentity, mergeMembers, setRoles } from '../../../store/members.ts';
import type { Page } from '../../access.ts';
import type { WebContext, WebDeps } from '../../context.ts';
import { type Html, csrfField, html } from '../../html.ts';
import { fill } from '../../i18n/index.ts';
import { opWords } from '../../i18n/operator.ts';
import { render } from '../../layout.ts';
import { auditTable, auditOf } from './audit.ts';
import { type Problems, actorOf, field, integer, noProblems, problem, problemsOf, requestId, str, summary } from './form.ts';

const FOUND = 50;

interface Found {
  id: number;
  display_name: string | null;
  roles: string[];
  merged_into: number | null;
  identities: string | null;
  points: number | null;
}

/** Members whose number, name or an identity's id matches; the newest first. */
async function findMembers(db: Queryable, query: string): Promise<Found[]> {
  const id = /^#?\d{1,15}$/.test(query) ? Number(query.replace('#', '')) : null;
  const like = `%${query.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return db.query<Found>(
    `select m.id, m.display_name, m.roles, m.merged_into,
       (select string_agg(i.provider || ':' || i.external_id, ', ' order by i.provider) from identities i where i.member_id = m.id) as identities,
       (select a.balance from accounts a where a.address = 'member:' || m.id || ':pts') as points
     from members m
     where $1 = '' or m.id = $2 or m.display_name ilike $3
       or exists (select 1 from identities i where i.member_id = m.id and i.external_id ilike $3)
     order by m.id desc limit $4`,
    [query, id, like, FOUND],
  );
}

async function listPage(c: WebContext, deps: WebDeps): Promise<Response> {
  const w = opWords(c);
  const { number } = c.get('locale');
  const query = (c.req.query('q') ?? '').trim().slice(0, 200);
  const found = await findMembers(deps.db, query);
  return render(
    c,
    w.members.title,
    html`<form method="get" action="/operator/members" role="search" class="inline-form">
  <label for="q">${w.members.search}</label>
  <input type="text" id="q" name="q" value="${query}">
  <button type="submit">${w.members.find}</button>
</form>
${found.length === 0
  ? html`<p>${w.members.none}</p>`
  : html`<p class="muted">${fill(w.members.shown, { n: number(found.length) })}</p>
<table id="members"><thead><tr><th scope="col" class="num">${w.members.id}</th><th scope="col">${w.members.name}</th><th scope="col">${w.members.roles}</th><th scope="col">${w.members.identities}</th><th scope="col" class="num">${w.members.points}</th></tr></thead>
<tbody>${found.map(
    (m) => html`<tr><td class="num">${m.id}</td><td><a href="/operator/members/${m.id}">${m.display_name ?? w.members.noName}</a>${m.merged_into ? html` <span class="muted">(${fill(w.members.merged, { into: m.merged_into })})</span>` : ''}</td>
<td>${m.roles.join(', ')}</td><td class="muted">${m.identities ?? ''}</td><td class="num">${number(Number(m.points ?? 0))}</td></tr>`,
  )}</tbody></table>`}`,
  );
}

/** Which form was refused, with its problems and what was typed, to draw it again. */
interface Refused {
  form: 'adjust' | 'link' | 'merge' | 'roles';
  problems: Problems;
  values: Record<string, string>;
}

async function memberPage(c: WebContext, deps: WebDeps, id: number, refused: Refused | null = null): Promise<Response> {
  const w = opWords(c);
  const { number } = c.get('locale');
  let member: MemberView;
  try {
    member = await getMember(deps.db, id);
  } catch {
    return render(c, w.members.title, html`<p>${fill(w.member.notFound, { id })}</p>`, 404);
  }
  const [available, pending, entries] = await Promise.all([
    getBalance(deps.db, memberAccount.available(id)),
    getBalance(deps.db, memberAccount.pending(id)),
    auditOf(deps.db, [`member:${id}`, memberAccount.available(id), memberAccount.pending(id)]),
  ]);
  const problemsFor = (form: Refused['form']) => (refused?.form === form ? refused.problems : noProblems());
  const typed = (form: Refused['form'], name: string, fallback = '') => (refused?.form === form ? (refused.values[name] ?? fallback) : fallback);
  const done = c.req.query('done');
  const doneText = done ? w.member.done[done] : undefined;
  const { dateTime } = c.get('locale');
  const form = (name: Refused['form'], title: string, help: string, body: Html, button: string) => html`<section aria-labelledby="${name}-h"><h2 id="${name}-h">${title}</h2>
<p class="muted">${help}</p>
${summary(c, problemsFor(name), name)}
<form method="post" action="/operator/members/${id}/${name}" id="${name}-form">${csrfField(c)}${body}<button type="submit">${button}</button></form></section>`;
  return render(
    c,
    fill(w.member.title, { id, name: member.display_name ?? w.members.noName }),
    html`${doneText ? html`<p class="success" role="status">${doneText}</p>` : ''}
${member.merged_into ? html`<p class="notice">${fill(w.member.mergedInto, { into: member.merged_into })} <a href="/operator/members/${member.merged_into}">#${member.merged_into}</a></p>` : ''}
<section aria-labelledby="balances-h"><h2 id="balances-h">${w.member.balances}</h2>
<div class="cards">
  <div class="card"><p class="figure" id="available">${number(available.balance)}</p><p>${w.member.available}${available.held > 0 ? html` (${number(available.held)} ${w.member.held})` : ''}</p></div>
  <div class="card"><p class="figure" id="pending">${number(pending.balance)}</p><p>${w.member.pending}</p></div>
</div></section>
${form(
  'adjust',
  w.member.adjustTitle,
  w.member.adjustHelp,
  html`<input type="hidden" name="request" value="${typed('adjust', 'request', randomUUID())}">
  ${field(problemsFor('adjust'), { form: 'adjust', name: 'amount', label: w.member.amount, value: typed('adjust', 'amount'), required: true, attrs: html` inputmode="numeric"` })}
  ${field(problemsFor('adjust'), { form: 'adjust', name: 'reason', label: w.member.reason, value: typed('adjust', 'reason'), type: 'textarea', rows: 3, required: true, help: w.member.reasonHelp })}`,
  w.member.adjust,
)}
<section aria-labelledby="identities-h"><h2 id="identities-h">${w.members.identities}</h2>
${member.identities.length === 0
  ? html`<p>${w.member.noIdentities}</p>`
  : html`<table id="identities"><thead><tr><th scope="col">${w.member.provider}</th><th scope="col">${w.member.externalId}</th><th scope="col">${w.member.linkedAt}</th></tr></thead>
<tbody>${member.identities.map((i) => html`<tr><td>${i.provider}</td><td>${i.external_id}</td><td>${dateTime(Date.parse(i.linked_at))}</td></tr>`)}</tbody></table>`}
</section>
${form(
  'link',
  w.member.linkTitle,
  w.member.linkHelp,
  html`${field(problemsFor('link'), { form: 'link', name: 'provider', label: w.member.provider, value: typed('link', 'provider'), required: true })}
  ${field(problemsFor('link'), { form: 'link', name: 'external_id', label: w.member.externalId, value: typed('link', 'external_id'), required: true })}`,
  w.member.link,
)}
${form(
  'roles',
  w.member.rolesTitle,
  '',
  field(problemsFor('roles'), { form: 'roles', name: 'roles', label: w.member.rolesLabel, value: typed('roles', 'roles', member.roles.join(', ')), help: w.member.rolesHelp }),
  w.member.saveRoles,
)}
${form(
  'merge',
  w.member.mergeTitle,
  w.member.mergeHelp,
  field(problemsFor('merge'), { form: 'merge', name: 'into', label: w.member.into, value: typed('merge', 'into'), required: true, attrs: html` inputmode="numeric"` }),
  w.member.merge,
)}
<section aria-labelledby="audit-h"><h2 id="audit-h">${w.member.auditTitle}</h2>${auditTable(c, entries)}</section>`,
    refused ? 400 : 200,
  );
}

const memberIdOf = (c: WebContext): number => {
  const raw = c.req.param('id') ?? '';
  return /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
};

/** A member form's POST: validate, act, and either show the member again with the problems or go back to it. */
function memberForm(name: Refused['form'], act: (c: WebContext, deps: WebDeps, id: number, form: Record<string, string>, problems: Problems) => Promise<number | void>, fields: Record<string, string>, known: string[]): Page['handler'] {
  return async (c, deps) => {
    const id = memberIdOf(c);
    const raw = await c.req.parseBody();
    const values = Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'));
    const problems = noProblems();
    let next: number | void = id;
    try {
      next = await act(c, deps, id, values, problems);
    } catch (error) {
      for (const [k, v] of problemsOf(error, fields, known)) for (const r of v) problem(problems, k, r);
    }
    if (problems.size > 0) return memberPage(c, deps, id, { form: name, problems, values });
    return c.redirect(`/operator/members/${next ?? id}?done=${name === 'adjust' ? 'adjusted' : name === 'link' ? 'linked' : name === 'merge' ? 'merged' : 'roles'}`, 303);
  };
}

export const memberPages: Page[] = [
  { method: 'GET', path: '/operator/members', roles: ['operator'], handler: listPage },
  { method: 'GET', path: '/operator/members/:id', roles: ['operator'], example: '/operator/members/1', handler: (c, deps) => memberPage(c, deps, memberIdOf(c)) },
  {
    method: 'POST',
    path: '/operator/members/:id/adjust',
    roles: ['operator'],
    example: '/operator/members/1/adjust',
    exampleForm: { amount: '', reason: '' },
    handler: memberForm(
      'adjust',
      async (c, deps, id, form, problems) => {
        const w = opWords(c);
        const amount = integer(problems, form, 'amount', w.form.notInteger);
        if (amount === 0) problem(problems, 'amount', w.form.notInteger);
        if (str(form, 'reason') === '') problem(problems, 'reason', w.form.required);
        const request = requestId(form);
        if (problems.size > 0 || amount === null || amount === 0) return;
        await adjustBalance(deps.db, { id: `web-adjust-${request ?? randomUUID()}`, account: memberAccount.available(id), amount, reason: str(form, 'reason'), actor: actorOf(c) });
      },
      { account: 'amount', against: 'amount' },
      ['amount', 'reason'],
    ),
  },
  {
    method: 'POST',
    path: '/operator/members/:id/link',
    roles: ['operator'],
    example: '/operator/members/1/link',
    exampleForm: { provider: '', external_id: '' },
    handler: memberForm(
      'link',
      async (c, deps, id, form, problems) => {
        const w = opWords(c);
        for (const name of ['provider', 'external_id']) if (str(form, name) === '') problem(problems, name, w.form.required);
        if (problems.size > 0) return;
        await linkIdentity(deps.db, id, { provider: str(form, 'provider'), external_id: str(form, 'external_id') }, actorOf(c));
      },
      { member_id: 'provider' },
      ['provider', 'external_id'],
    ),
  },
  {
    method: 'POST',
    path: '/operator/members/:id/roles',
    roles: ['operator'],
    example: '/operator/members/1/roles',
    exampleForm: { roles: 'not a role!' },
    handler: memberForm(
      'roles',
      async (c, deps, id, form, problems) => {
        const roles = str(form, 'roles').split(/[\s,]+/).filter(Boolean);
        const bad = roles.filter((r) => !/^[a-z][a-z0-9_.-]{0,63}$/.test(r));
        if (bad.length > 0) problem(problems, 'roles', `${bad.join(', ')}: ${opWords(c).member.rolesHelp}`);
        if (problems.size > 0) return;
        await setRoles(deps.db, id, roles, actorOf(c));
      },
      { id: 'roles' },
      ['roles'],
    ),
  },
  {
    method: 'POST',
    path: '/operator/members/:id/merge',
    roles: ['operator'],
    example: '/operator/members/1/merge',
    exampleForm: { into: '' },
    handler: memberForm(
      'merge',
      async (c, deps, id, form, problems) => {
        const into = integer(problems, form, 'into', opWords(c).form.notInteger);
        if (into === null) return;
        await mergeMembers(deps.db, id, into, actorOf(c));
        return into;
      },
      { from: 'into' },
      ['into'],
    ),
  },
];
