/** Sizes of the per-member state, fixed when a policy set is compiled. */
export interface SlotCounts {
  actions: number;
  windows: number;
  peers: number;
  badges: number;
}

/** Where each part of a member's numbers starts in `MemberState.nums`; the same for every member. */
export class StateLayout {
  readonly counts = 0;
  readonly windows: number;
  readonly peers: number;
  readonly badges: number;
  readonly size: number;

  constructor(readonly slots: SlotCounts) {
    this.windows = slots.actions;
    this.peers = this.windows + 2 * slots.windows;
    this.badges = this.peers + slots.peers;
    this.size = this.badges + slots.badges;
  }
}

/**
 * What the engine remembers about one member while replaying: one small array and a few numbers,
 * so memory grows with members, not with events.
 */
export class MemberState {
  /** Counted actions per action, [period, count] per window, period per peer rule, times earned per badge. */
  readonly nums: Float64Array;
  /** Other members already counted in the current period, per peer rule; made when first needed. */
  readonly peerSeen: (Set<number> | undefined)[] = [];
  points = 0;
  lastActiveDay = Number.NaN;
  dayStreak = 0;
  lastActiveWeek = Number.NaN;
  weekStreak = 0;
  goalWeek = Number.NaN;
  weekMinutes = 0;
  goalMet = false;
  lastGoalWeek = Number.NaN;
  goalRun = 0;

  constructor(
    readonly member: number,
    readonly roles: readonly string[],
    layout: StateLayout,
  ) {
    this.nums = new Float64Array(layout.size);
    // Periods start unset, so the first action of a window opens it.
    this.nums.fill(Number.NaN, layout.windows, layout.badges);
  }
}
