import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getBalance } from '../../src/ledger/reads.ts';
import { memberAccount } from '../../src/ledger/conventions.ts';
import { runScoringPass } from '../../src/services/scoring-pass.ts';
import { memberAwards, storedAwards } from '../../src/store/awards.ts';
import { ingestEvents } from '../../src/store/events.ts';
import { createMembers, mergeMembers } from '../../src/store/members.ts';
import { voidEvent } from '../../src/store/events.ts';
import { adoptPolicy, currentPolicies } from '../../src/store/policies.ts';
import { type ScoringEvent, scoreMembers } from '../../src/scoring/index.ts';
import { readFileSync } from 'node:fs';
import type { EventInput } from '../../src/core/event.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

const NOW = new Date('2025-10-20T12:00:00Z');
const DAY = 86_400_000;
const create = { atomic: true, unknownIdentity: () => 'create' as const };

/** Events written for members 1..3, given to the members of one run. */
function renumber(e: EventInput, own: (m: number) => number): EventInput {
  const attributes = { ...e.attributes };
  for (const k of ['giver', 'receiver'] as const) if (typeof attributes[k] === 'number') attributes[k] = own(attributes[k] as number);
  return { ...e, source_event_id: `${e.source_event_id}-${own(1)}`, actor: { member_id: own((e.actor as { member_id: number }).member_id) }, attributes };
}

function scoringEvent(e: EventInput, id: number): ScoringEvent {
  const attributes = e.attributes ?? {};
  const peer = (attributes.giver ?? attributes.receiver ?? null) as number | null;
  return { id, member: (e.actor as { member_id: number }).member_id, action: e.action, at: Date.parse(e.occurred_at), object: null, attributes, peer };
}

let n = 0;
const post = (member: number, day: number, words = 120): EventInput => ({
  source: 'forum',
  source_event_id: `p-${++n}`,
  action: 'forum.post.created',
  actor: { member_id: member },
  occurred_at: new Date(Date.UTC(2025, 9, 1, 9) + day * DAY).toISOString(),
  attributes: { words },
});
const like = (giver: number, receiver: number, day: number): EventInput[] => {
  const at = new Date(Date.UTC(2025, 9, 1, 12) + day * DAY).toISOString();
  const id = ++n;
  return [
    { source: 'forum', source_event_id: `l-${id}`, action: 'forum.like.given', actor: { member_id: giver }, occurred_at: at, attributes: { receiver } },
    { source: 'forum', source_event_id: `l-${id}-r`, action: 'forum.like.received', actor: { member_id: receiver }, occurred_at: at, attributes: { giver } },
  ];
};

/** A member's points everywhere the ledger keeps them: pending and available, less debt. */
async function points(db: TestStore['db'], member: number): Promise<number> {
  const [pending, available, debt] = await Promise.all(
    [memberAccount.pending(member), memberAccount.available(member), memberAccount.debt(member)].map((a) => getBalance(db, a)),
  );
  return pending!.balance + available!.balance - Math.abs(debt!.balance);
}

const awardSum = async (db: TestStore['db'], member: number) => (await storedAwards(db, [member])).reduce((s, a) => s + a.points, 0);

describe.each(STORES)('the scoring pass ($name)', (kind) => {
  let store: TestStore;
  let members: number[];
  beforeEach(async () => {
    store = await kind.open();
    members = await createMembers(store.db, [{ roles: ['student'] }, { roles: ['student'] }, { roles: ['student'] }], 'test');
  });
  afterEach(async () => store.destroy());

  it('scores new events, stores each award with its trail and posts the points to the ledger, once', async () => {
    const [a] = members;
    await ingestEvents(store.db, [post(a!, 0), post(a!, 0, 10), post(a!, 1)], create);
    const first = await runScoringPass(store.db, { now: NOW });
    expect(first.members).toBe(1);
    const awards = (await memberAwards(store.db, a!, { limit: 10 })).awards;
    expect(awards).toHaveLength(3);
    const short = awards.find((x) => x.points === 0)!;
    expect(short.trail).toContainEqual(expect.objectContaining({ rule: 'when', field: 'words' }));
    expect(awards.filter((x) => x.points > 0).every((x) => x.trail[0]!.rule === 'base')).toBe(true);
    const total = await awardSum(store.db, a!);
    expect(total).toBeGreaterThan(0);
    expect(await points(store.db, a!)).toBe(total);

    const again = await runScoringPass(store.db, { now: NOW });
    expect(again).toMatchObject({ members: 0, ledger_transactions: 0 });
    const everything = await runScoringPass(store.db, { now: NOW, all: true });
    expect(everything).toMatchObject({ awards_changed: 0, ledger_transactions: 0 });
    expect(await points(store.db, a!)).toBe(total);
  });

  it('a late event recomputes the windows it falls into and posts only the difference', async () => {
    const [a] = members;
    await ingestEvents(store.db, [post(a!, 0), post(a!, 0), post(a!, 0)], create);
    await runScoringPass(store.db, { now: NOW });
    const before = await awardSum(store.db, a!);
    // A fourth post the same day, delivered late: beyond the day's full count it earns less.
    const late = post(a!, 0);
    late.occurred_at = new Date(Date.UTC(2025, 9, 1, 8)).toISOString();
    await ingestEvents(store.db, [late], create);
    const report = await runScoringPass(store.db, { now: NOW });
    const after = await awardSum(store.db, a!);
    expect(after).toBeGreaterThan(before);
    expect(report.points_delta).toBe(after - before);
    expect(await points(store.db, a!)).toBe(after);
  });

  it('a voided event takes back what it gave', async () => {
    const [a] = members;
    const events = [post(a!, 0), post(a!, 1), post(a!, 2)];
    await ingestEvents(store.db, events, create);
    await runScoringPass(store.db, { now: NOW });
    const before = await awardSum(store.db, a!);
    await voidEvent(store.db, { source: 'forum', source_event_id: events[1]!.source_event_id }, 'spam', 'test');
    await runScoringPass(store.db, { now: NOW });
    const after = await awardSum(store.db, a!);
    expect(after).toBeLessThan(before);
    expect(await points(store.db, a!)).toBe(after);
    expect((await storedAwards(store.db, [a!])).map((x) => x.key)).toHaveLength(2);
  });

  it('likes count from other members only, and a returned like re-scores the first one', async () => {
    const [a, b] = members;
    const ids = async (events: EventInput[]) => (await ingestEvents(store.db, events, create)).map((o) => String('id' in o ? o.id : 0));
    const [, fromA, toB] = await ids([post(b!, 0), ...like(a!, b!, 0)]);
    const [selfGiven, selfReceived] = await ids(like(b!, b!, 0));
    await runScoringPass(store.db, { now: NOW });
    const award = async (key: string) => (await storedAwards(store.db, [a!, b!])).find((x) => x.key === key)!;
    expect((await award(fromA!)).points).toBe(1);
    expect((await award(toB!)).points).toBeGreaterThan(0);
    for (const key of [selfGiven!, selfReceived!]) {
      expect(await award(key)).toMatchObject({ points: 0, trail: expect.arrayContaining([{ rule: 'peer', reason: 'self', factor: 0 }]) });
    }

    await ingestEvents(store.db, like(b!, a!, 1), create);
    const report = await runScoringPass(store.db, { now: NOW });
    expect(report.members).toBe(2);
    expect((await award(fromA!)).trail).toContainEqual({ rule: 'peer', reason: 'reciprocal', factor: 0.25 });
    expect((await award(fromA!)).points).toBe(0);
    expect(await points(store.db, a!)).toBe(await awardSum(store.db, a!));
    expect(await points(store.db, b!)).toBe(await awardSum(store.db, b!));
  });

  it('a merge moves the awards with the events to the surviving member', async () => {
    const [a, b] = members;
    await ingestEvents(store.db, [post(a!, 0), post(b!, 3)], create);
    await runScoringPass(store.db, { now: NOW });
    const total = (await awardSum(store.db, a!)) + (await awardSum(store.db, b!));
    await mergeMembers(store.db, a!, b!, 'test');
    await runScoringPass(store.db, { now: NOW });
    expect(await awardSum(store.db, a!)).toBe(0);
    expect(await points(store.db, a!)).toBe(0);
    expect(await points(store.db, b!)).toBe(await awardSum(store.db, b!));
    expect(await awardSum(store.db, b!)).toBeGreaterThanOrEqual(total);
  });

  it('adopting a policy for the past is refused unless it re-scores, and then posts the corrections', async () => {
    const [a] = members;
    await ingestEvents(store.db, [post(a!, 0), post(a!, 1)], create);
    await runScoringPass(store.db, { now: NOW });
    const before = await awardSum(store.db, a!);
    const doubled = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8')
      .replace('version: "2025-09"', 'version: "2025-10"')
      .replace('effective_from: 2025-09-01', 'effective_from: 2025-10-01')
      .replace(/forum\.post\.created:\n    points: 6/, 'forum.post.created:\n    points: 12');
    await expect(adoptPolicy(store.db, doubled, { mode: 'forward', actor: 'test', now: NOW })).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ field: 'effective_from' })],
    });
    expect(await runScoringPass(store.db, { now: NOW })).toMatchObject({ members: 0 });
    const adopted = await adoptPolicy(store.db, doubled, { mode: 'rescore', actor: 'test', now: NOW });
    expect(adopted.members_marked).toBe(1);
    await runScoringPass(store.db, { now: NOW });
    expect(await awardSum(store.db, a!)).toBe(before * 2);
    expect(await points(store.db, a!)).toBe(before * 2);
    expect((await storedAwards(store.db, [a!]))[0]!.policy_version).toBe('2025-10');
  });

  it('awards and balances depend on the events, not on how they arrived or when passes ran', async () => {
    const { set } = await currentPolicies(store.db);
    const arbitraryEvent = (m: number[]) =>
      fc.oneof(
        fc.record({ m: fc.constantFrom(...m), day: fc.integer({ min: 0, max: 9 }), words: fc.integer({ min: 10, max: 200 }) }).map((x) => [post(x.m, x.day, x.words)]),
        fc.record({ g: fc.constantFrom(...m), r: fc.constantFrom(...m), day: fc.integer({ min: 0, max: 9 }) }).map((x) => like(x.g, x.r, x.day)),
      );
    // Each run has members of its own in the same store; the reference is the pure engine over the same set.
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.array(arbitraryEvent([1, 2, 3]), { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 5 })),
        async ([groups, cut]) => {
          const ids = await createMembers(store.db, [{}, {}, {}], 'test');
          const own = (m: number) => ids[m - 1]!;
          const events = groups.flat().map((e) => renumber(e, own));
          // Delivered backwards, in several deliveries with a pass after each, earlier deliveries sent again.
          const reversed = [...events].reverse();
          const stored = new Map<string, number>();
          for (let i = 0; i < reversed.length; i += cut) {
            const batch = [...reversed.slice(i, i + cut), ...reversed.slice(0, i)];
            const outcomes = await ingestEvents(store.db, batch, { ...create, atomic: false });
            outcomes.forEach((o, k) => 'id' in o && stored.set(batch[k]!.source_event_id, o.id));
            await runScoringPass(store.db, { now: NOW });
          }
          const expected = scoreMembers(set, events.map((e) => scoringEvent(e, stored.get(e.source_event_id)!)), { rolesOf: () => ['student'] });
          for (const m of ids) {
            const mine = (xs: { key: string; member: number; points: number; trail: readonly unknown[] }[]) =>
              xs.filter((x) => x.member === m).map((x) => ({ key: x.key, points: x.points, trail: x.trail })).sort((p, q) => (p.key < q.key ? -1 : 1));
            expect(mine(await storedAwards(store.db, [m]))).toEqual(mine(expected.awards));
            expect(await points(store.db, m)).toBe(expected.awards.filter((x) => x.member === m).reduce((sum, x) => sum + x.points, 0));
          }
        },
      ),
      { numRuns: 6 },
    );
  });
});
