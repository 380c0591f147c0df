-- Scoring policy versions the operator adopted; each scores the events from its effective date on.
-- With none adopted, the policy shipped in policies/default.yaml applies.
create table policies (
  version         text primary key,
  effective_from  date not null unique,
  source          text not null,
  adopted_at      timestamptz not null default now(),
  adopted_by      text not null
);

-- Awards as last computed, each with its rule trail: derived from the events and rebuilt at will.
-- The points themselves live in the ledger; this is what explains them.
create table awards (
  key             text primary key,
  member_id       bigint not null,
  event_id        bigint,
  points          integer not null,
  at              timestamptz not null,
  policy_version  text not null,
  pending_until   timestamptz not null,
  -- json, not jsonb: kept exactly as written, so a recomputed trail compares as text.
  trail           json not null
);
create index awards_member_time on awards (member_id, at, key);

-- Peer signals with the other member resolved (the giver of a like received, the author of a post
-- liked), refreshed whenever their member is scored: whether A's like of B was returned is found
-- by B's id without resolving every signal again.
create table peer_signals (
  event_id     bigint primary key,
  member_id    bigint not null,
  peer_id      bigint,
  action       text not null
);
create index peer_signals_peer on peer_signals (peer_id, action);
create index peer_signals_member on peer_signals (member_id);

create table achievements (
  member_id  bigint not null,
  badge      text not null,
  n          integer not null,
  at         timestamptz not null,
  primary key (member_id, badge, n)
);

-- Members whose awards must be recomputed: marked in the same transaction as whatever changed
-- their events (ingestion, voids, merges, linked identities, roles). A scoring pass claims marks
-- before it reads events and clears only claimed ones; a mark made meanwhile unclaims the row.
create table scoring_queue (
  member_id  bigint primary key,
  marked_at  timestamptz not null default now(),
  claimed    boolean not null default false
);
