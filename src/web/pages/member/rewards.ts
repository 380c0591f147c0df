import { randomUUID } from 'node:crypto';
import { VkladError } from '../../../errors.ts';
import { redeem } from '../../../loyalty/redeem.ts';
import type { RedemptionView } from '../../../loyalty/redemption.ts';
import type { Reward } from '../../../loyalty/reward.ts';
import type { Page } from '../../access.ts';
import type { WebContext, WebDeps } from '../../context.ts';
import { type Obstacle, type StoreShelf, storeShelf } from '../../data/rewards.ts';
import { type Html, csrfField, html } from '../../html.ts';
import { fill } from '../../i18n/index.ts';
import { render } from '../../layout.ts';

function benefit(c: WebContext, reward: Reward): string {
  const { t, number } = c.get('locale');
  const b = reward.benefit;
  const on = (target: string) => (target === 'subscription' ? t.rewards.onSubscription : fill(t.rewards.onProduct, { product: target.slice('product:'.length) }));
  if (b.kind === 'percent_discount') return fill(t.rewards.percentOff, { percent: number(b.percent), on: on(b.on) });
  if (b.kind === 'amount_discount') {
    const money = new Intl.NumberFormat(c.get('locale').lang === 'ru' ? 'ru-RU' : 'en-GB', { style: 'currency', currency: b.currency }).format(b.amount_minor / 100);
    return fill(t.rewards.amountOff, { amount: money, on: on(b.on) });
  }
  return fill(t.rewards.privilege, { privilege: b.privilege });
}

function obstacle(c: WebContext, o: Obstacle, levelTitle: { en: string; ru: string } | null): string {
  const { t, lang, number, date } = c.get('locale');
  switch (o.kind) {
    case 'not_yet': return fill(t.rewards.notYet, { date: date(Date.parse(o.from)) });
    case 'ended': return fill(t.rewards.ended, { date: date(Date.parse(o.until)) });
    case 'roles': return fill(t.rewards.needsRole, { roles: o.roles.join(', ') });
    case 'badges': return fill(t.rewards.needsBadges, { badges: o.badges.join(', ') });
    case 'level': return fill(t.rewards.needsLevel, { level: levelTitle?.[lang] ?? o.level });
    case 'sold_out': return t.rewards.soldOut;
    case 'limit': return fill(t.rewards.limit, { limit: number(o.limit) });
    case 'points': return fill(t.rewards.needsPoints, { points: c.get('locale').count(o.missing, t.plural.points) });
  }
}

function state(c: WebContext, r: RedemptionView): string {
  return c.get('locale').t.rewards.states[r.state];
}

function shelfPage(c: WebContext, shelf: StoreShelf, notice: Html | null): Html {
  const { t, lang, number, date, dateTime, count } = c.get('locale');
  const points = (n: number) => count(n, t.plural.points);
  const titles = new Map(shelf.rewards.map(({ reward }) => [reward.key, reward.title[lang]]));
  return html`${notice ?? ''}
<p id="balance">${fill(t.rewards.balance, { points: points(shelf.available) })}</p>
<section aria-labelledby="catalogue-h"><h2 id="catalogue-h">${t.rewards.catalogue}</h2>
${shelf.rewards.length === 0
  ? html`<p>${t.rewards.none}</p>`
  : html`<ul class="rewards">${shelf.rewards.map(({ reward, obstacles, levelTitle }) => {
      const id = `reward-${reward.key}`;
      return html`<li class="reward" aria-labelledby="${id}">
  <h3 id="${id}">${reward.title[lang]}</h3>
  <p>${benefit(c, reward)}</p>
  <p><strong>${fill(t.rewards.price, { points: points(reward.price) })}</strong>${reward.stock !== null ? html` · ${fill(t.rewards.left, { n: number(Math.max(0, reward.stock - reward.taken)) })}` : ''}</p>
  ${obstacles.length > 0 ? html`<ul class="muted" id="${id}-why">${obstacles.map((o) => html`<li>${obstacle(c, o, levelTitle)}</li>`)}</ul>` : ''}
  <form method="post" action="/rewards/${reward.key}/redeem">
    ${csrfField(c)}<input type="hidden" name="request" value="${randomUUID()}">
    <button type="submit"${obstacles.length > 0 ? html` disabled aria-describedby="${id}-why"` : ''}>${fill(t.rewards.redeem, { points: points(reward.price) })}</button>
  </form>
</li>`;
    })}</ul>`}
</section>
<section aria-labelledby="mine-h"><h2 id="mine-h">${t.rewards.mine}</h2>
${shelf.redemptions.length === 0
  ? html`<p>${t.rewards.noneYet}</p>`
  : html`<table><caption class="visually-hidden">${t.rewards.mine}</caption>
  <thead><tr><th scope="col">${t.rewards.when}</th><th scope="col">${t.rewards.reward}</th><th scope="col" class="num">${t.rewards.pricePaid}</th><th scope="col">${t.rewards.state}</th><th scope="col">${t.rewards.code}</th></tr></thead>
  <tbody>${shelf.redemptions.map(
    (r) => html`<tr><td>${dateTime(Date.parse(r.requested_at))}</td><td>${titles.get(r.reward) ?? r.reward}</td><td class="num">${number(r.price)}</td><td>${state(c, r)}</td>
    <td>${r.code ? html`<span class="code">${r.code}</span>${r.code_expires_at ? html` <span class="muted">${fill(t.rewards.validUntil, { date: date(Date.parse(r.code_expires_at)) })}</span>` : ''}` : '—'}</td></tr>`,
  )}</tbody></table>`}
</section>`;
}

async function show(c: WebContext, deps: WebDeps, notice: Html | null, status: 200 | 409 = 200): Promise<Response> {
  const viewer = c.get('viewer')!;
  const shelf = await storeShelf(deps.db, viewer, deps.now().getTime());
  return render(c, c.get('locale').t.rewards.title, shelfPage(c, shelf, notice), status);
}

export const rewardPages: Page[] = [
  {
    method: 'GET',
    path: '/rewards',
    roles: ['member'],
    handler: async (c, deps) => {
      const { t } = c.get('locale');
      const done = c.req.query('done');
      const viewer = c.get('viewer')!;
      let notice: Html | null = null;
      if (done) {
        const shelf = await storeShelf(deps.db, viewer, deps.now().getTime());
        const made = shelf.redemptions.find((r) => r.id === done);
        if (made?.code) notice = html`<div class="success" role="status"><p>${t.rewards.done}</p><p>${t.rewards.yourCode} <span class="code" id="new-code">${made.code}</span></p></div>`;
        return render(c, t.rewards.title, shelfPage(c, shelf, notice));
      }
      return show(c, deps, notice);
    },
  },
  {
    method: 'POST',
    path: '/rewards/:key/redeem',
    roles: ['member'],
    example: '/rewards/discount-20/redeem',
    exampleForm: { request: 'matrix-test-request' },
    handler: async (c, deps) => {
      const { t } = c.get('locale');
      const viewer = c.get('viewer')!;
      const form = await c.req.parseBody();
      const request = typeof form.request === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(form.request) ? form.request : null;
      if (!request) return show(c, deps, html`<p class="error" role="alert">${t.rewards.failed}</p>`, 409);
      // The request id chosen when the page was drawn: pressing twice redeems once.
      const id = `web-${viewer.id}-${request}`;
      try {
        await redeem(deps.db, { id, member: viewer.id, reward: c.req.param('key') }, `member:${viewer.id}`, deps.now().getTime());
      } catch (error) {
        if (!(error instanceof VkladError) || error.status === 500) throw error;
        return show(c, deps, html`<p class="error" role="alert">${t.rewards.failed}</p>`, 409);
      }
      return c.redirect(`/rewards?done=${encodeURIComponent(id)}`, 303);
    },
  },
];
