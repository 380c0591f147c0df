import { z } from '@hono/zod-openapi';
import type { Database, Queryable } from '../db/database.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { type Asset, type TransactionCode, TRANSACTION_CODES } from './conventions.ts';
import { available, lockAccounts, saveAccounts } from './lock-accounts.ts';
import { postValidated } from './post.ts';
import { Amount, LedgerAddress, Moment, PostingBody, canonicalContent, differingFields, zodFieldErrors } from './transaction.ts';

/** An amount reserved on `from` towards `to`: it stays in `from` but is no longer available. */
export interface HoldInput {
  id: string;
  from: string;
  to: string;
  amount: number;
  asset: Asset;
  cause: string;
  actor: string;
  at?: number | undefined;
}

const text = (max: number) => z.string().min(1, 'is required').max(max);

export const HoldBody = z
  .object({ id: text(190), from: LedgerAddress, to: LedgerAddress, amount: Amount, asset: PostingBody.shape.asset, cause: text(500), actor: text(200), at: Moment.optional() })
  .strict()
  .superRefine((h, ctx) => {
    const posting = PostingBody.safeParse({ from: h.from, to: h.to, amount: h.amount, asset: h.asset });
    if (!posting.success) for (const issue of posting.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

export interface HoldOutcome {
  status: 'created' | 'exists';
  id: string;
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid(zodFieldErrors(parsed.error), 'The request is invalid; nothing was changed');
  return parsed.data;
}

/** Reserves an amount; refused, with nothing written, when the account has less available. Idempotent by id. */
export async function hold(db: Database, input: unknown): Promise<HoldOutcome> {
  const h = parse(HoldBody, input);
  const content = canonicalContent({ from: h.from, to: h.to, amount: h.amount, asset: h.asset, cause: h.cause, actor: h.actor, at: h.at });
  return db.transaction(async (tx) => {
    const claimed = await tx.query(
      `insert into holds (id, account, destination, asset, amount, state, cause, actor, content, at)
       values ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, coalesce($9::timestamptz, date_trunc('milliseconds', clock_timestamp())))
       on conflict (id) do nothing returning id`,
      [h.id, h.from, h.to, h.asset, h.amount, h.cause, h.actor, content, h.at === undefined ? null : new Date(h.at).toISOString()],
    );
    if (claimed.length === 0) {
      const [stored] = await tx.query<{ content: string }>('select content from holds where id = $1', [h.id]);
      const fields = differingFields(stored!.content, content);
      if (fields.length > 0) throw conflict('A hold with the same id was placed with different content', fields.map((field) => ({ field, reason: `differs from hold ${h.id} as already placed` })));
      return { status: 'exists', id: h.id };
    }
    const account = (await lockAccounts(tx, [h.from])).get(h.from)!;
    if (!account.may_go_negative && available(account) < h.amount) {
      throw conflict(`Insufficient funds: ${h.from} has ${available(account)} ${h.asset} available, the hold needs ${h.amount}`, [
        { field: 'amount', reason: `${h.from} has ${available(account)} available` },
      ]);
    }
    account.held += h.amount;
    await saveAccounts(tx, [account]);
    return { status: 'created', id: h.id };
  });
}

interface HoldRow {
  id: string;
  account: string;
  destination: string;
  asset: Asset;
  amount: number;
  state: 'pending' | 'settled' | 'released';
  cause: string;
  settled_by: string | null;
}

async function lockHold(tx: Queryable, id: string): Promise<HoldRow> {
  const [row] = await tx.query<HoldRow>('select id, account, destination, asset, amount, state, cause, settled_by from holds where id = $1 for update', [id]);
  if (!row) throw notFound(`Hold ${id}`);
  return row;
}

async function releaseHeld(tx: Queryable, h: HoldRow): Promise<void> {
  await tx.query('update accounts set held = held - $2 where address = $1', [h.account, h.amount]);
}

export interface SettleInput {
  id: string;
  actor: string;
  code?: TransactionCode | undefined;
  at?: number | undefined;
}

export const SettleBody = z.object({ id: text(190), actor: text(200), code: z.enum(TRANSACTION_CODES).optional(), at: Moment.optional() }).strict();

/** Posts a pending hold as the transaction `settle:<hold id>`; settling it again answers `exists`. */
export async function settleHold(db: Database, input: unknown): Promise<{ status: 'created' | 'exists'; transaction_id: string }> {
  const s = parse(SettleBody, input);
  return db.transaction(async (tx) => {
    const h = await lockHold(tx, s.id);
    if (h.state === 'settled') return { status: 'exists', transaction_id: h.settled_by! };
    if (h.state === 'released') throw conflict(`Hold ${h.id} was released; it cannot be settled`, [{ field: 'id', reason: 'the hold was released' }]);
    const transaction_id = `settle:${h.id}`;
    // The hold's own account is locked here, before the posting locks the rest: no other writer
    // can claim this transaction id, since it is only ever made under the hold's row lock.
    await releaseHeld(tx, h);
    await postValidated(tx, [
      { id: transaction_id, code: s.code ?? 'redemption_settle', cause: h.cause, actor: s.actor, at: s.at, postings: [{ from: h.account, to: h.destination, amount: h.amount, asset: h.asset }] },
    ]);
    await tx.query(`update holds set state = 'settled', settled_by = $2, resolved_by = $3, resolved_at = clock_timestamp() where id = $1`, [h.id, transaction_id, s.actor]);
    return { status: 'created', transaction_id };
  });
}

/** Gives a pending hold's amount back to its account; releasing it again answers `exists`. */
export async function releaseHold(db: Database, input: unknown): Promise<{ status: 'released' | 'exists' }> {
  const r = parse(SettleBody.omit({ code: true }), input);
  return db.transaction(async (tx) => {
    const h = await lockHold(tx, r.id);
    if (h.state === 'released') return { status: 'exists' };
    if (h.state === 'settled') throw conflict(`Hold ${h.id} was settled by ${h.settled_by}; reverse that transaction instead`, [{ field: 'id', reason: 'the hold was settled' }]);
    await releaseHeld(tx, h);
    await tx.query(`update holds set state = 'released', resolved_by = $2, resolved_at = clock_timestamp() where id = $1`, [h.id, r.actor]);
    return { status: 'released' };
  });
}

export interface HoldView {
  id: string;
  account: string;
  destination: string;
  asset: string;
  amount: number;
  state: HoldRow['state'];
  cause: string;
  actor: string;
  at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  settled_by: string | null;
}

export async function getHold(db: Queryable, id: string): Promise<HoldView> {
  const [row] = await db.query<HoldView>(
    'select id, account, destination, asset, amount, state, cause, actor, at, resolved_at, resolved_by, settled_by from holds where id = $1',
    [id],
  );
  if (!row) throw notFound(`Hold ${id}`);
  return row;
}
