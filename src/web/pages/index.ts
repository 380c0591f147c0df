import type { Page } from '../access.ts';
import { historyPages } from './member/history.ts';
import { homePages } from './member/home.ts';
import { rewardPages } from './member/rewards.ts';
import { settingsPages } from './member/settings.ts';
import { signInPages } from './signin.ts';
import { operatorPages } from './operator/index.ts';
import { authorPages } from './author/home.ts';
import { publicPages } from './public/leaderboard.ts';

/** Every page and form endpoint of the site: the authorisation matrix is this list. */
export const PAGES: Page[] = [...signInPages, ...homePages, ...rewardPages, ...historyPages, ...settingsPages, ...operatorPages, ...authorPages, ...publicPages];
