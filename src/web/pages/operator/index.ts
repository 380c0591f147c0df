import type { Page } from '../../access.ts';
import { auditPages } from './audit.ts';
import { hubPages } from './hub.ts';
import { memberPages } from './members.ts';
import { policyPages } from './policies.ts';

/** The operator's pages and forms: every one is for operators only. */
export const operatorPages: Page[] = [...hubPages, ...policyPages, ...memberPages, ...auditPages];
