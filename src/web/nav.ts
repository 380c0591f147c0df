import type { Access } from './access.ts';
import type { Dictionary } from './i18n/index.ts';
import { opWordsOf } from './i18n/operator.ts';
import { authorWordsOf } from './i18n/author.ts';
import { publicWordsOf } from './i18n/public.ts';

/** The main navigation: each link shows only to those who may open it. */
export interface NavItem {
  href: string;
  label: (t: Dictionary) => string;
  roles: readonly Access[];
}

export const NAV: NavItem[] = [
  { href: '/', label: (t) => t.nav.home, roles: ['member'] },
  { href: '/rewards', label: (t) => t.nav.rewards, roles: ['member'] },
  { href: '/history', label: (t) => t.nav.history, roles: ['member'] },
  { href: '/settings', label: (t) => t.nav.settings, roles: ['member'] },
  { href: '/leaderboard', label: (t) => publicWordsOf(t).nav, roles: ['anyone'] },
  { href: '/author', label: (t) => authorWordsOf(t).nav, roles: ['author'] },
  { href: '/operator', label: (t) => opWordsOf(t).nav.operator, roles: ['operator'] },
  { href: '/operator/analytics', label: (t) => opWordsOf(t).nav.analytics, roles: ['operator'] },
];
