-- Registered sources: the places members act in (forum, Telegram, payment providers, any signed sender).

-- The secret is kept as it is: verifying an HMAC needs the key itself, not a hash of it.
create table sources (
  name         text primary key,
  kind         text not null,
  secret       text not null,
  settings     jsonb not null default '{}',
  disabled_at  timestamptz,
  created_at   timestamptz not null default now()
);

-- One row of counters per source: a flood of deliveries updates this row and never adds rows.
create table source_deliveries (
  source            text primary key references sources (name),
  accepted          bigint not null default 0,
  duplicate         bigint not null default 0,
  ignored           bigint not null default 0,
  rejected          bigint not null default 0,
  -- Events newly stored from this source's deliveries.
  events            bigint not null default 0,
  -- The last delivery that brought a new event, and the last delivery of any outcome.
  last_received_at  timestamptz,
  last_delivery_at  timestamptz
);

-- The most recent rejections with their reasons (never the body), in a ring of a fixed number of slots per source.
create table source_rejects (
  source  text not null references sources (name),
  slot    integer not null,
  -- Which rejection of the source this is (1, 2, ...): orders the ring even when clocks tie.
  seq     bigint not null,
  at      timestamptz not null,
  reason  text not null,
  primary key (source, slot)
);
