import type { PeerSet } from './rules/peer-set.ts';

/** Sizes of the per-member state, fixed when a policy set is compiled. */
export interface SlotCounts {
  actions: number;
  /** Actions with a peer rule, each with its own set of counted peers per member. */
  peers: number;
  badges: number;
}

/** "No period yet": below any day or week number. */
export const UNSET = -2_147_483_648;

/** The member-wide numbers, first in every row, so each event touches the same cache line for them. */
export const LAST_ACTIVE_DAY = 0;
export const DAY_STREAK = 1;
export const LAST_ACTIVE_WEEK = 2;
export const WEEK_STREAK = 3;
export const GOAL_WEEK = 4;
export const WEEK_MINUTES = 5;
export const GOAL_MET = 6;
export const LAST_GOAL_WEEK = 7;
export const GOAL_RUN = 8;
const MEMBER_WIDE = 9;

/** Per action slot, side by side so one action's numbers share a cache line. */
export const COUNT = 0;
export const DAY_PERIOD = 1;
export const DAY_COUNT = 2;
export const WEEK_PERIOD = 3;
export const WEEK_COUNT = 4;
export const PEER_PERIOD = 5;
const PER_ACTION = 6;

/** Where an action's numbers start within a member's row. */
export const actionBlock = (slot: number): number => MEMBER_WIDE + PER_ACTION * slot;

/** The shape of a member's row in `MemberTable.ints`. */
export class StateLayout {
  /** Times earned per badge slot. */
  readonly badges: number;
  /** Row length, rounded up to whole 64-byte lines. */
  readonly stride: number;
  /** Offsets that start as UNSET rather than 0. */
  readonly unset: number[];

  constructor(readonly slots: SlotCounts) {
    this.badges = actionBlock(slots.actions);
    this.stride = Math.ceil((this.badges + slots.badges) / 16) * 16;
    const periods = Array.from({ length: slots.actions }, (_, slot) => [DAY_PERIOD, WEEK_PERIOD, PEER_PERIOD].map((o) => actionBlock(slot) + o)).flat();
    this.unset = [...periods, LAST_ACTIVE_DAY, LAST_ACTIVE_WEEK, GOAL_WEEK, LAST_GOAL_WEEK];
  }
}

/** Member ids below this are found through an array; larger ones through a map. */
const DENSE_IDS = 1 << 24;

/**
 * What the engine remembers about every member while replaying: one row of small integers per
 * member in one array, so memory grows with members, not with events, and a member's state is a
 * few cache lines.
 */
export class MemberTable {
  ints: Int32Array;
  points: Float64Array;
  readonly ids: number[] = [];
  readonly roles: (readonly string[])[] = [];
  /** Other members already counted in the current period, per member and peer slot; made when first needed. */
  readonly peerSeen: (PeerSet | undefined)[] = [];
  private dense: Int32Array = new Int32Array(1024);
  private readonly sparse = new Map<number, number>();
  private readonly blank: Int32Array;

  constructor(readonly layout: StateLayout) {
    this.ints = new Int32Array(64 * layout.stride);
    this.points = new Float64Array(64);
    this.blank = new Int32Array(layout.stride);
    for (const offset of layout.unset) this.blank[offset] = UNSET;
  }

  get size(): number {
    return this.ids.length;
  }

  /** The member's row number, adding a fresh row the first time. */
  rowOf(member: number, rolesOf: ((member: number) => readonly string[]) | undefined): number {
    if (member < DENSE_IDS) {
      if (member >= this.dense.length) this.dense = grow(this.dense, member + 1);
      const known = this.dense[member]!;
      if (known !== 0) return known - 1;
      const row = this.add(member, rolesOf);
      this.dense[member] = row + 1;
      return row;
    }
    let row = this.sparse.get(member);
    if (row === undefined) this.sparse.set(member, (row = this.add(member, rolesOf)));
    return row;
  }

  private add(member: number, rolesOf: ((member: number) => readonly string[]) | undefined): number {
    const row = this.ids.length;
    const stride = this.layout.stride;
    if ((row + 1) * stride > this.ints.length) {
      this.ints = grow(this.ints, (row + 1) * stride);
      const points = new Float64Array(this.ints.length / stride);
      points.set(this.points);
      this.points = points;
    }
    this.ints.set(this.blank, row * stride);
    this.ids.push(member);
    this.roles.push(rolesOf?.(member) ?? []);
    // Filled, not left with holes, so the array stays a plain indexed array.
    for (let p = 0; p < this.layout.slots.peers; p++) this.peerSeen.push(undefined);
    return row;
  }
}

function grow(array: Int32Array, atLeast: number): Int32Array {
  const bigger = new Int32Array(Math.max(atLeast, array.length * 2));
  bigger.set(array);
  return bigger;
}
