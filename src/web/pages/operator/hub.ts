import type { Page } from '../../access.ts';
import { html } from '../../html.ts';
import { opWords } from '../../i18n/operator.ts';
import { render } from '../../layout.ts';

const SECTIONS = ['policies', 'members', 'catalogue', 'content', 'rewards', 'sources', 'analytics', 'audit'] as const;

export const hubPages: Page[] = [
  {
    method: 'GET',
    path: '/operator',
    roles: ['operator'],
    handler: (c) => {
      const w = opWords(c);
      return render(
        c,
        w.hub.title,
        html`<p>${w.hub.intro}</p>
<ul class="hub">${SECTIONS.map((s) => {
          const [title, text] = w.hub.links[s]!;
          return html`<li class="card"><h2><a href="/operator/${s}">${title}</a></h2><p>${text}</p></li>`;
        })}</ul>`,
      );
    },
  },
];
