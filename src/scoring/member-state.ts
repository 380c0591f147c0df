/** Sizes of the per-member state, fixed when a policy set is compiled. */
export interface SlotCounts {
  actions: number;
  windows: number;
  peers: number;
  badges: number;
}

/**
 * Everything the engine remembers about the member being scored; reset between members, so memory
 * grows with the policy, not with events.
 */
export class MemberState {
  member = 0;
  roles: readonly string[] = [];
  /** Counted actions per action slot, for count badges. */
  readonly counts: Float64Array;
  readonly windowPeriod: Float64Array;
  readonly windowCount: Float64Array;
  readonly peerPeriod: Float64Array;
  readonly peerSeen: Set<number>[];
  readonly earned: Int32Array;
  lastActiveDay = Number.NaN;
  dayStreak = 0;
  lastActiveWeek = Number.NaN;
  weekStreak = 0;
  goalWeek = Number.NaN;
  weekMinutes = 0;
  goalMet = false;
  lastGoalWeek = Number.NaN;
  goalRun = 0;

  constructor(slots: SlotCounts) {
    this.counts = new Float64Array(slots.actions);
    this.windowPeriod = new Float64Array(slots.windows);
    this.windowCount = new Float64Array(slots.windows);
    this.peerPeriod = new Float64Array(slots.peers);
    this.peerSeen = Array.from({ length: slots.peers }, () => new Set<number>());
    this.earned = new Int32Array(slots.badges);
  }

  reset(member: number, roles: readonly string[]): void {
    this.member = member;
    this.roles = roles;
    this.counts.fill(0);
    this.windowPeriod.fill(Number.NaN);
    this.windowCount.fill(0);
    this.peerPeriod.fill(Number.NaN);
    for (const seen of this.peerSeen) seen.clear();
    this.earned.fill(0);
    this.lastActiveDay = Number.NaN;
    this.dayStreak = 0;
    this.lastActiveWeek = Number.NaN;
    this.weekStreak = 0;
    this.goalWeek = Number.NaN;
    this.weekMinutes = 0;
    this.goalMet = false;
    this.lastGoalWeek = Number.NaN;
    this.goalRun = 0;
  }
}
