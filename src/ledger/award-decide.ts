import { ISSUER, memberAccount } from './conventions.ts';
import type { Posting } from './transaction.ts';

/** What the scoring engine hands over for one award: its new total, which may be lower than before. */
export interface AwardDiff {
  /** Stable id of the award. */
  key: string;
  member: number;
  /** New total for this award; lower than before, or 0, when it is withdrawn. */
  points: number;
  previous: number;
  /** When the award was earned, epoch ms. */
  at: number;
  /** Until when the points stay pending, epoch ms. */
  pending_until: number;
}

/** What the ledger has posted for one award so far. */
export interface AwardState {
  key: string;
  member: number;
  points: number;
  revision: number;
  /** The part of `points` still in the member's pending account. */
  pending: number;
  pending_until: number | null;
}

/** A member's points as the decision needs them: available to take back, and owed. */
export interface MemberPoints {
  available: number;
  debt: number;
}

export interface AwardStep {
  id: string;
  code: 'award' | 'award_reversal';
  memo: string;
  postings: Posting[];
  state: AwardState;
}

const pts = (from: string, to: string, amount: number): Posting[] => (amount > 0 ? [{ from, to, amount, asset: 'PTS' }] : []);
const WORLD = ISSUER.PTS!;

export const newAwardState = (key: string, member: number): AwardState => ({ key, member, points: 0, revision: 0, pending: 0, pending_until: null });

/**
 * Brings what is posted for an award to the total the scoring engine now gives it. The ledger's own
 * record is the reference, so a diff applied twice changes nothing. An award that moved to another
 * member (after a merge) is withdrawn from the first and given to the second. The caller applies each
 * step's postings to `points` before the next step is decided.
 */
export function decideAward(state: AwardState, diff: AwardDiff, points: (member: number) => MemberPoints, now: number): AwardStep[] {
  if (state.pending > 0 && state.pending_until! <= now) {
    // Matured points are released first, so that a new pending period never holds them back.
    const release = releaseStep(state);
    return [release, ...decideAward(release.state, diff, points, now)];
  }
  if (state.member !== diff.member && state.points !== 0) {
    const withdrawal = moveTo(state, 0, points(state.member), now, now);
    return [withdrawal, ...decideAward({ ...withdrawal.state, member: diff.member }, diff, points, now)];
  }
  const from = { ...state, member: diff.member };
  return diff.points === from.points ? [] : [moveTo(from, diff.points, points(diff.member), diff.pending_until, now)];
}

function moveTo(state: AwardState, target: number, member: MemberPoints, pendingUntil: number, now: number): AwardStep {
  const account = (kind: keyof typeof memberAccount) => memberAccount[kind](state.member);
  const delta = target - state.points;
  const next: AwardState = { ...state, points: target, revision: state.revision + 1 };
  let postings: Posting[];
  if (delta > 0) {
    // A debt is repaid first: those points cancel what the member owes instead of reaching them.
    const repaid = Math.min(member.debt, delta);
    const rest = delta - repaid;
    const pending = pendingUntil > now;
    postings = [...pts(account('debt'), WORLD, repaid), ...pts(WORLD, account(pending ? 'pending' : 'available'), rest)];
    if (pending && rest > 0) Object.assign(next, { pending: state.pending + rest, pending_until: pendingUntil });
  } else {
    // Take back what is still there, this award's pending points first; what cannot be taken back is owed.
    const fromPending = Math.min(state.pending, -delta);
    const fromAvailable = Math.min(Math.max(member.available, 0), -delta - fromPending);
    const owed = -delta - fromPending - fromAvailable;
    postings = [...pts(account('pending'), WORLD, fromPending), ...pts(account('available'), WORLD, fromAvailable), ...pts(WORLD, account('debt'), owed)];
    next.pending = state.pending - fromPending;
    if (next.pending === 0) next.pending_until = null;
  }
  return { id: awardTransactionId(state.key, next.revision), code: delta > 0 ? 'award' : 'award_reversal', memo: `${state.points} → ${target} points`, postings, state: next };
}

/** Moves an award's matured pending points to the member's available account. */
export function releaseStep(state: AwardState): AwardStep {
  const next: AwardState = { ...state, revision: state.revision + 1, pending: 0, pending_until: null };
  return {
    id: awardTransactionId(state.key, next.revision),
    code: 'award',
    memo: `${state.pending} points no longer pending`,
    postings: pts(memberAccount.pending(state.member), memberAccount.available(state.member), state.pending),
    state: next,
  };
}

/** Deterministic: the same award at the same revision always has the same transaction id. */
export const awardTransactionId = (key: string, revision: number): string => `award:${key}:${revision}`;

/** A member's points after some postings, for the next decision in the same batch. */
export function afterPostings(member: number, before: MemberPoints, postings: Posting[]): MemberPoints {
  const next = { ...before };
  for (const p of postings) {
    if (p.from === memberAccount.available(member)) next.available -= p.amount;
    if (p.to === memberAccount.available(member)) next.available += p.amount;
    if (p.from === memberAccount.debt(member)) next.debt -= p.amount;
    if (p.to === memberAccount.debt(member)) next.debt += p.amount;
  }
  return next;
}
