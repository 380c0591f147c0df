import type { Page } from '../access.ts';
import { homePages } from './member/home.ts';
import { signInPages } from './signin.ts';

/** Every page and form endpoint of the site: the authorisation matrix is this list. */
export const PAGES: Page[] = [...signInPages, ...homePages];
