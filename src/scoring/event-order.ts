import type { ScoringEvent } from './types.ts';

const before = (a: ScoringEvent, b: ScoringEvent): number => a.at - b.at || a.id - b.id;

/**
 * The order to replay in: by (at, id), so copies of an event sit next to each other. Null when the
 * events already come in that order, as they do from a store, so nothing needs to be sorted.
 */
export function replayOrder(events: readonly ScoringEvent[]): Int32Array | null {
  for (let i = 1; i < events.length; i++) {
    if (before(events[i - 1]!, events[i]!) > 0) {
      const order = new Int32Array(events.length);
      for (let k = 0; k < order.length; k++) order[k] = k;
      return order.sort((x, y) => before(events[x]!, events[y]!));
    }
  }
  return null;
}

/**
 * Where the next distinct event starts after the one at position `k` of the replay order; negative
 * when some copy of this one is voided, so it must be skipped. Copies share id and time.
 */
export function nextFact(events: readonly ScoringEvent[], order: Int32Array | null, k: number): number {
  const e = events[order === null ? k : order[k]!]!;
  let voided = e.voided === true;
  let next = k + 1;
  for (; next < events.length; next++) {
    const copy = events[order === null ? next : order[next]!]!;
    if (copy.id !== e.id || copy.at !== e.at) break;
    voided ||= copy.voided === true;
  }
  return voided ? -next : next;
}

/** Calls `visit` once per distinct event in replay order, skipping voided ones. */
export function forEachFact(events: readonly ScoringEvent[], order: Int32Array | null, visit: (event: ScoringEvent) => void): void {
  for (let k = 0; k < events.length; ) {
    const next = nextFact(events, order, k);
    if (next > 0) visit(events[order === null ? k : order[k]!]!);
    k = Math.abs(next);
  }
}
