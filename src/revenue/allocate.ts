import type { Authorship } from './authorship.ts';
import { largestRemainder } from './largest-remainder.ts';
import type { RevenuePolicy } from './policy.ts';

/** Who receives money: the platform, the treasury, an author (`author:<member id>`), or the common pool. */
export type Recipient = 'platform' | 'treasury' | 'common_pool' | `author:${number}`;

export const authorRecipient = (author: number): Recipient => `author:${author}`;
export const authorOf = (recipient: string): number | null => (recipient.startsWith('author:') ? Number(recipient.slice(7)) : null);

/** A paying member and what they paid for the period (net of refunds booked in it), in minor units. */
export interface Payer {
  member: number;
  amount: number;
}

/** One action on a piece of content by a member during the period, `count` times. */
export interface ActionCount {
  member: number;
  content: string;
  action: string;
  count: number;
}

export interface AllocationInput {
  policy: Pick<RevenuePolicy, 'shares' | 'no_activity' | 'weights'>;
  payers: readonly Payer[];
  actions: readonly ActionCount[];
  /** Who is paid for work on each piece of content (see resolveAuthors). */
  authors: ReadonlyMap<string, readonly Authorship[]>;
}

/** What one member's money went to. `common_pool` lines are shared out by the pool lines. */
export interface MemberLine {
  member: number;
  recipient: Recipient;
  amount: number;
}

/** What an author got for one piece of content, and from how many learners' activity. */
export interface ContentLine {
  source: 'member' | 'pool';
  recipient: Recipient;
  content: string;
  amount: number;
  learners: number;
}

export interface Allocation {
  member_lines: MemberLine[];
  content_lines: ContentLine[];
  /** The final amount per recipient (never `common_pool`); adds up exactly to the revenue. */
  totals: Map<Recipient, number>;
  revenue: number;
}

interface Work {
  content: string;
  weight: number;
}

/**
 * Each paying member's weighted work on content that has authors, per piece of content. Only payers'
 * work directs money: free accounts cannot steer the common pool or the pro-rata split.
 */
export function weighActions(input: AllocationInput): Map<number, Work[]> {
  const paying = new Set(input.payers.filter((p) => p.amount > 0).map((p) => p.member));
  const byMember = new Map<number, Map<string, number>>();
  for (const a of input.actions) {
    const weight = (input.policy.weights[a.action] ?? 0) * a.count;
    if (!(weight > 0) || !paying.has(a.member) || !input.authors.has(a.content)) continue;
    const items = byMember.get(a.member) ?? byMember.set(a.member, new Map()).get(a.member)!;
    items.set(a.content, (items.get(a.content) ?? 0) + weight);
  }
  const out = new Map<number, Work[]>();
  for (const [member, items] of byMember) {
    out.set(member, [...items].map(([content, weight]) => ({ content, weight })).sort((a, b) => (a.content < b.content ? -1 : a.content > b.content ? 1 : 0)));
  }
  return out;
}

interface Quota {
  recipient: Recipient;
  content: string | null;
  weight: number;
}

/** The shares of one author-work list: work weight times co-author share, per (author, content). */
function authorQuotas(work: readonly Work[], authors: ReadonlyMap<string, readonly Authorship[]>, scale: number): Quota[] {
  const total = work.reduce((a, w) => a + w.weight, 0);
  return work.flatMap((w) => {
    const coauthors = authors.get(w.content)!;
    const shares = coauthors.reduce((a, c) => a + c.share, 0);
    return coauthors.map((c) => ({ recipient: authorRecipient(c.author), content: w.content, weight: (scale * w.weight * c.share) / (total * shares) }));
  });
}

/**
 * User-centric allocation of one currency's revenue for one period. Each paying member's money is
 * split by the policy shares; their authors' share goes to the authors of the content they worked
 * on, in proportion to the policy weight of their actions on each piece, and between co-authors by
 * their shares. A payer with no such work sends it to the common pool (shared by all authors in
 * proportion to all payers' work) or to the platform, as the policy says. Every split rounds by
 * largest remainder, so the totals add up exactly to the revenue.
 */
export function allocateUserCentric(input: AllocationInput): Allocation {
  const { shares, no_activity } = input.policy;
  const work = weighActions(input);
  const basis = poolBasis(work, input.authors);
  const poolable = no_activity === 'common_pool' && basis.length > 0;

  const memberLines: MemberLine[] = [];
  const contentLines = new Map<string, ContentLine>();
  const totals = new Map<Recipient, number>();
  const add = (recipient: Recipient, amount: number) => amount !== 0 && totals.set(recipient, (totals.get(recipient) ?? 0) + amount);

  for (const payer of [...input.payers].sort((a, b) => a.member - b.member)) {
    if (payer.amount <= 0) continue;
    const own = work.get(payer.member);
    const quotas: Quota[] = [
      { recipient: 'platform', content: null, weight: shares.platform },
      { recipient: 'treasury', content: null, weight: shares.treasury },
      ...(own ? authorQuotas(own, input.authors, shares.authors) : [{ recipient: poolable ? 'common_pool' : 'platform', content: null, weight: shares.authors } as Quota]),
    ];
    const amounts = largestRemainder(payer.amount, quotas.map((q) => q.weight));
    const perRecipient = new Map<Recipient, number>();
    quotas.forEach((q, i) => {
      const amount = amounts[i]!;
      perRecipient.set(q.recipient, (perRecipient.get(q.recipient) ?? 0) + amount);
      if (q.content === null) return;
      const key = `${q.recipient}\u0000${q.content}`;
      const line = contentLines.get(key) ?? contentLines.set(key, { source: 'member', recipient: q.recipient, content: q.content, amount: 0, learners: 0 }).get(key)!;
      line.amount += amount;
      if (q.weight > 0) line.learners += 1;
    });
    for (const [recipient, amount] of perRecipient) {
      if (amount === 0) continue;
      memberLines.push({ member: payer.member, recipient, amount });
      if (recipient !== 'common_pool') add(recipient, amount);
    }
  }

  const pool = memberLines.reduce((a, l) => a + (l.recipient === 'common_pool' ? l.amount : 0), 0);
  const poolLines: ContentLine[] = [];
  if (pool > 0) {
    const amounts = largestRemainder(pool, basis.map((b) => b.weight));
    basis.forEach((b, i) => {
      poolLines.push({ source: 'pool', recipient: b.recipient, content: b.content, amount: amounts[i]!, learners: b.learners });
      add(b.recipient, amounts[i]!);
    });
  }
  const revenue = input.payers.reduce((a, p) => a + Math.max(p.amount, 0), 0);
  return { member_lines: memberLines, content_lines: [...contentLines.values(), ...poolLines].filter((l) => l.amount !== 0), totals, revenue };
}

interface BasisItem {
  recipient: Recipient;
  content: string;
  weight: number;
  learners: number;
}

/** All paying members' work per (author, content): what the common pool and pro-rata divide by. */
function poolBasis(work: ReadonlyMap<number, Work[]>, authors: ReadonlyMap<string, readonly Authorship[]>): BasisItem[] {
  const items = new Map<string, BasisItem>();
  for (const own of work.values()) {
    for (const w of own) {
      const coauthors = authors.get(w.content)!;
      const shares = coauthors.reduce((a, c) => a + c.share, 0);
      for (const c of coauthors) {
        const recipient = authorRecipient(c.author);
        const key = `${recipient}\u0000${w.content}`;
        const item = items.get(key) ?? items.set(key, { recipient, content: w.content, weight: 0, learners: 0 }).get(key)!;
        item.weight += (w.weight * c.share) / shares;
        item.learners += 1;
      }
    }
  }
  return [...items.values()].sort((a, b) => (a.recipient < b.recipient ? -1 : a.recipient > b.recipient ? 1 : a.content < b.content ? -1 : a.content > b.content ? 1 : 0));
}

/**
 * Plain pro-rata, for comparison: all revenue split by the policy shares, and the whole authors'
 * share divided by each author's part of all paying members' work, whoever paid.
 */
export function allocateProRata(input: AllocationInput): Map<Recipient, number> {
  const { shares } = input.policy;
  const revenue = input.payers.reduce((a, p) => a + Math.max(p.amount, 0), 0);
  const [platform, treasury, authorsPart] = largestRemainder(revenue, [shares.platform, shares.treasury, shares.authors]) as [number, number, number];
  const totals = new Map<Recipient, number>([['platform', platform], ['treasury', treasury]]);
  const perAuthor = new Map<Recipient, number>();
  for (const b of poolBasis(weighActions(input), input.authors)) perAuthor.set(b.recipient, (perAuthor.get(b.recipient) ?? 0) + b.weight);
  if (perAuthor.size === 0) {
    totals.set('platform', platform + authorsPart);
    return totals;
  }
  const authors = [...perAuthor.keys()];
  largestRemainder(authorsPart, authors.map((a) => perAuthor.get(a)!)).forEach((amount, i) => totals.set(authors[i]!, amount));
  return totals;
}

/**
 * What a refund of `amount` takes back from the recipients of a member's allocation in a closed
 * period, in proportion to what each got from that member; the member's common-pool part is taken
 * back from the pool's recipients in proportion to what each got from the pool. Adds up exactly to
 * `amount` (as negative amounts).
 */
export function takeBack(amount: number, memberLines: readonly { recipient: string; amount: number }[], poolTotals: readonly { recipient: string; amount: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  const give = (recipient: string, value: number) => value !== 0 && out.set(recipient, (out.get(recipient) ?? 0) - value);
  const parts = largestRemainder(amount, memberLines.map((l) => l.amount));
  memberLines.forEach((l, i) => {
    if (l.recipient !== 'common_pool') return give(l.recipient, parts[i]!);
    // No pool lines means the pool went to the platform.
    if (poolTotals.length === 0) return give('platform', parts[i]!);
    largestRemainder(parts[i]!, poolTotals.map((p) => p.amount)).forEach((v, j) => give(poolTotals[j]!.recipient, v));
  });
  return out;
}
