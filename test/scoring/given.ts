import { readFileSync } from 'node:fs';
import { DEFAULT_CATALOGUE } from '../../src/catalogue/default-catalogue.ts';
import { parsePolicy, policySet, scoreMembers, type PolicySet, type ScoringEvent, type ScoreOptions } from '../../src/scoring/index.ts';

/** Moscow wall-clock time, as the community reads it. */
export const msk = (local: string): number => Date.parse(`${local}+03:00`);

export const DAY_MS = 86_400_000;

/** A policy with the usual header; `body` is the rest of the YAML. */
export function policyOf(body: string, header = 'version: "t1"\neffective_from: 2025-09-01\ntimezone: Europe/Moscow\nkinds: { learning: 1.0, contribution: 1.5 }\n'): PolicySet {
  return policySet([parsePolicy(header + body, { catalogue: DEFAULT_CATALOGUE })]);
}

export const defaultPolicyText = (): string => readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8');

export const defaultPolicy = (): PolicySet => policySet([parsePolicy(defaultPolicyText(), { catalogue: DEFAULT_CATALOGUE })]);

let nextId = 1;

/** An event; ids increase in creation order unless given. */
export function event(member: number, action: string, at: number, more: Partial<ScoringEvent> = {}): ScoringEvent {
  return { id: nextId++, member, action, at, object: null, attributes: {}, ...more };
}

/** `count` events a `gap_ms` apart from `from`. */
export function series(count: number, member: number, action: string, from: number, gapMs: number, more: Partial<ScoringEvent> = {}): ScoringEvent[] {
  return Array.from({ length: count }, (_, i) => event(member, action, from + i * gapMs, more));
}

export function pointsOf(set: PolicySet, events: ScoringEvent[], options?: ScoreOptions): number[] {
  return scoreMembers(set, events, options).awards.filter((a) => a.event_id !== null).map((a) => a.points);
}

export function total(set: PolicySet, events: ScoringEvent[], member?: number, options?: ScoreOptions): number {
  return scoreMembers(set, events, options)
    .awards.filter((a) => member === undefined || a.member === member)
    .reduce((sum, a) => sum + a.points, 0);
}
