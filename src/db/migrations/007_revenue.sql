-- Subscription payments and their split between platform, treasury and authors (docs/revenue.md).

-- Fiat enters the ledger at payments:<CUR> (its issuance account, so it goes below zero by what was
-- paid in); a period's revenue waits in revenue:<CUR>:<YYYY-MM> until the period closes. A clearing
-- account may be below zero while refunds of closed periods wait to be taken back at the next close.
alter table accounts drop constraint accounts_check;
alter table accounts add constraint accounts_may_go_negative_check check (may_go_negative = (
  address in ('world:pts', 'world:stk') or address ~ '^payments:(RUB|USD)$' or address ~ '^revenue:(RUB|USD):[0-9]{4}-[0-9]{2}$'));
update accounts set may_go_negative = true
  where address ~ '^payments:(RUB|USD)$' or address ~ '^revenue:(RUB|USD):[0-9]{4}-[0-9]{2}$';

-- Revenue split policy versions, adopted like scoring policies: each applies to the periods from its effective date.
create table revenue_policies (
  version         text primary key,
  effective_from  date not null unique,
  source          text not null,
  adopted_at      timestamptz not null default now(),
  adopted_by      text not null
);

-- Closed periods, in calendar order; a period not listed is open.
create table revenue_periods (
  period          text primary key check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  policy_version  text not null,
  closed_at       timestamptz not null,
  closed_by       text not null
);

-- A subscription payment as the provider stated it. `booked_period` is the period whose revenue it
-- joins: the one paid for, or the first open one when that had already closed.
create table payments (
  id                   bigint generated always as identity primary key,
  provider             text not null,
  provider_payment_id  text not null,
  member_id            bigint not null references members (id),
  amount               bigint not null check (amount > 0),
  currency             text not null check (currency in ('RUB', 'USD')),
  period               text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  booked_period        text not null,
  occurred_at          timestamptz not null,
  -- What was stated, as canonical JSON, so that a repeat can be compared field by field.
  content              text not null,
  recorded_by          text not null,
  recorded_at          timestamptz not null default now(),
  unique (provider, provider_payment_id)
);
create index payments_booked on payments (booked_period, currency);
create index payments_member on payments (member_id, booked_period);

-- Refunds and chargebacks of a payment: in its period while that is open, otherwise taken back at the next close.
create table payment_refunds (
  id                  bigint generated always as identity primary key,
  payment_id          bigint not null references payments (id),
  provider            text not null,
  provider_refund_id  text not null,
  kind                text not null check (kind in ('refund', 'chargeback')),
  amount              bigint not null check (amount > 0),
  booked_period       text not null,
  occurred_at         timestamptz not null,
  content             text not null,
  recorded_by         text not null,
  recorded_at         timestamptz not null default now(),
  unique (provider, provider_refund_id)
);
create index payment_refunds_payment on payment_refunds (payment_id);
create index payment_refunds_booked on payment_refunds (booked_period);

-- What a close allocated, frozen. `source` says what a line is: `member` what one paying member's
-- money gave a recipient (`common_pool` included); `content` what an author got for one piece of
-- content from members' money, `pool` from the common pool, with how many learners' work it follows;
-- `takeback` a refund of a closed period taken back; `carry` what a recipient still owes, written
-- into the next period. Amounts are signed minor units.
create table revenue_lines (
  period      text not null,
  currency    text not null,
  source      text not null check (source in ('member', 'content', 'pool', 'takeback', 'carry')),
  member_id   bigint,
  refund_id   bigint,
  recipient   text not null,
  content_id  text,
  amount      bigint not null,
  learners    integer not null default 0
);
create index revenue_lines_period on revenue_lines (period, currency, recipient);
create index revenue_lines_member on revenue_lines (member_id, period) where member_id is not null;

-- Actions on content by period: how revenue finds the members who worked on an author's content.
create index events_object_time on events (object_id, occurred_at) where object_id is not null;
