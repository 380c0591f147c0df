/** Assets and the minor units they are counted in (DESIGN.md, "Ledger conventions"). */
export const ASSET_SCALE = { PTS: 0, STK: 6, RUB: 2, USD: 2 } as const;
export type Asset = keyof typeof ASSET_SCALE;
export const ASSETS = Object.keys(ASSET_SCALE) as Asset[];

/** Why a transaction happened: the closed list of transaction codes. */
export const TRANSACTION_CODES = [
  'award',
  'award_reversal',
  'achievement',
  'adjustment',
  'redemption_hold',
  'redemption_settle',
  'redemption_release',
  'expiry',
  'payment',
  'revenue_split',
  'payout',
  'stk_emission',
  'stk_buyback',
  'stk_sale',
  'stk_access',
  'correction',
] as const;
export type TransactionCode = (typeof TRANSACTION_CODES)[number];

/** The issuance accounts: the only ones that may go below zero. */
export const ISSUER: Partial<Record<Asset, string>> = { PTS: 'world:pts', STK: 'world:stk' };

/** The largest amount one posting may carry: far below 2^53, so sums of many stay exact in JS. */
export const MAX_AMOUNT = 1_000_000_000_000_000;

const ID = '[1-9][0-9]{0,14}';
const CUR = '(RUB|USD)';
const PERIOD = '[0-9]{4}-(?:0[1-9]|1[0-2])';

// Each address shape and the asset it holds; an address matching none is not a ledger account.
const ADDRESS_SHAPES: { pattern: RegExp; asset: (match: RegExpExecArray) => Asset }[] = [
  { pattern: new RegExp(`^member:${ID}:pts(:pending|:debt)?$`), asset: () => 'PTS' },
  { pattern: new RegExp(`^member:${ID}:stk$`), asset: () => 'STK' },
  { pattern: new RegExp(`^author:${ID}:${CUR}$`), asset: (m) => m[1] as Asset },
  { pattern: /^world:pts$/, asset: () => 'PTS' },
  { pattern: /^world:stk$/, asset: () => 'STK' },
  { pattern: /^sink:pts:[a-z][a-z0-9_]{0,31}$/, asset: () => 'PTS' },
  { pattern: /^treasury:stk$/, asset: () => 'STK' },
  { pattern: new RegExp(`^(treasury|platform|payments|payouts):${CUR}$`), asset: (m) => m[2] as Asset },
  { pattern: new RegExp(`^revenue:${CUR}:${PERIOD}$`), asset: (m) => m[1] as Asset },
];

/** The asset an account holds, read from its address; undefined when the address follows no convention. */
export function assetOf(address: string): Asset | undefined {
  for (const shape of ADDRESS_SHAPES) {
    const match = shape.pattern.exec(address);
    if (match) return shape.asset(match);
  }
  return undefined;
}

// Fiat enters at payments:<CUR> (its issuance account); a period's revenue clearing account may owe
// what refunds of closed periods will take back at its close (docs/revenue.md).
const FIAT_CLEARING = new RegExp(`^(payments:${CUR}|revenue:${CUR}:${PERIOD})$`);

export const mayGoNegative = (address: string): boolean => address === ISSUER.PTS || address === ISSUER.STK || FIAT_CLEARING.test(address);

/** The accounts subscription money moves through. */
export const fiatAccount = {
  payments: (currency: string) => `payments:${currency}`,
  revenue: (currency: string, period: string) => `revenue:${currency}:${period}`,
  author: (author: number, currency: string) => `author:${author}:${currency}`,
  treasury: (currency: string) => `treasury:${currency}`,
  platform: (currency: string) => `platform:${currency}`,
  payouts: (currency: string) => `payouts:${currency}`,
};

export const memberAccount = {
  available: (member: number) => `member:${member}:pts`,
  pending: (member: number) => `member:${member}:pts:pending`,
  debt: (member: number) => `member:${member}:pts:debt`,
};
