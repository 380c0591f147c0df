import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AwardDiff, type MemberPoints, afterPostings, decideAward, newAwardState, releaseStep } from '../../src/ledger/award-decide.ts';

const DAY = 86_400_000;
const T = Date.parse('2025-09-01T00:00:00Z');
const diff = (points: number, previous: number, pendingDays = 7, member = 42): AwardDiff => ({ key: 'ev:1', member, points, previous, at: T, pending_until: T + pendingDays * DAY });
const none = (): MemberPoints => ({ available: 0, debt: 0 });

describe('deciding what an award diff posts', () => {
  it('credits an increase to pending until the pending period ends, straight to available after it', () => {
    const [pending] = decideAward(newAwardState('ev:1', 42), diff(10, 0), none, T);
    expect(pending).toMatchObject({ id: 'award:ev:1:1', code: 'award', postings: [{ from: 'world:pts', to: 'member:42:pts:pending', amount: 10, asset: 'PTS' }] });
    expect(pending!.state).toEqual({ key: 'ev:1', member: 42, points: 10, revision: 1, pending: 10, pending_until: T + 7 * DAY });
    const [late] = decideAward(newAwardState('ev:1', 42), diff(10, 0, 0), none, T);
    expect(late!.postings).toEqual([{ from: 'world:pts', to: 'member:42:pts', amount: 10, asset: 'PTS' }]);
    expect(late!.state.pending).toBe(0);
  });

  it('changes nothing when the ledger already has the new total', () => {
    const [step] = decideAward(newAwardState('ev:1', 42), diff(10, 0), none, T);
    expect(decideAward(step!.state, diff(10, 0), none, T)).toEqual([]);
  });

  it('takes a decrease back from this award\'s pending points, then available, and records the rest as debt', () => {
    const [award] = decideAward(newAwardState('ev:1', 42), diff(10, 0), none, T);
    const [reversal] = decideAward(award!.state, diff(0, 10), () => ({ available: 0, debt: 0 }), T + DAY);
    expect(reversal).toMatchObject({ id: 'award:ev:1:2', code: 'award_reversal', postings: [{ from: 'member:42:pts:pending', to: 'world:pts', amount: 10 }] });
    expect(reversal!.state).toMatchObject({ points: 0, pending: 0, pending_until: null });

    const spent = { ...award!.state, pending: 0, pending_until: null };
    const [partly] = decideAward(spent, diff(0, 10), () => ({ available: 4, debt: 0 }), T + DAY);
    expect(partly!.postings).toEqual([
      { from: 'member:42:pts', to: 'world:pts', amount: 4, asset: 'PTS' },
      { from: 'world:pts', to: 'member:42:pts:debt', amount: 6, asset: 'PTS' },
    ]);
  });

  it('repays a debt first from later awards', () => {
    const [step] = decideAward(newAwardState('ev:2', 42), { ...diff(10, 0), key: 'ev:2' }, () => ({ available: 0, debt: 6 }), T);
    expect(step!.postings).toEqual([
      { from: 'member:42:pts:debt', to: 'world:pts', amount: 6, asset: 'PTS' },
      { from: 'world:pts', to: 'member:42:pts:pending', amount: 4, asset: 'PTS' },
    ]);
    expect(step!.state.pending).toBe(4);
  });

  it('releases matured pending points before a new increase starts a new pending period', () => {
    const [award] = decideAward(newAwardState('ev:1', 42), diff(10, 0), none, T);
    const steps = decideAward(award!.state, { ...diff(15, 10), pending_until: T + 20 * DAY }, none, T + 8 * DAY);
    expect(steps.map((s) => s.postings)).toEqual([
      [{ from: 'member:42:pts:pending', to: 'member:42:pts', amount: 10, asset: 'PTS' }],
      [{ from: 'world:pts', to: 'member:42:pts:pending', amount: 5, asset: 'PTS' }],
    ]);
    expect(steps.map((s) => s.id)).toEqual(['award:ev:1:2', 'award:ev:1:3']);
    expect(releaseStep(award!.state).state).toMatchObject({ pending: 0, revision: 2 });
  });

  it('moves an award to the member it now belongs to after a merge', () => {
    const [award] = decideAward(newAwardState('ev:1', 42), diff(10, 0), none, T);
    const steps = decideAward(award!.state, diff(10, 10, 7, 7), none, T + DAY);
    expect(steps.map((s) => s.postings)).toEqual([
      [{ from: 'member:42:pts:pending', to: 'world:pts', amount: 10, asset: 'PTS' }],
      [{ from: 'world:pts', to: 'member:7:pts:pending', amount: 10, asset: 'PTS' }],
    ]);
    expect(steps.at(-1)!.state).toMatchObject({ member: 7, points: 10, revision: 3 });
  });

  it('keeps, over any sequence of totals, posted = total, pending within it, and points taken back or owed', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ points: fc.nat(50), spend: fc.nat(20), days: fc.integer({ min: 0, max: 10 }) }), { maxLength: 30 }), (moves) => {
        let state = newAwardState('ev:1', 42);
        let member: MemberPoints = { available: 0, debt: 0 };
        let pending = 0;
        let now = T;
        for (const move of moves) {
          now += move.days * DAY;
          const spend = Math.min(member.available, move.spend);
          member = { ...member, available: member.available - spend };
          for (const step of decideAward(state, { ...diff(move.points, state.points), pending_until: now + 7 * DAY }, () => member, now)) {
            member = afterPostings(42, member, step.postings);
            for (const p of step.postings) pending += (p.to.endsWith(':pending') ? p.amount : 0) - (p.from.endsWith(':pending') ? p.amount : 0);
            state = step.state;
          }
          expect(state.points).toBe(move.points);
          expect(state.pending).toBe(pending);
          expect(member.available).toBeGreaterThanOrEqual(0);
          expect(member.debt).toBeGreaterThanOrEqual(0);
          expect(state.pending).toBeLessThanOrEqual(state.points);
        }
      }),
    );
  });
});
