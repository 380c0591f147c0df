import type { WebContext, WebDeps, Viewer } from './context.ts';

/**
 * Who may open a page. `anyone` includes visitors who have not signed in; `member` is everyone
 * signed in; `author` members who author or teach; `operator` community staff, who may open every page.
 */
export const ACCESS = ['anyone', 'member', 'author', 'operator'] as const;
export type Access = (typeof ACCESS)[number];

/** One page or form endpoint: the authorisation matrix is the list of these. */
export interface Page {
  method: 'GET' | 'POST';
  /** A Hono path pattern, e.g. /rewards/:key/redeem. */
  path: string;
  roles: readonly Access[];
  /** A concrete path for the pattern, for the authorisation matrix test. */
  example?: string;
  /** Form fields the matrix test posts (besides the CSRF token). */
  exampleForm?: Record<string, string>;
  handler: (c: WebContext, deps: WebDeps) => Response | Promise<Response>;
}

/** What a member's roles give access to. */
export function accessOf(roles: readonly string[]): Access[] {
  const access: Access[] = ['anyone', 'member'];
  if (roles.includes('author') || roles.includes('teacher')) access.push('author');
  if (roles.includes('operator')) access.push('operator');
  return access;
}

export type Decision = 'allow' | 'sign_in' | 'forbid';

export function decide(roles: readonly Access[], viewer: Viewer | null): Decision {
  if (roles.includes('anyone')) return 'allow';
  if (!viewer) return 'sign_in';
  if (viewer.access.includes('operator')) return 'allow';
  return roles.some((r) => viewer.access.includes(r)) ? 'allow' : 'forbid';
}
