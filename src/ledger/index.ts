/** The double-entry ledger: every point, token and kopeck moves here. */
export { ASSETS, ASSET_SCALE, ISSUER, TRANSACTION_CODES, assetOf, memberAccount, type Asset, type TransactionCode } from './conventions.ts';
export { TransactionBody, validateTransaction, validateTransactions, type Posting, type TransactionInput } from './transaction.ts';
export { postTransaction, postTransactions, type PostOutcome } from './post.ts';
export { HoldBody, SettleBody, getHold, hold, releaseHold, settleHold, type HoldInput, type HoldView } from './holds.ts';
export { ReversalBody, reverseTransaction, type ReversalInput } from './reversal.ts';
export { AdjustmentBody, adjustBalance, type AdjustmentInput } from './adjust.ts';
export { accountHistory, balanceAt, checkLedger, getBalance, getTransaction, totalsPerAsset, type Balance, type HistoryPage, type LedgerCheck } from './reads.ts';
export { type AwardDiff } from './award-decide.ts';
export { AwardDiffBody, postAwardDiffs, releaseMatured } from './awards.ts';
export { EXPIRED, expirePoints } from './expiry.ts';
