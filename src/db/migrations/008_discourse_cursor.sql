-- Where a Discourse backfill stopped, per source: it resumes from here after an interruption.
create table discourse_cursors (
  source      text primary key,
  state       jsonb not null,
  updated_at  timestamptz not null default now()
);

-- Forum users a backfill has seen (as post authors), whose likes and solutions it then reads.
create table discourse_users (
  source    text not null,
  user_id   bigint not null,
  username  text not null,
  primary key (source, user_id)
);

-- The accepted answer of each topic: Discourse accepts a new answer without un-accepting the old one
-- in a webhook, so Vklad voids the previous acceptance itself.
create table discourse_solutions (
  source    text not null,
  topic_id  bigint not null,
  post_id   bigint not null,
  primary key (source, topic_id)
);
