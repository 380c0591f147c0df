import { z } from '@hono/zod-openapi';
import { canonicalJson } from '../core/event.ts';
import { type FieldError, invalid } from '../errors.ts';
import { isStorableText } from '../schemas/common.ts';
import { ASSETS, type Asset, MAX_AMOUNT, TRANSACTION_CODES, type TransactionCode, assetOf } from './conventions.ts';

export interface Posting {
  from: string;
  to: string;
  amount: number;
  asset: Asset;
}

/** A transaction as a client states it. `at` (epoch ms) defaults to the database clock. */
export interface TransactionInput {
  id: string;
  code: TransactionCode;
  cause: string;
  actor: string;
  postings: Posting[];
  memo?: string | undefined;
  at?: number | undefined;
  /** Set only by `reverseTransaction`. */
  reverses?: string | undefined;
}

export const LEDGER_LIMITS = { postings_per_transaction: 100, transactions_per_batch: 1000 } as const;

const text = (max: number) =>
  z.string().min(1, 'is required').max(max, `must be at most ${max} characters`).refine(isStorableText, 'must be well-formed Unicode text without NUL characters');

export const LedgerAddress = z
  .string()
  .max(200)
  .refine((a) => assetOf(a) !== undefined, 'must be a ledger address such as member:42:pts, world:pts, sink:pts:redeemed or treasury:RUB');

export const Amount = z
  .number({ error: 'must be a positive integer' })
  .int('must be a positive integer')
  .positive('must be a positive integer')
  .max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT}`);

export const Moment = z.number().int('must be epoch milliseconds').min(946684800000, 'must be epoch milliseconds after 2000-01-01');

export const PostingBody = z
  .object({ from: LedgerAddress, to: LedgerAddress, amount: Amount, asset: z.enum(ASSETS, { error: `must be one of ${ASSETS.join(', ')}` }) })
  .strict()
  .superRefine((p, ctx) => {
    if (p.from === p.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must differ from "from"' });
    for (const side of ['from', 'to'] as const) {
      const held = assetOf(p[side]);
      if (held && held !== p.asset) ctx.addIssue({ code: 'custom', path: [side], message: `holds ${held}, not ${p.asset}` });
    }
  });

export const TransactionBody = z
  .object({
    id: text(200),
    code: z.enum(TRANSACTION_CODES, { error: `must be one of ${TRANSACTION_CODES.join(', ')}` }),
    cause: text(500),
    actor: text(200),
    postings: z.array(PostingBody).min(1, 'must hold at least one posting').max(LEDGER_LIMITS.postings_per_transaction),
    memo: text(1000).optional(),
    at: Moment.optional(),
    reverses: text(200).optional(),
  })
  .strict();

/** A field path as a reader writes it: `postings[2].amount`. */
export const fieldPath = (path: PropertyKey[]): string =>
  path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '') || '(body)';

export function zodFieldErrors(error: z.ZodError, item?: number): FieldError[] {
  return error.issues.flatMap((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => ({
      field: fieldPath(key === undefined ? issue.path : [...issue.path, key]),
      reason: key === undefined ? issue.message : 'is not a known field',
      ...(item === undefined ? {} : { item }),
    }));
  });
}

/** Checks transactions at the boundary; throws one validation error naming every bad field. */
export function validateTransactions(inputs: unknown[]): TransactionInput[] {
  if (inputs.length > LEDGER_LIMITS.transactions_per_batch) {
    throw invalid([{ field: '(body)', reason: `must hold at most ${LEDGER_LIMITS.transactions_per_batch} transactions` }]);
  }
  const errors: FieldError[] = [];
  const valid = inputs.map((input, item) => {
    const parsed = TransactionBody.safeParse(input);
    if (!parsed.success) errors.push(...zodFieldErrors(parsed.error, inputs.length > 1 ? item : undefined));
    return parsed.data as TransactionInput;
  });
  if (errors.length > 0) throw invalid(errors, 'The transaction is invalid; nothing was posted');
  return valid;
}

export const validateTransaction = (input: unknown): TransactionInput => validateTransactions([input])[0]!;

/** What a transaction does to each account it touches (an account may net to zero). */
export function netOf(t: TransactionInput): Map<string, number> {
  const net = new Map<string, number>();
  for (const p of t.postings) {
    net.set(p.from, (net.get(p.from) ?? 0) - p.amount);
    net.set(p.to, (net.get(p.to) ?? 0) + p.amount);
  }
  return net;
}

/** What a transaction states, as canonical JSON: equal statements have equal text. */
export function contentOf(tx: TransactionInput): string {
  // Keys in sorted order, so that the native JSON.stringify gives the canonical form (this runs per transaction).
  return JSON.stringify({
    actor: tx.actor,
    at: tx.at,
    cause: tx.cause,
    code: tx.code,
    memo: tx.memo,
    postings: tx.postings.map((p) => ({ amount: p.amount, asset: p.asset, from: p.from, to: p.to })),
    reverses: tx.reverses,
  });
}

/** Canonical JSON of a statement, leaving out the fields it does not give. */
export const canonicalContent = (fields: Record<string, unknown>): string =>
  canonicalJson(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));

/** The fields in which two statements of one transaction (as canonical JSON) differ, postings named one by one. */
export function differingFields(stored: string, incoming: string): string[] {
  const a = JSON.parse(stored) as Record<string, unknown>;
  const b = JSON.parse(incoming) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return fields.flatMap((field) => {
    if (canonicalJson(a[field]) === canonicalJson(b[field])) return [];
    const [left, right] = [a[field], b[field]];
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return [field];
    return left.flatMap((item, n) => differingFields(canonicalJson(item), canonicalJson(right[n])).map((sub) => `${field}[${n}].${sub}`));
  });
}
