import type { CompiledVersion, PolicySet } from './compile.ts';
import { nextFact, sortedOrder } from './event-order.ts';
import { ReciprocityIndex } from './reciprocity.ts';
import { DAY_MS, weekOfDay } from './time-zone.ts';
import type { ScoringEvent } from './types.ts';

/**
 * One pass before scoring: finds the replay order and gathers every direction of every damped peer
 * signal, since a like returned on Friday damps Monday's too. Events usually come in order already;
 * if they do not, they are sorted and the pass starts again.
 */
export function prepare(set: PolicySet, events: readonly ScoringEvent[]): { order: Int32Array | null; reciprocity: ReciprocityIndex } {
  let order: Int32Array | null = null;
  if (set.damped.size === 0) return { order: inOrder(events) ? null : sortedOrder(events), reciprocity: new ReciprocityIndex() };
  for (;;) {
    const reciprocity = new ReciprocityIndex();
    const versions = set.versions;
    let v = -1;
    let inOrder = true;
    let last: ScoringEvent | undefined;
    for (let k = 0; k < events.length && inOrder; ) {
      const e = events[order === null ? k : order[k]!]!;
      if (order === null && last !== undefined && (e.at < last.at || (e.at === last.at && e.id < last.id))) inOrder = false;
      last = e;
      // Most events are not damped signals: step over them (their copies are not either) without looking for copies.
      if (!set.damped.has(e.action) || e.peer === undefined || e.peer === null || e.peer === e.member) {
        k++;
        continue;
      }
      const next = nextFact(events, order, k);
      k = Math.abs(next);
      if (next < 0) continue;
      while (v + 1 < versions.length && e.at >= versions[v + 1]!.start) v++;
      const version = versions[v];
      const action = version?.actions.get(e.action);
      if (!version || !action?.peer?.dampsReciprocal) continue;
      index(reciprocity, action.slot, e, version);
    }
    if (inOrder) return { order, reciprocity };
    order = sortedOrder(events);
  }
}

function inOrder(events: readonly ScoringEvent[]): boolean {
  for (let k = 1; k < events.length; k++) {
    const a = events[k - 1]!;
    const b = events[k]!;
    if (b.at < a.at || (b.at === a.at && b.id < a.id)) return false;
  }
  return true;
}

function index(reciprocity: ReciprocityIndex, slot: number, e: ScoringEvent, version: CompiledVersion): void {
  reciprocity.add(slot, e.member, e.peer!, weekOfDay(Math.floor(version.zone.local(e.at) / DAY_MS)));
}
