import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VkladError } from '../../src/errors.ts';
import { adjustBalance } from '../../src/ledger/adjust.ts';
import { hold, releaseHold, settleHold } from '../../src/ledger/holds.ts';
import { postTransaction } from '../../src/ledger/post.ts';
import { checkLedger, getBalance } from '../../src/ledger/reads.ts';
import { reverseTransaction } from '../../src/ledger/reversal.ts';
import type { Posting } from '../../src/ledger/transaction.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { newId, newMember } from './fixtures.ts';

const member = fc.nat(3);
const amount = fc.integer({ min: 1, max: 60 });
const operation = fc.oneof(
  fc.record({ op: fc.constant('award' as const), to: member, amount }),
  fc.record({ op: fc.constant('transfer' as const), from: member, to: member, amount, fee: fc.nat(5) }),
  fc.record({ op: fc.constant('hold' as const), from: member, amount }),
  fc.record({ op: fc.constant('settle' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('release' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('adjust' as const), account: member, amount: fc.integer({ min: -30, max: 30 }).filter((n) => n !== 0) }),
);

describe.each(STORES)('ledger invariants over random operations ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  it('keeps every asset summing to zero, each balance the sum of its entries, and no member below zero', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), async (operations) => {
        const members = Array.from({ length: 4 }, () => `member:${newMember()}:pts`);
        const model = new Map(members.map((m) => [m, { balance: 0, held: 0 }]));
        const move = (postings: Posting[]) => {
          for (const p of postings) {
            if (model.has(p.from)) model.get(p.from)!.balance -= p.amount;
            if (model.has(p.to)) model.get(p.to)!.balance += p.amount;
          }
        };
        const posted: { id: string; postings: Posting[] }[] = [];
        const holds: { id: string; from: string; amount: number }[] = [];
        const pts = (from: string, to: string, n: number): Posting => ({ from, to, amount: n, asset: 'PTS' });

        for (const o of operations) {
          const id = newId(o.op);
          try {
            if (o.op === 'award' || o.op === 'transfer') {
              const postings =
                o.op === 'award'
                  ? [pts('world:pts', members[o.to]!, o.amount)]
                  : [pts(members[o.from]!, members[(o.from + 1 + (o.to % 3)) % 4]!, o.amount), ...(o.fee > 0 ? [pts(members[o.from]!, 'sink:pts:redeemed', o.fee)] : [])];
              await postTransaction(store.db, { id, code: o.op === 'award' ? 'award' : 'correction', cause: 'property', actor: 'test', postings });
              move(postings);
              posted.push({ id, postings });
            } else if (o.op === 'hold') {
              await hold(store.db, { id, from: members[o.from]!, to: 'sink:pts:redeemed', amount: o.amount, asset: 'PTS', cause: 'property', actor: 'test' });
              model.get(members[o.from]!)!.held += o.amount;
              holds.push({ id, from: members[o.from]!, amount: o.amount });
            } else if (o.op === 'settle' || o.op === 'release') {
              if (holds.length === 0) continue;
              const [h] = holds.splice(o.pick % holds.length, 1);
              if (o.op === 'settle') await settleHold(store.db, { id: h!.id, actor: 'test' });
              else await releaseHold(store.db, { id: h!.id, actor: 'test' });
              model.get(h!.from)!.held -= h!.amount;
              if (o.op === 'settle') move([pts(h!.from, 'sink:pts:redeemed', h!.amount)]);
            } else if (o.op === 'reverse') {
              if (posted.length === 0) continue;
              const [original] = posted.splice(o.pick % posted.length, 1);
              await reverseTransaction(store.db, { id, original: original!.id, actor: 'test' });
              move(original!.postings.map((p) => ({ ...p, from: p.to, to: p.from })));
            } else {
              await adjustBalance(store.db, { id, account: members[o.account]!, amount: o.amount, reason: 'property', actor: 'test' });
              move([o.amount > 0 ? pts('world:pts', members[o.account]!, o.amount) : pts(members[o.account]!, 'world:pts', -o.amount)]);
            }
          } catch (error) {
            // Refusals are part of the game (overdrafts); anything else is a failure.
            if (!(error instanceof VkladError && error.code === 'conflict' && error.message.startsWith('Insufficient funds'))) throw error;
          }
        }
        for (const [address, expected] of model) {
          expect(await getBalance(store.db, address)).toMatchObject(expected);
          expect(expected.balance - expected.held).toBeGreaterThanOrEqual(0);
        }
        expect(await checkLedger(store.db)).toEqual({ unbalanced_assets: [], mismatched_accounts: [], negative_accounts: [], unbalanced_transactions: [] });
      }),
      { numRuns: 15 },
    );
  });
});
