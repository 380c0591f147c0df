-- xAPI Learning Record Store: statements kept exactly as stored, with the columns queries filter on.
create table xapi_statements (
  -- Insertion order: pages continue from a seq, so equal `stored` times never lose or repeat a statement.
  seq              bigint generated always as identity primary key,
  id               text not null unique,
  -- The statement as the LRS returns it (with stored, authority, version), byte for byte.
  body             text not null,
  stored           timestamptz not null,
  verb_id          text not null,
  -- Agent keys: the actor and an Agent/Group object ("agent" filter); every agent anywhere (related_agents).
  agents           text[] not null,
  related_agents   text[] not null,
  -- The Activity object ("activity" filter); every activity anywhere (related_activities).
  activities       text[] not null,
  related_activities text[] not null,
  registration     text,
  -- The statement a StatementRef object targets: queries match a statement whose target matches.
  target           text,
  -- Set on voiding statements: the statement they void.
  voids            text,
  -- Set once a voiding statement naming this one is stored.
  voided_by        text,
  -- Set once the statement has been through the mapping to events; a statement stored but not yet
  -- mapped (the process stopped in between) is mapped when it is sent again.
  mapped_at        timestamptz
);
create index xapi_statements_stored on xapi_statements (stored, seq);
create index xapi_statements_voids on xapi_statements (voids) where voids is not null;
create index xapi_statements_target on xapi_statements (target) where target is not null;
create index xapi_statements_verb on xapi_statements (verb_id, seq);
create index xapi_statements_registration on xapi_statements (registration, seq) where registration is not null;

-- State, Activity Profile and Agent Profile documents. Empty strings stand for "not part of the key".
create table xapi_documents (
  kind          text not null check (kind in ('state', 'activity_profile', 'agent_profile')),
  activity_id   text not null,
  agent_key     text not null,
  registration  text not null,
  document_id   text not null,
  content       bytea not null,
  content_type  text not null,
  etag          text not null,
  updated_at    timestamptz not null,
  primary key (kind, activity_id, agent_key, registration, document_id)
);

-- The canonical definition of each activity, merged from the statements that mention it.
create table xapi_activities (
  id          text primary key,
  definition  jsonb not null,
  updated_at  timestamptz not null
);

-- Names seen for each agent identifier, for the Person object of /xapi/agents.
create table xapi_agent_names (
  agent_key  text not null,
  agent      jsonb not null,
  name       text not null,
  primary key (agent_key, name)
);

-- How statements become activity events: one row, replaced as a whole.
create table xapi_mapping (
  singleton   boolean primary key default true check (singleton),
  rules       jsonb not null,
  updated_at  timestamptz not null default now()
);

-- Attachment contents sent with statements as multipart/mixed, by their SHA-2 hash.
create table xapi_attachments (
  sha2          text primary key,
  content_type  text not null,
  content       bytea not null
);
