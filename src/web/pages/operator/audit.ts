import type { Queryable } from '../../../db/database.ts';
import type { AuditEntry } from '../../../store/audit.ts';
import type { Page } from '../../access.ts';
import type { WebContext } from '../../context.ts';
import { type Html, html } from '../../html.ts';
import { fill } from '../../i18n/index.ts';
import { opWords } from '../../i18n/operator.ts';
import { render } from '../../layout.ts';

const LATEST = 200;

/** The latest entries about any of these subjects (all of them when none are given), newest first. */
export async function auditOf(db: Queryable, subjects: readonly string[] | null, limit = LATEST): Promise<AuditEntry[]> {
  return db.query<AuditEntry>(
    `select id, at, actor, action, subject, details from audit_log
     where $1::text[] is null or subject = any($1::text[]) order by id desc limit $2`,
    [subjects, limit],
  );
}

export function auditTable(c: WebContext, entries: readonly AuditEntry[]): Html {
  const w = opWords(c);
  const { dateTime } = c.get('locale');
  if (entries.length === 0) return html`<p>${w.audit.empty}</p>`;
  return html`<table class="audit"><thead><tr><th scope="col">${w.audit.at}</th><th scope="col">${w.audit.actor}</th><th scope="col">${w.audit.action}</th><th scope="col">${w.audit.subject}</th><th scope="col">${w.audit.details}</th></tr></thead>
<tbody>${entries.map((e) => {
    const reason = typeof e.details.reason === 'string' ? e.details.reason : null;
    return html`<tr><td>${dateTime(new Date(e.at))}</td><td>${e.actor}</td><td>${e.action}</td><td><a href="/operator/audit?subject=${encodeURIComponent(e.subject)}">${e.subject}</a></td>
<td>${reason ? html`<p class="reason">${reason}</p>` : ''}<details><summary>JSON</summary><pre>${JSON.stringify(e.details, null, 1).slice(0, 4000)}</pre></details></td></tr>`;
  })}</tbody></table>`;
}

export const auditPages: Page[] = [
  {
    method: 'GET',
    path: '/operator/audit',
    roles: ['operator'],
    handler: async (c, deps) => {
      const w = opWords(c);
      const subject = (c.req.query('subject') ?? '').trim().slice(0, 300);
      const entries = await auditOf(deps.db, subject ? [subject] : null);
      return render(
        c,
        w.audit.title,
        html`<form method="get" action="/operator/audit" role="search" class="inline-form">
  <label for="subject">${w.audit.filter}</label>
  <input type="text" id="subject" name="subject" value="${subject}">
  <button type="submit">${w.audit.show}</button>
</form>
<p class="muted">${fill(w.audit.latest, { n: entries.length })}</p>
${auditTable(c, entries)}`,
      );
    },
  },
];
