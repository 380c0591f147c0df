-- The web app: browser sessions, single-use sign-in tokens and each member's preferences.

-- A signed-in browser. Only the SHA-256 of the cookie's value is kept, so a copy of the
-- database cannot be used to sign in.
create table web_sessions (
  token_sha256  bytea primary key,
  member_id     bigint not null references members (id),
  created_at    timestamptz not null default now(),
  expires_at    timestamptz not null
);
create index web_sessions_member on web_sessions (member_id);

-- Single use and short lived: a DiscourseConnect nonce (bound to the browser that asked for it)
-- or an e-mailed sign-in link (bound to the member it signs in). Again only hashes are kept.
create table web_sign_in_tokens (
  token_sha256    bytea primary key,
  kind            text not null check (kind in ('forum_nonce', 'email_link')),
  member_id       bigint references members (id),
  browser_sha256  bytea,
  created_at      timestamptz not null default now(),
  expires_at      timestamptz not null,
  used_at         timestamptz,
  check ((kind = 'forum_nonce') = (browser_sha256 is not null)),
  check ((kind = 'email_link') = (member_id is not null))
);
create index web_sign_in_tokens_expiry on web_sign_in_tokens (expires_at);

-- What a member chose: the interface language and whether to appear on public leaderboards.
create table member_preferences (
  member_id         bigint primary key references members (id),
  language          text check (language in ('ru', 'en')),
  leaderboard_hidden boolean not null default false,
  updated_at        timestamptz not null default now()
);
