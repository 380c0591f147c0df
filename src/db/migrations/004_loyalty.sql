-- The loyalty store: rewards bought with points, the codes that deliver them, and levels.

-- A reward is retired, never deleted: redemptions keep pointing at what was bought.
create table rewards (
  key               text primary key,
  title_en          text not null,
  title_ru          text not null,
  -- What the member gets: a discount (percent or amount, on a product or the subscription) or a privilege.
  benefit           jsonb not null,
  price             bigint not null check (price > 0),
  -- Null: unlimited. `taken` counts pending and completed redemptions, under the row lock.
  stock             integer check (stock >= 0),
  taken             integer not null default 0 check (taken >= 0),
  per_member_limit  integer check (per_member_limit > 0),
  valid_from        timestamptz,
  valid_until       timestamptz,
  eligibility       jsonb not null,
  -- `pool`: codes uploaded or generated beforehand; `generate`: a fresh code made at redemption.
  code_source       text not null check (code_source in ('pool', 'generate')),
  code_valid_days   integer check (code_valid_days > 0),
  retired_at        timestamptz,
  updated_at        timestamptz not null default now(),
  check (valid_from is null or valid_until is null or valid_from < valid_until)
);

-- The level scale: thresholds of points earned over a trailing window, replaced as a whole.
create table level_scale (
  singleton    boolean primary key default true check (singleton),
  window_days  integer not null check (window_days > 0),
  levels       jsonb not null,
  updated_at   timestamptz not null default now()
);

-- A purchase with points, keyed by the id the client chose.
create table redemptions (
  id            text primary key,
  reward_key    text not null references rewards (key),
  member_id     bigint not null,
  price         bigint not null,
  state         text not null check (state in ('pending', 'completed', 'failed', 'cancelled')),
  hold_id       text not null unique,
  failure       text,
  actor         text not null,
  requested_at  timestamptz not null,
  resolved_at   timestamptz
);
create index redemptions_member on redemptions (member_id, requested_at, id);
create index redemptions_live on redemptions (reward_key, member_id) where state in ('pending', 'completed');

-- Single-use codes. A code is unique across all rewards and is issued to at most one redemption, ever.
create table reward_codes (
  code           text primary key,
  reward_key     text not null references rewards (key),
  origin         text not null check (origin in ('uploaded', 'generated')),
  -- Set for uploaded codes that the shop made with an end date of its own.
  pool_expires_at timestamptz,
  redemption_id  text unique references redemptions (id),
  issued_at      timestamptz,
  expires_at     timestamptz,
  consumed_at    timestamptz,
  consumed_by    text,
  added_at       timestamptz not null default now(),
  check ((redemption_id is null) = (issued_at is null)),
  check (consumed_at is null or redemption_id is not null)
);
create index reward_codes_free on reward_codes (reward_key, code) where redemption_id is null;
