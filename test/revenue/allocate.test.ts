import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ActionCount, type AllocationInput, allocateProRata, allocateUserCentric, takeBack } from '../../src/revenue/allocate.ts';
import { resolveAuthors } from '../../src/revenue/authorship.ts';
import { largestRemainder } from '../../src/revenue/largest-remainder.ts';

// Course A by author 1, its section a1 names no author; course B by authors 2 (60) and 3 (40).
const authors = resolveAuthors([
  { id: 'course:A', parent_id: null, authors: [{ author: 1, share: 1 }] },
  { id: 'course:A/a1', parent_id: 'course:A', authors: [] },
  { id: 'course:B', parent_id: null, authors: [{ author: 2, share: 60 }, { author: 3, share: 40 }] },
  { id: 'post:orphan', parent_id: null, authors: [] },
]);
const policy = { shares: { platform: 20, treasury: 10, authors: 70 }, no_activity: 'common_pool' as const, weights: { 'course.section.read': 1, 'course.assignment.accepted': 6 } };
const act = (member: number, content: string, action: string, count: number): ActionCount => ({ member, content, action, count });

const example: AllocationInput = {
  policy,
  authors,
  payers: [
    { member: 10, amount: 1000 },
    { member: 11, amount: 500 },
    { member: 12, amount: 300 },
  ],
  actions: [
    act(10, 'course:A/a1', 'course.section.read', 4),
    act(10, 'course:B', 'course.assignment.accepted', 1),
    act(10, 'course:B', 'forum.like.given', 50), // weighs nothing
    act(10, 'post:orphan', 'course.section.read', 9), // no author anywhere up the chain
    act(11, 'course:B', 'course.section.read', 2),
    act(13, 'course:A', 'course.section.read', 100), // did not pay
  ],
};

describe('user-centric allocation', () => {
  it('follows each payer to the authors of what they worked on (hand-computed)', () => {
    const result = allocateUserCentric(example);
    // m10: 700 to authors by weight 4 (A via its section) and 6 (B, split 60/40): 280, 252, 168.
    // m11: 350 to B: 210, 140. m12 did nothing: 210 to the pool, shared by payers' work 4 : 4.8 : 3.2.
    expect(Object.fromEntries(result.totals)).toEqual({ platform: 360, treasury: 180, 'author:1': 280 + 70, 'author:2': 252 + 210 + 84, 'author:3': 168 + 140 + 56 });
    expect(result.revenue).toBe(1800);
    expect(result.member_lines.filter((l) => l.member === 12)).toEqual([
      { member: 12, recipient: 'platform', amount: 60 },
      { member: 12, recipient: 'treasury', amount: 30 },
      { member: 12, recipient: 'common_pool', amount: 210 },
    ]);
    expect(result.content_lines).toContainEqual({ source: 'member', recipient: 'author:2', content: 'course:B', amount: 252 + 210, learners: 2 });
    expect(result.content_lines).toContainEqual({ source: 'member', recipient: 'author:1', content: 'course:A/a1', amount: 280, learners: 1 });
    expect(result.content_lines).toContainEqual({ source: 'pool', recipient: 'author:3', content: 'course:B', amount: 56, learners: 2 });
  });

  it('sends an inactive payer\'s authors\' share to the platform when the policy says so', () => {
    const result = allocateUserCentric({ ...example, policy: { ...policy, no_activity: 'platform' } });
    expect(Object.fromEntries(result.totals)).toEqual({ platform: 360 + 210, treasury: 180, 'author:1': 280, 'author:2': 462, 'author:3': 308 });
    expect(result.content_lines.some((l) => l.source === 'pool')).toBe(false);
  });

  it('sends the pool to the platform when no payer worked on authored content', () => {
    const result = allocateUserCentric({ ...example, actions: [] });
    expect(Object.fromEntries(result.totals)).toEqual({ platform: 360 + 1260, treasury: 180 });
  });

  it('rounds by largest remainder: three equal authors of 100 kopecks get 34, 33, 33', () => {
    const three = resolveAuthors(['x', 'y', 'z'].map((id, n) => ({ id, parent_id: null, authors: [{ author: n + 1, share: 1 }] })));
    const result = allocateUserCentric({
      policy: { ...policy, shares: { platform: 0, treasury: 0, authors: 100 } },
      authors: three,
      payers: [{ member: 1, amount: 100 }],
      actions: ['x', 'y', 'z'].map((c) => act(1, c, 'course.section.read', 1)),
    });
    expect(Object.fromEntries(result.totals)).toEqual({ 'author:1': 34, 'author:2': 33, 'author:3': 33 });
  });
});

describe('pro-rata allocation', () => {
  it('divides the whole authors\' share by all payers\' work (hand-computed)', () => {
    // 1260 by 4 : 4.8 : 3.2 of 12; the non-payer's 100 reads count for nothing.
    expect(Object.fromEntries(allocateProRata(example))).toEqual({ platform: 360, treasury: 180, 'author:1': 420, 'author:2': 504, 'author:3': 336 });
  });
});

describe('taking back a refund of a closed period', () => {
  it('takes back in proportion to what the member\'s money allocated, the pool part from the pool', () => {
    const result = allocateUserCentric(example);
    const poolTotals = [...new Map(result.content_lines.filter((l) => l.source === 'pool').map((l) => [l.recipient, l.amount]))].map(([recipient, amount]) => ({ recipient, amount }));
    const m12 = result.member_lines.filter((l) => l.member === 12);
    expect(Object.fromEntries(takeBack(150, m12, poolTotals))).toEqual({ platform: -30, treasury: -15, 'author:1': -35, 'author:2': -42, 'author:3': -28 });
    const m11 = result.member_lines.filter((l) => l.member === 11);
    expect(Object.fromEntries(takeBack(500, m11, poolTotals))).toEqual({ platform: -100, treasury: -50, 'author:2': -210, 'author:3': -140 });
  });
});

describe('the exact sum', () => {
  it('largest remainder always adds up to the total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }), (total, weights) => {
        fc.pre(weights.some((w) => w > 0));
        const parts = largestRemainder(total, weights);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        parts.forEach((p, i) => {
          expect(Number.isInteger(p) && p >= 0).toBe(true);
          if (weights[i] === 0) expect(p).toBe(0);
        });
      }),
    );
  });

  const inputs = fc
    .record({
      shares: fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).map(([a, b]) => {
        const platform = Math.min(a, 100);
        const treasury = Math.min(b, 100 - platform);
        return { platform, treasury, authors: 100 - platform - treasury };
      }),
      no_activity: fc.constantFrom('common_pool' as const, 'platform' as const),
      weights: fc.record({ read: fc.double({ min: 0, max: 10, noNaN: true }), accepted: fc.double({ min: 0, max: 100, noNaN: true }) }),
      content: fc.array(fc.array(fc.record({ author: fc.integer({ min: 1, max: 8 }), share: fc.integer({ min: 1, max: 100 }) }), { maxLength: 3 }), { minLength: 1, maxLength: 6 }),
      payers: fc.array(fc.record({ member: fc.integer({ min: 1, max: 30 }), amount: fc.integer({ min: 1, max: 10_000_000_00 }) }), { maxLength: 20 }),
      actions: fc.array(fc.record({ member: fc.integer({ min: 1, max: 40 }), content: fc.nat(5), action: fc.constantFrom('read', 'accepted', 'other'), count: fc.integer({ min: 1, max: 50 }) }), { maxLength: 60 }),
    })
    .map((r): AllocationInput => ({
      policy: { shares: r.shares, no_activity: r.no_activity, weights: r.weights },
      payers: [...new Map(r.payers.map((p) => [p.member, p])).values()],
      authors: resolveAuthors(r.content.map((authors, n) => ({ id: `c${n}`, parent_id: n === 0 ? null : 'c0', authors: [...new Map(authors.map((a) => [a.author, a])).values()] }))),
      actions: r.actions.map((a) => ({ ...a, content: `c${a.content}` })),
    }));

  it('user-centric totals, member lines and content lines add up exactly to the revenue', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const result = allocateUserCentric(input);
        const revenue = input.payers.reduce((a, p) => a + p.amount, 0);
        expect([...result.totals.values()].reduce((a, b) => a + b, 0)).toBe(revenue);
        expect(result.member_lines.reduce((a, l) => a + l.amount, 0)).toBe(revenue);
        for (const p of input.payers) expect(result.member_lines.filter((l) => l.member === p.member).reduce((a, l) => a + l.amount, 0)).toBe(p.amount);
        const authorTotal = [...result.totals].filter(([r]) => r.startsWith('author:')).reduce((a, [, v]) => a + v, 0);
        expect(result.content_lines.reduce((a, l) => a + l.amount, 0)).toBe(authorTotal);
        expect([...result.totals.values()].every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('pro-rata totals add up exactly to the revenue; a take-back to the refund', () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 0, max: 100 }), (input, percent) => {
        const revenue = input.payers.reduce((a, p) => a + p.amount, 0);
        expect([...allocateProRata(input).values()].reduce((a, b) => a + b, 0)).toBe(revenue);
        const result = allocateUserCentric(input);
        const pool = result.content_lines.filter((l) => l.source === 'pool').map((l) => ({ recipient: l.recipient, amount: l.amount }));
        for (const p of input.payers) {
          const refund = Math.floor((p.amount * percent) / 100);
          const back = takeBack(refund, result.member_lines.filter((l) => l.member === p.member), pool);
          expect([...back.values()].reduce((a, b) => a + b, 0) + refund).toBe(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
