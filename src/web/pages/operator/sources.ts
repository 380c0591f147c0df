import { sourceStatus } from '../../../sources/deliveries.ts';
import { hookPath, listSources } from '../../../sources/registry.ts';
import type { Page } from '../../access.ts';
import { html } from '../../html.ts';
import { fill } from '../../i18n/index.ts';
import { opWords } from '../../i18n/operator.ts';
import { render } from '../../layout.ts';

/** Each source's state, what it delivered and its latest refusals; never its secret. */
export const sourcePages: Page[] = [
  {
    method: 'GET',
    path: '/operator/sources',
    roles: ['operator'],
    handler: async (c, deps) => {
      const w = opWords(c);
      const { number, dateTime } = c.get('locale');
      const sources = await listSources(deps.db);
      const statuses = await Promise.all(sources.map((s) => sourceStatus(deps.db, s.name)));
      const when = (at: Date | null) => (at ? dateTime(new Date(at)) : w.sources.never);
      return render(
        c,
        w.sources.title,
        sources.length === 0
          ? html`<p>${w.sources.none}</p>`
          : html`<table id="sources"><thead><tr><th scope="col">${w.sources.name}</th><th scope="col">${w.sources.kind}</th><th scope="col">${w.sources.state}</th><th scope="col">${w.sources.lastEvent}</th>
<th scope="col" class="num">${w.sources.accepted}</th><th scope="col" class="num">${w.sources.duplicate}</th><th scope="col" class="num">${w.sources.ignored}</th><th scope="col" class="num">${w.sources.rejected}</th><th scope="col" class="num">${w.sources.events}</th></tr></thead>
<tbody>${statuses.map((s, i) => {
              const path = hookPath(sources[i]!);
              return html`<tr><th scope="row"><a href="#rejects-${s.name}">${s.name}</a>${path ? html`<br><code>${path}</code>` : ''}</th><td>${s.kind}</td>
<td>${s.disabled_at ? html`<span class="neg">${fill(w.sources.disabled, { date: dateTime(new Date(s.disabled_at)) })}</span>` : w.sources.active}</td><td>${when(s.last_received_at)}</td>
<td class="num">${number(s.counts.accepted)}</td><td class="num">${number(s.counts.duplicate)}</td><td class="num">${number(s.counts.ignored)}</td><td class="num${s.counts.rejected > 0 ? ' neg' : ''}">${number(s.counts.rejected)}</td><td class="num">${number(s.events)}</td></tr>`;
            })}</tbody></table>
${statuses.map(
  (s) => html`<section aria-labelledby="rejects-${s.name}"><h2 id="rejects-${s.name}">${fill(w.sources.rejects, { name: s.name })}</h2>
${s.recent_rejects.length === 0
  ? html`<p>${w.sources.noRejects}</p>`
  : html`<table class="rejects"><thead><tr><th scope="col">${w.sources.at}</th><th scope="col">${w.sources.reason}</th></tr></thead>
<tbody>${s.recent_rejects.map((r) => html`<tr><td>${dateTime(new Date(r.at))}</td><td><code>${r.reason}</code></td></tr>`)}</tbody></table>`}</section>`,
)}`,
      );
    },
  },
];
