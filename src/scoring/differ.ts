import type { Award } from './types.ts';

/** An award as the ledger already holds it. */
export interface PostedAward {
  key: string;
  member: number;
  points: number;
}

/**
 * One change to post: `delta` is what the ledger must add to the member (negative takes back);
 * `award` is the new award with its trail, absent when the award is withdrawn.
 */
export type AwardDiff =
  | { change: 'new'; key: string; member: number; points: number; delta: number; award: Award }
  | { change: 'changed'; key: string; member: number; points: number; delta: number; award: Award }
  | { change: 'withdrawn'; key: string; member: number; points: 0; delta: number };

/** What the ledger implements to receive score changes; posting the same diffs twice must change nothing. */
export interface AwardSink {
  post(diffs: readonly AwardDiff[]): Promise<void>;
}

/**
 * Only what differs between awards already posted and awards just computed. Awards of 0 points are
 * not posted, so an award that drops to 0 is withdrawn. Diffs come in the order of `next`, withdrawals last by key.
 */
export function diffAwards(previous: Iterable<PostedAward>, next: readonly Award[]): AwardDiff[] {
  const before = new Map<string, PostedAward>();
  for (const p of previous) if (p.points !== 0) before.set(p.key, p);
  const diffs: AwardDiff[] = [];
  const seen = new Set<string>();
  for (const award of next) {
    if (award.points === 0 || seen.has(award.key)) continue;
    seen.add(award.key);
    const old = before.get(award.key);
    if (old !== undefined && old.member !== award.member) {
      // The event now belongs to another member (a merge): take it back from one, give it to the other.
      diffs.push({ change: 'withdrawn', key: old.key, member: old.member, points: 0, delta: -old.points });
      diffs.push({ change: 'new', key: award.key, member: award.member, points: award.points, delta: award.points, award });
    } else if (old === undefined) diffs.push({ change: 'new', key: award.key, member: award.member, points: award.points, delta: award.points, award });
    else if (old.points !== award.points) {
      diffs.push({ change: 'changed', key: award.key, member: award.member, points: award.points, delta: award.points - old.points, award });
    }
  }
  const gone = [...before.values()].filter((p) => !seen.has(p.key)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const p of gone) diffs.push({ change: 'withdrawn', key: p.key, member: p.member, points: 0, delta: -p.points });
  return diffs;
}

/** The ledger's view after posting `diffs` on top of `previous`. */
export function applyDiffs(previous: Iterable<PostedAward>, diffs: readonly AwardDiff[]): Map<string, PostedAward> {
  const held = new Map<string, PostedAward>();
  for (const p of previous) if (p.points !== 0) held.set(p.key, p);
  for (const d of diffs) {
    if (d.change === 'withdrawn') held.delete(d.key);
    else held.set(d.key, { key: d.key, member: d.member, points: d.points });
  }
  return held;
}
