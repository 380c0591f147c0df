import type { ScoringEvent } from './types.ts';

const before = (a: ScoringEvent, b: ScoringEvent): number => a.at - b.at || a.id - b.id;

/** Positions of the events in (at, id) order, so copies of an event sit next to each other. */
export function sortedOrder(events: readonly ScoringEvent[]): Int32Array {
  const order = new Int32Array(events.length);
  for (let k = 0; k < order.length; k++) order[k] = k;
  return order.sort((x, y) => before(events[x]!, events[y]!));
}

/**
 * Where the next distinct event starts after the one at position `k` of the replay order (`null`:
 * the events' own order); negative when some copy of this one is voided, so it must be skipped.
 * Copies share id and time.
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
