-- The double-entry ledger: every point, token and kopeck moves here (DESIGN.md, "Ledger conventions").
-- Amounts are integers in the asset's minor units: PTS scale 0, STK scale 6, RUB and USD scale 2.

-- Accounts are created on first use; only the balances ever change.
create table accounts (
  address          text primary key,
  asset            text not null check (asset in ('PTS', 'STK', 'RUB', 'USD')),
  balance          bigint not null default 0,
  held             bigint not null default 0 check (held >= 0),
  may_go_negative  boolean not null default false check (may_go_negative = (address in ('world:pts', 'world:stk'))),
  -- The time of the latest entry: a later transaction is never recorded before it, so history is in time order.
  last_at          timestamptz,
  created_at       timestamptz not null default now(),
  -- The code checks this under row locks and names the posting; the constraint is the last line of defence.
  check (may_go_negative or balance - held >= 0)
) with (fillfactor = 50);  -- room on each page, so that balance updates stay HOT (no index writes)

-- A transaction is a fact: never updated, never deleted; a correction is a new, reversing transaction.
create table transactions (
  id           text primary key,
  code         text not null check (code in ('award', 'award_reversal', 'achievement', 'adjustment', 'redemption_hold',
                 'redemption_settle', 'redemption_release', 'expiry', 'payment', 'revenue_split', 'payout', 'stk_emission',
                 'stk_buyback', 'stk_sale', 'stk_access', 'correction')),
  cause        text not null,
  actor        text not null,
  memo         text,
  reverses     text,
  -- What the client stated, as canonical JSON, so that a re-submission can be compared field by field.
  content      text not null,
  at           timestamptz not null,
  recorded_at  timestamptz not null default now()
);
-- A transaction is reversed at most once. Partial, and no foreign key (the reversal reads the original
-- under its row lock), so that the ordinary transaction pays for neither.
create unique index transactions_reverses on transactions (reverses) where reverses is not null;

-- One entry per account per transaction: the net signed amount and the balance right after it,
-- so history shows a running balance and the balance at any moment is one indexed lookup.
-- Only the ledger writes entries, under the locks of their account and transaction rows, so the
-- references are not declared as foreign keys: their per-row checks halved the posting rate.
create table entries (
  id              bigint generated always as identity primary key,
  transaction_id  text not null,
  account         text not null,
  amount          bigint not null check (amount <> 0),
  balance_after   bigint not null,
  at              timestamptz not null
);
create index entries_account_time on entries (account, at, id);

-- Two-phase: an amount reserved on an account towards a destination, then settled (posted) or released.
create table holds (
  id           text primary key,
  account      text not null,
  destination  text not null,
  asset        text not null,
  amount       bigint not null check (amount > 0),
  state        text not null check (state in ('pending', 'settled', 'released')),
  cause        text not null,
  actor        text not null,
  content      text not null,
  at           timestamptz not null,
  resolved_at  timestamptz,
  resolved_by  text,
  settled_by   text references transactions (id)
);
create index holds_pending on holds (account) where state = 'pending';

-- What the ledger has posted for each award of the scoring engine, so a diff is applied exactly once.
create table award_postings (
  key            text primary key,
  member_id      bigint not null,
  points         bigint not null,
  revision       integer not null,
  pending        bigint not null check (pending >= 0),
  pending_until  timestamptz
);
create index award_postings_maturing on award_postings (pending_until) where pending > 0;
