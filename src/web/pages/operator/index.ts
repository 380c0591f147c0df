import type { Page } from '../../access.ts';
import { analyticsPages } from './analytics.ts';
import { auditPages } from './audit.ts';
import { cataloguePages } from './catalogue.ts';
import { contentPages } from './content.ts';
import { hubPages } from './hub.ts';
import { memberPages } from './members.ts';
import { policyPages } from './policies.ts';
import { rewardAdminPages } from './rewards.ts';
import { sourcePages } from './sources.ts';

/** The operator's pages and forms: every one is for operators only. */
export const operatorPages: Page[] = [...hubPages, ...policyPages, ...memberPages, ...cataloguePages, ...contentPages, ...rewardAdminPages, ...sourcePages, ...analyticsPages, ...auditPages];
