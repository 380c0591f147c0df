import type { Page } from '../../access.ts';
import type { WebContext, WebDeps } from '../../context.ts';
import { html } from '../../html.ts';
import { fill } from '../../i18n/index.ts';
import { publicWords } from '../../i18n/public.ts';
import { render } from '../../layout.ts';
import { shownOnLeaderboards } from '../../data/preferences.ts';
import { KINDS, type Kind, PERIODS, type Period, standings, visible } from './standings.ts';

const SHOWN = 50;

async function leaderboard(c: WebContext, deps: WebDeps): Promise<Response> {
  const w = publicWords(c);
  const { number } = c.get('locale');
  const viewer = c.get('viewer');
  const period: Period = PERIODS.find((p) => p === c.req.query('period')) ?? 'week';
  const kind: Kind = KINDS.find((k) => k === c.req.query('kind')) ?? 'all';
  const [all, shown] = await Promise.all([standings(deps.db, period, kind, deps.now(), deps.config.timeZone), shownOnLeaderboards(deps.db)]);
  const ranked = visible(all, shown);
  const mine = viewer ? ranked.find((s) => s.member === viewer.id) : undefined;
  const link = (p: Period, k: Kind) => `/leaderboard?period=${p}&kind=${k}`;
  const tabs = <T extends string>(label: string, list: readonly T[], current: T, words: Record<string, string>, href: (v: T) => string) =>
    html`<nav class="pager" aria-label="${label}">${list.map((v) => html`<a href="${href(v)}"${v === current ? html` aria-current="page"` : ''}>${words[v]}</a>`)}</nav>`;
  return render(
    c,
    w.title,
    html`<p>${w.intro}</p>
${tabs(w.periodLabel, PERIODS, period, w.periods, (p) => link(p, kind))}
${tabs(w.kindLabel, KINDS, kind, w.kinds, (k) => link(period, k))}
${viewer
  ? html`<p class="notice" id="you">${!shown.has(viewer.id) ? w.hidden : mine ? fill(w.you, { rank: number(mine.rank), points: number(mine.points) }) : w.youNone}
  <a href="/settings">${w.settingsLink}</a></p>`
  : ''}
${ranked.length === 0
  ? html`<p>${w.empty}</p>`
  : html`<table id="leaders"><caption>${fill(w.caption, { period: w.periods[period]!, kind: w.kinds[kind]! })}</caption>
<thead><tr><th scope="col" class="num">${w.rank}</th><th scope="col">${w.member}</th><th scope="col" class="num">${w.points}</th></tr></thead>
<tbody>${ranked.slice(0, SHOWN).map(
      (s) => html`<tr${s.member === viewer?.id ? html` class="me" aria-current="true"` : ''}><td class="num">${number(s.rank)}</td><td>${s.name ?? fill(w.unnamed, { id: s.member })}</td><td class="num">${number(s.points)}</td></tr>`,
    )}</tbody></table>`}`,
  );
}

export const publicPages: Page[] = [{ method: 'GET', path: '/leaderboard', roles: ['anyone'], handler: leaderboard }];
