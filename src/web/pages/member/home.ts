import { renderTrail } from '../../../scoring/index.ts';
import type { AwardView } from '../../../store/awards.ts';
import type { Page } from '../../access.ts';
import { barChart } from '../../chart.ts';
import type { WebContext } from '../../context.ts';
import { type Home, memberHome } from '../../data/home.ts';
import type { Title } from '../../data/policy.ts';
import { type Html, html } from '../../html.ts';
import { fill } from '../../i18n/index.ts';
import { render } from '../../layout.ts';

const hours = (minutes: number): number => Math.round(minutes / 6) / 10;

/** What an award was for: its action, or the goal or badge that brought a bonus. */
export function awardLabel(c: WebContext, award: Pick<AwardView, 'action' | 'trail'>, titles: Map<string, Title>, badgeTitles: Map<string, Title | null>): string {
  const { t, lang } = c.get('locale');
  if (award.action) return titles.get(award.action)?.[lang] ?? award.action;
  const badge = award.trail.find((s) => s.rule === 'badge');
  if (badge && badge.rule === 'badge') return fill(t.home.badgeBonus, { badge: badgeTitles.get(badge.badge)?.[lang] ?? badge.badge });
  return award.trail.some((s) => s.rule === 'goal') ? t.home.goalBonus : t.home.bonus;
}

function summary(c: WebContext, home: Home): Html {
  const { t, lang, number, plural, count } = c.get('locale');
  const { standing } = home;
  return html`<section aria-labelledby="points-h" class="cards">
  <h2 id="points-h" class="visually-hidden">${t.home.pointsTitle}</h2>
  <div class="card"><p class="figure" id="available">${number(home.available)}</p><p>${t.home.available}</p></div>
  <div class="card"><p class="figure" id="pending">${number(home.pending)}</p><p>${t.home.pending}</p></div>
  <div class="card"><p class="figure" id="level">${standing.level?.title[lang] ?? t.home.noLevel}</p>
    <p>${standing.next
      ? fill(t.home.nextLevel, { points: count(standing.next.missing, t.plural.points), level: standing.next.title[lang] })
      : fill(t.home.earnedInWindow, { points: count(standing.earned, t.plural.points), days: count(standing.window_days, t.plural.days) })}</p></div>
  <div class="card"><p class="figure" id="streak">${number(home.streakDays)}</p><p>${fill(t.home.streak, { days: plural(home.streakDays, t.plural.days) })}</p></div>
</section>`;
}

function week(c: WebContext, home: Home): Html {
  const { t, number, date, dayMonth } = c.get('locale');
  const current = home.weeks.at(-1)!;
  const goal = hours(home.goalMinutes);
  const bars = home.weeks.map((w) => {
    const start = Date.parse(`${w.start}T12:00:00Z`);
    return { label: dayMonth(start), value: hours(w.minutes), text: fill(t.home.weekBar, { week: date(start), hours: number(hours(w.minutes)) }) };
  });
  return html`<section aria-labelledby="week-h">
  <h2 id="week-h">${t.home.weekTitle}</h2>
  <p id="week-figure">${fill(t.home.weekProgress, { hours: number(hours(current.minutes)), goal: number(goal) })}</p>
  <progress id="week-progress" max="${home.goalMinutes}" value="${Math.min(current.minutes, home.goalMinutes)}" aria-labelledby="week-figure"></progress>
  <h3>${t.home.chartTitle}</h3>
  ${barChart({ id: 'weeks-chart', title: fill(t.home.chartAlt, { weeks: home.weeks.length, goal: number(goal) }), bars, goal: { value: goal, label: fill(t.home.goalLine, { goal: number(goal) }) } })}
  <details><summary>${t.home.chartTable}</summary>
    <table><caption>${t.home.chartTitle}</caption>
      <thead><tr><th scope="col">${t.home.weekOf}</th><th scope="col">${t.home.hoursCol}</th></tr></thead>
      <tbody>${home.weeks.map((w) => html`<tr><td>${date(Date.parse(`${w.start}T12:00:00Z`))}</td><td>${number(hours(w.minutes))}</td></tr>`)}</tbody>
    </table>
  </details>
</section>`;
}

function badges(c: WebContext, home: Home): Html {
  const { t, lang, number, date } = c.get('locale');
  const name = (b: { id: string; title: Title | null }) => b.title?.[lang] ?? b.id;
  return html`<section aria-labelledby="badges-h">
  <h2 id="badges-h">${t.home.badgesTitle}</h2>
  ${home.badges.length === 0
    ? html`<p>${t.home.noBadges}</p>`
    : html`<ul class="badges">${home.badges.map((b) => html`<li><strong>${name(b)}</strong>${b.n > 1 ? ` ×${number(b.n)}` : ''} <span class="muted">${date(b.at)}</span></li>`)}</ul>`}
  ${home.nextBadges.length > 0
    ? html`<h3>${t.home.nextBadges}</h3>
  <ul class="next-badges">${home.nextBadges.map(
    (b) => html`<li><span id="badge-${b.id}">${name(b)}</span>: ${fill(t.home.badgeProgress, { value: number(b.value), target: number(b.target) })}
      <progress max="${b.target}" value="${b.value}" aria-labelledby="badge-${b.id}"></progress></li>`,
  )}</ul>`
    : ''}
</section>`;
}

function recent(c: WebContext, home: Home): Html {
  const { t, lang, number, dateTime } = c.get('locale');
  const badgeTitles = new Map((home.facts.policy?.achievements ?? []).map((b) => [b.id, b.title ?? null]));
  return html`<section aria-labelledby="recent-h">
  <h2 id="recent-h">${t.home.recentTitle}</h2>
  ${home.recent.length === 0
    ? html`<p>${t.home.noRecent}</p>`
    : html`<table class="recent"><caption class="visually-hidden">${t.home.recentTitle}</caption>
    <thead><tr><th scope="col">${t.home.when}</th><th scope="col">${t.home.what}</th><th scope="col" class="num">${t.home.points}</th><th scope="col">${t.home.why}</th></tr></thead>
    <tbody>${home.recent.map(
      (a) => html`<tr><td>${dateTime(a.at)}</td><td>${awardLabel(c, a, home.facts.actionTitles, badgeTitles)}</td><td class="num">${number(a.points)}</td>
        <td class="why">${renderTrail(a.trail, a.points, lang)}</td></tr>`,
    )}</tbody></table>`}
  <p><a href="/history">${t.home.allHistory}</a></p>
</section>`;
}

export const homePages: Page[] = [
  {
    method: 'GET',
    path: '/',
    roles: ['member'],
    handler: async (c, deps) => {
      const viewer = c.get('viewer')!;
      const home = await memberHome(deps.db, viewer.id, deps.now().getTime());
      const { t } = c.get('locale');
      return render(c, fill(t.home.title, { name: viewer.name ?? `#${viewer.id}` }), html`${summary(c, home)}${week(c, home)}${badges(c, home)}${recent(c, home)}`);
    },
  },
];
