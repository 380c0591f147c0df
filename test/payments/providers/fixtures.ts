import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '../../fixtures/payments');

/** A fixture's bytes exactly as a provider would send them. */
export const fixtureBytes = (name: string): Buffer => readFileSync(join(DIR, name));

export const fixtureJson = (name: string): any => JSON.parse(fixtureBytes(name).toString('utf8'));
