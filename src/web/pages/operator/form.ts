import { type FieldError, VkladError, invalid } from '../../../errors.ts';
import type { WebContext } from '../../context.ts';
import { type Html, html } from '../../html.ts';
import { opWords } from '../../i18n/operator.ts';

/** Problems with a form, by field name; `''` holds what belongs to no one field. */
export type Problems = Map<string, string[]>;

export const noProblems = (): Problems => new Map();

export function problem(problems: Problems, field: string, reason: string): Problems {
  problems.set(field, [...(problems.get(field) ?? []), reason]);
  return problems;
}

/**
 * A domain refusal as problems by field. `fields` maps the domain's field names (e.g. `authors`,
 * `effective_from`) to the form's; names not mapped and not in the form go to the form as a whole.
 */
export function problemsOf(error: unknown, fields: Record<string, string> = {}, known: readonly string[] = []): Problems {
  if (!(error instanceof VkladError) || error.status >= 500) throw error;
  const problems = noProblems();
  if (error.errors.length === 0) return problem(problems, '', error.message);
  for (const e of error.errors) {
    const head = e.field.split(/[.[]/)[0]!;
    const field = fields[e.field] ?? fields[head] ?? (known.includes(e.field) ? e.field : known.includes(head) ? head : '');
    const within = field !== '' && field !== e.field && (e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`));
    const where = field === '' || within ? `${e.field}${e.item === undefined ? '' : ` [${e.item}]`}: ` : e.item === undefined ? '' : `[${e.item}] `;
    problem(problems, field, `${where}${e.reason}`);
  }
  return problems;
}

/** The summary at the top of a form that was refused: nothing was changed. */
export function summary(c: WebContext, problems: Problems, form: string): Html {
  if (problems.size === 0) return html``;
  const w = opWords(c);
  const general = problems.get('') ?? [];
  return html`<div class="error" role="alert" id="${form}-problems"><p>${w.form.refused}</p>${general.length > 0 ? html`<ul>${general.map((g) => html`<li>${g}</li>`)}</ul>` : ''}</div>`;
}

export interface FieldOptions {
  form: string;
  name: string;
  label: string;
  value?: string | number | null | undefined;
  type?: 'text' | 'number' | 'textarea' | 'email' | 'url' | 'datetime-local';
  required?: boolean;
  help?: string;
  rows?: number;
  attrs?: Html;
}

/** A labelled input with its help and, when the form was refused, its own problems next to it. */
export function field(problems: Problems, o: FieldOptions): Html {
  const id = `${o.form}-${o.name}`;
  const mine = problems.get(o.name) ?? [];
  const described = [o.help ? `${id}-help` : '', mine.length > 0 ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = html`id="${id}" name="${o.name}"${o.required ? html` required aria-required="true"` : ''}${mine.length > 0 ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}${o.attrs ?? ''}`;
  const value = o.value === null || o.value === undefined ? '' : String(o.value);
  return html`<div class="field">
  <label for="${id}">${o.label}</label>
  ${o.type === 'textarea'
    ? html`<textarea ${common} rows="${o.rows ?? 12}" spellcheck="false">${value}</textarea>`
    : html`<input type="${o.type ?? 'text'}" ${common} value="${value}">`}
  ${o.help ? html`<p class="muted help" id="${id}-help">${o.help}</p>` : ''}
  ${mine.length > 0 ? html`<p class="field-error" id="${id}-error">${mine.join('; ')}</p>` : ''}
</div>`;
}

/** A labelled select. */
export function choice(problems: Problems, o: { form: string; name: string; label: string; value: string; options: readonly { value: string; label: string }[] }): Html {
  const id = `${o.form}-${o.name}`;
  const mine = problems.get(o.name) ?? [];
  return html`<div class="field">
  <label for="${id}">${o.label}</label>
  <select id="${id}" name="${o.name}"${mine.length > 0 ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
    ${o.options.map((opt) => html`<option value="${opt.value}"${opt.value === o.value ? html` selected` : ''}>${opt.label}</option>`)}
  </select>
  ${mine.length > 0 ? html`<p class="field-error" id="${id}-error">${mine.join('; ')}</p>` : ''}
</div>`;
}

/** A zod refusal as the domain's field errors, so that `problemsOf` can place them. */
export const refusal = (issues: FieldError[]): VkladError => invalid(issues);

/** A form's text field as a string ('' when absent or a file). */
export const str = (form: Record<string, unknown>, name: string): string => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');

/** An integer the form gave, or null with a problem noted. */
export function integer(problems: Problems, form: Record<string, unknown>, name: string, message: string, options: { optional?: boolean } = {}): number | null {
  const text = str(form, name);
  if (text === '' && options.optional) return null;
  if (!/^[+-]?\d{1,15}$/.test(text)) {
    problem(problems, name, message);
    return null;
  }
  return Number(text);
}

/** A request id chosen when the form was drawn, so that pressing twice acts once. */
export const requestId = (form: Record<string, unknown>): string | null => {
  const r = str(form, 'request');
  return /^[A-Za-z0-9-]{8,64}$/.test(r) ? r : null;
};

/** Who did it, as the audit log and the ledger record it. */
export const actorOf = (c: WebContext): string => `member:${c.get('viewer')!.id}`;
