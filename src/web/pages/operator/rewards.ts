import type { Queryable } from '../../../db/database.ts';
import { getReward, listRewards, putReward, retireReward } from '../../../loyalty/catalogue.ts';
import { generateCodes, uploadCodes } from '../../../loyalty/pool.ts';
import { type Reward, RewardBody, rewardKey } from '../../../loyalty/reward.ts';
import { fieldErrors } from '../../../schemas/common.ts';
import type { Page } from '../../access.ts';
import type { WebContext, WebDeps } from '../../context.ts';
import { type Html, csrfField, html } from '../../html.ts';
import { fill } from '../../i18n/index.ts';
import { opWords } from '../../i18n/operator.ts';
import { render } from '../../layout.ts';
import { type Problems, actorOf, choice, field, noProblems, problem, problemsOf, refusal, str, summary } from './form.ts';

type Values = Record<string, string>;
const FIELDS = ['key', 'title_en', 'title_ru', 'benefit', 'percent', 'amount_minor', 'currency', 'on', 'privilege', 'price', 'stock', 'per_member_limit', 'code_source', 'code_valid_days'] as const;

async function freeCodes(db: Queryable): Promise<Map<string, number>> {
  const rows = await db.query<{ reward_key: string; free: number }>('select reward_key, count(*)::int as free from reward_codes where redemption_id is null group by reward_key');
  return new Map(rows.map((r) => [r.reward_key, r.free]));
}

const valuesOf = (r: Reward): Values => ({
  key: r.key,
  title_en: r.title.en,
  title_ru: r.title.ru,
  benefit: r.benefit.kind,
  percent: r.benefit.kind === 'percent_discount' ? String(r.benefit.percent) : '',
  amount_minor: r.benefit.kind === 'amount_discount' ? String(r.benefit.amount_minor) : '',
  currency: r.benefit.kind === 'amount_discount' ? r.benefit.currency : 'RUB',
  on: r.benefit.kind === 'privilege' ? '' : r.benefit.on,
  privilege: r.benefit.kind === 'privilege' ? r.benefit.privilege : '',
  price: String(r.price),
  stock: r.stock === null ? '' : String(r.stock),
  per_member_limit: r.per_member_limit === null ? '' : String(r.per_member_limit),
  code_source: r.codes.source,
  code_valid_days: r.codes.valid_days === null ? '' : String(r.codes.valid_days),
});

interface Refused {
  form: string;
  problems: Problems;
  values: Values;
}

async function rewardsPage(c: WebContext, deps: WebDeps, refused: Refused | null): Promise<Response> {
  const w = opWords(c);
  const { lang, number } = c.get('locale');
  const rewards = await listRewards(deps.db, true);
  const free = await freeCodes(deps.db);
  const editing = c.req.query('edit');
  const edited = rewards.find((r) => r.key === editing);
  const values: Values = refused?.form === 'reward' ? refused.values : edited ? valuesOf(edited) : { benefit: 'percent_discount', on: 'subscription', currency: 'RUB', code_source: 'generate' };
  const problems = refused?.form === 'reward' ? refused.problems : noProblems();
  const notice = ['saved', 'retired', 'added'].map((k) => [k, c.req.query(k)] as const).find(([, v]) => v);
  const f = (name: string, label: string, extra: Partial<Parameters<typeof field>[1]> = {}) => field(problems, { form: 'reward', name, label, value: values[name], ...extra });
  const pool = (r: Reward): Html => {
    const form = `pool-${r.key}`;
    const mine = refused?.form === form ? refused.problems : noProblems();
    return html`<section aria-labelledby="${form}-h"><h3 id="${form}-h">${fill(w.rewards.poolTitle, { key: r.title[lang] })}</h3>
${summary(c, mine, form)}
<form method="post" action="/operator/rewards/${r.key}/codes" id="${form}">
  ${csrfField(c)}
  ${field(mine, { form, name: 'codes', label: w.rewards.upload, type: 'textarea', rows: 4, value: refused?.form === form ? refused.values.codes : '' })}
  <button type="submit" name="action" value="upload">${w.rewards.uploadButton}</button>
  ${field(mine, { form, name: 'count', label: w.rewards.generate, type: 'number', value: refused?.form === form ? refused.values.count : '', attrs: html` min="1" max="10000"` })}
  <button type="submit" name="action" value="generate">${w.rewards.generateButton}</button>
</form></section>`;
  };
  // A refusal for a pool not on the page (the reward has none, or is retired) is said at the top.
  const shown = rewards.some((r) => `pool-${r.key}` === refused?.form && r.codes.source === 'pool' && !r.retired_at);
  const stray = refused && refused.form !== 'reward' && !shown ? [...refused.problems.values()].flat() : [];
  return render(
    c,
    w.rewards.title,
    html`${stray.length > 0 ? html`<div class="error" role="alert"><p>${w.form.refused}</p><ul>${stray.map((s) => html`<li>${s}</li>`)}</ul></div>` : ''}
${notice ? html`<p class="success" role="status">${notice[0] === 'added' ? fill(w.rewards.added, { key: notice[1]!, n: c.req.query('n') ?? '0', free: c.req.query('free') ?? '0' }) : fill(notice[0] === 'saved' ? w.rewards.saved : w.rewards.retiredDone, { key: notice[1]! })}</p>` : ''}
<table id="rewards"><thead><tr><th scope="col">${w.rewards.titleCol}</th><th scope="col" class="num">${w.rewards.price}</th><th scope="col" class="num">${w.rewards.stock}</th><th scope="col" class="num">${w.rewards.taken}</th><th scope="col">${w.rewards.codes}</th><th scope="col"><span class="visually-hidden">${w.rewards.edit}</span></th></tr></thead>
<tbody>${rewards.map(
      (r) => html`<tr${r.retired_at ? html` class="muted"` : ''}><th scope="row">${r.title[lang]}<br><code>${r.key}</code>${r.retired_at ? html` (${w.rewards.retired})` : ''}</th>
<td class="num">${number(r.price)}</td><td class="num">${r.stock === null ? w.rewards.unlimited : number(r.stock)}</td><td class="num">${number(r.taken)}</td>
<td>${r.codes.source === 'pool' ? html`<a href="#pool-${r.key}-h">${fill(w.rewards.free, { n: number(free.get(r.key) ?? 0) })}</a>` : w.rewards.generated}</td>
<td><a href="/operator/rewards?edit=${r.key}#reward-form" aria-label="${w.rewards.edit}: ${r.key}">${w.rewards.edit}</a>
${r.retired_at ? '' : html`<form method="post" action="/operator/rewards/${r.key}/retire" class="inline">${csrfField(c)}<button type="submit" class="link" aria-label="${w.rewards.retire}: ${r.key}">${w.rewards.retire}</button></form>`}</td></tr>`,
    )}</tbody></table>
${rewards.filter((r) => r.codes.source === 'pool' && !r.retired_at).map(pool)}
<section aria-labelledby="reward-h"><h2 id="reward-h">${w.rewards.editTitle}</h2>
${summary(c, problems, 'reward')}
<form method="post" action="/operator/rewards" id="reward-form">
  ${csrfField(c)}
  ${f('key', w.rewards.key, { required: true, help: w.rewards.keyHelp })}
  ${f('title_en', w.rewards.titleEn, { required: true })}
  ${f('title_ru', w.rewards.titleRu, { required: true })}
  ${choice(problems, { form: 'reward', name: 'benefit', label: w.rewards.benefit, value: values.benefit ?? 'percent_discount', options: ['percent_discount', 'amount_discount', 'privilege'].map((k) => ({ value: k, label: w.rewards.benefits[k]! })) })}
  ${f('percent', w.rewards.percent, { type: 'number', attrs: html` min="1" max="100"` })}
  ${f('amount_minor', w.rewards.amount, { type: 'number', attrs: html` min="1"` })}
  ${choice(problems, { form: 'reward', name: 'currency', label: w.rewards.currency, value: values.currency ?? 'RUB', options: [{ value: 'RUB', label: 'RUB' }, { value: 'USD', label: 'USD' }] })}
  ${f('on', w.rewards.on)}
  ${f('privilege', w.rewards.privilege)}
  ${f('price', w.rewards.price, { type: 'number', required: true, attrs: html` min="1"` })}
  ${f('stock', w.rewards.stock, { type: 'number', help: w.rewards.stockHelp, attrs: html` min="0"` })}
  ${f('per_member_limit', w.rewards.perMember, { type: 'number', attrs: html` min="1"` })}
  ${choice(problems, { form: 'reward', name: 'code_source', label: w.rewards.codeSource, value: values.code_source ?? 'generate', options: ['generate', 'pool'].map((k) => ({ value: k, label: w.rewards.codeSources[k]! })) })}
  <button type="submit">${w.rewards.save}</button>
</form></section>`,
    refused ? 400 : 200,
  );
}

const num = (text: string | undefined): number | string | null => (text === undefined || text === '' ? null : /^\d{1,12}$/.test(text) ? Number(text) : text);

/** The form as the reward it describes; what the form does not show (eligibility, dates) is kept from the stored reward. */
function bodyOf(v: Values, stored: Reward | null): unknown {
  const benefit =
    v.benefit === 'amount_discount'
      ? { kind: 'amount_discount', amount_minor: num(v.amount_minor), currency: v.currency, on: v.on || 'subscription' }
      : v.benefit === 'privilege'
        ? { kind: 'privilege', privilege: v.privilege }
        : { kind: 'percent_discount', percent: num(v.percent), on: v.on || 'subscription' };
  return {
    title: { en: v.title_en, ru: v.title_ru },
    benefit,
    price: num(v.price),
    stock: num(v.stock),
    per_member_limit: num(v.per_member_limit),
    valid_from: stored?.valid_from ?? null,
    valid_until: stored?.valid_until ?? null,
    eligibility: stored?.eligibility ?? { roles: [], achievements: [], level: null },
    codes: { source: v.code_source === 'pool' ? 'pool' : 'generate', valid_days: stored?.codes.valid_days ?? null },
  };
}

const BENEFIT_FIELDS: Record<string, string> = {
  'title.en': 'title_en',
  'title.ru': 'title_ru',
  'benefit.percent': 'percent',
  'benefit.amount_minor': 'amount_minor',
  'benefit.currency': 'currency',
  'benefit.on': 'on',
  'benefit.privilege': 'privilege',
  'eligibility.level': 'key',
};

export const rewardAdminPages: Page[] = [
  { method: 'GET', path: '/operator/rewards', roles: ['operator'], handler: (c, deps) => rewardsPage(c, deps, null) },
  {
    method: 'POST',
    path: '/operator/rewards',
    roles: ['operator'],
    exampleForm: { key: '' },
    handler: async (c, deps) => {
      const form = await c.req.parseBody();
      const values = Object.fromEntries(FIELDS.map((k) => [k, str(form, k)]));
      const problems = noProblems();
      const key = rewardKey.safeParse(values.key);
      if (!key.success) problem(problems, 'key', key.error.issues[0]!.message);
      const stored = key.success ? await getReward(deps.db, values.key!).catch(() => null) : null;
      const body = RewardBody.safeParse(bodyOf(values, stored));
      if (!body.success) for (const [k, v] of problemsOf(refusal(fieldErrors(body.error)), BENEFIT_FIELDS, [...FIELDS])) for (const r of v) problem(problems, k, r);
      if (problems.size === 0 && body.success) {
        try {
          await putReward(deps.db, values.key!, body.data, actorOf(c));
          return c.redirect(`/operator/rewards?saved=${values.key}`, 303);
        } catch (error) {
          for (const [k, v] of problemsOf(error, BENEFIT_FIELDS, [...FIELDS])) for (const r of v) problem(problems, k, r);
        }
      }
      return rewardsPage(c, deps, { form: 'reward', problems, values });
    },
  },
  {
    method: 'POST',
    path: '/operator/rewards/:key/retire',
    roles: ['operator'],
    example: '/operator/rewards/no-such-reward/retire',
    handler: async (c, deps) => {
      const key = c.req.param('key') ?? '';
      await retireReward(deps.db, key, actorOf(c));
      return c.redirect(`/operator/rewards?retired=${encodeURIComponent(key)}`, 303);
    },
  },
  {
    method: 'POST',
    path: '/operator/rewards/:key/codes',
    roles: ['operator'],
    example: '/operator/rewards/no-such-reward/codes',
    exampleForm: { action: 'generate', count: '0' },
    handler: async (c, deps) => {
      const key = c.req.param('key') ?? '';
      const form = await c.req.parseBody();
      const values = { codes: str(form, 'codes'), count: str(form, 'count') };
      const problems = noProblems();
      try {
        const report =
          str(form, 'action') === 'generate'
            ? await generateCodes(deps.db, key, /^\d{1,6}$/.test(values.count) ? Number(values.count) : 0, actorOf(c))
            : await uploadCodes(deps.db, key, { codes: values.codes.split(/\s+/).filter(Boolean) }, actorOf(c));
        return c.redirect(`/operator/rewards?added=${key}&n=${report.added}&free=${report.free}`, 303);
      } catch (error) {
        for (const [k, v] of problemsOf(error, { reward: 'codes' }, ['codes', 'count'])) for (const r of v) problem(problems, k, r);
      }
      return rewardsPage(c, deps, { form: `pool-${key}`, problems, values });
    },
  },
];
