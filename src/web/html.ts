import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { WebContext } from './context.ts';

export { html, raw };
/** What templates produce: escaped HTML, possibly still being rendered. */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The hidden field every form POST carries. */
export const csrfField = (c: WebContext): Html => html`<input type="hidden" name="_csrf" value="${c.get('csrf')}">`;

/** Joins a list of fragments. */
export const each = <T>(items: readonly T[], render: (item: T, index: number) => Html): Html => html`${items.map(render)}`;
