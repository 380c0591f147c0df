import type { ScoringEvent, TrailStep } from '../types.ts';
import { actionBlock, PEER_PERIOD } from '../member-state.ts';
import { PeerSet } from './peer-set.ts';
import type { EventContext, Rule } from './rule.ts';

const SELF: TrailStep = Object.freeze({ rule: 'peer', reason: 'self', factor: 0 });
const UNKNOWN: TrailStep = Object.freeze({ rule: 'peer', reason: 'unknown', factor: 0 });
const REPEAT: TrailStep = Object.freeze({ rule: 'peer', reason: 'repeat', factor: 0 });

/**
 * A signal from another member (a like, thanks, an accepted answer) counts only when that member is
 * known and is not the receiver; optionally once per other member per day or week, and damped when
 * the receiver returned the same signal to the giver in the same week.
 */
export class PeerRule implements Rule {
  private readonly reciprocalStep: TrailStep | null;

  private readonly period: number;

  constructor(
    private readonly actionSlot: number,
    private readonly peerSlot: number,
    private readonly distinct: 'day' | 'week' | undefined,
    private readonly reciprocal: number | undefined,
  ) {
    this.period = actionBlock(actionSlot) + PEER_PERIOD;
    this.reciprocalStep = reciprocal === undefined ? null : Object.freeze({ rule: 'peer', reason: 'reciprocal', factor: reciprocal });
  }

  /** Whether the reciprocity index must hold this action's signals. */
  get dampsReciprocal(): boolean {
    return this.reciprocalStep !== null;
  }

  apply(event: ScoringEvent, c: EventContext): number {
    const peer = event.peer;
    if (peer === undefined || peer === null) return refuse(c, UNKNOWN);
    if (peer === event.member) return refuse(c, SELF);
    if (this.distinct !== undefined) {
      const period = this.distinct === 'day' ? c.day : c.week;
      const seen = (c.members.peerSeen[c.row * c.layout.slots.peers + this.peerSlot] ??= new PeerSet());
      const at = c.base + this.period;
      if (c.ints[at] !== period) {
        c.ints[at] = period;
        seen.clear();
      }
      if (!seen.add(peer)) return refuse(c, REPEAT);
    }
    if (this.reciprocalStep !== null && c.reciprocity.has(this.actionSlot, peer, event.member, c.week)) {
      c.steps.push(this.reciprocalStep);
      return this.reciprocal!;
    }
    return 1;
  }
}

function refuse(c: EventContext, step: TrailStep): 0 {
  c.steps.push(step);
  return 0;
}
