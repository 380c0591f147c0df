import type { ScoringEvent } from './types.ts';

/** Events arranged member by member, each member's in (at, id) order, whatever order they came in. */
export interface MemberGroups {
  /** Member ids, ascending. */
  members: number[];
  /** Member i's events are `order[starts[i]] .. order[starts[i + 1] - 1]`, as indexes into the input. */
  starts: Int32Array;
  order: Int32Array;
  /** Ids of events some copy of which is marked voided. */
  voided: Set<number>;
}

/** Counting sort by member, then a sort per member only where arrival order was not already time order. */
export function groupByMember(events: readonly ScoringEvent[]): MemberGroups {
  const groupOf = new Int32Array(events.length);
  const groups = new Map<number, number>();
  const sizes: number[] = [];
  const voided = new Set<number>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    let g = groups.get(e.member);
    if (g === undefined) {
      g = sizes.length;
      groups.set(e.member, g);
      sizes.push(0);
    }
    sizes[g]!++;
    groupOf[i] = g;
    if (e.voided === true) voided.add(e.id);
  }
  const members = [...groups.keys()].sort((a, b) => a - b);
  const rank = new Int32Array(members.length);
  const starts = new Int32Array(members.length + 1);
  members.forEach((member, r) => {
    const g = groups.get(member)!;
    rank[g] = r;
    starts[r + 1] = starts[r]! + sizes[g]!;
  });
  const next = starts.slice(0, members.length);
  const order = new Int32Array(events.length);
  for (let i = 0; i < events.length; i++) order[next[rank[groupOf[i]!]!]!++] = i;
  const before = (x: number, y: number): number => events[x]!.at - events[y]!.at || events[x]!.id - events[y]!.id;
  for (let r = 0; r < members.length; r++) {
    const from = starts[r]!;
    const to = starts[r + 1]!;
    for (let k = from + 1; k < to; k++) {
      if (before(order[k - 1]!, order[k]!) > 0) {
        order.subarray(from, to).sort(before);
        break;
      }
    }
  }
  return { members, starts, order, voided };
}
